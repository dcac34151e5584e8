/**
 * The last line every command prints (stderr), after its cleanups: the exit code and
 * what it means, e.g. `ledger-bench run: exit 99 (a budget or gate failed)`. Printed in
 * one place (main.ts, or lifecycle.ts on a forced exit), so no cleanup message comes
 * after it and no command can forget it on an early return.
 */
import { ExitCode } from '../errors.js';

const MEANINGS: Record<number, string> = {
  [ExitCode.ok]: 'ok',
  [ExitCode.failure]: 'failed',
  [ExitCode.badInput]: 'bad input',
  [ExitCode.thresholdFailed]: 'a budget or gate failed',
  [ExitCode.interrupted]: 'interrupted',
};

/**
 * `ledger-bench <command>: exit <code> (<meaning>[: <detail>])`; the detail is cut to one
 * short line. `own` names a command's own codes (db status: 3 stopped).
 */
export function exitLine(command: string | undefined, code: number, detail?: string, own?: Readonly<Record<number, string>>): string {
  const meaning = MEANINGS[code] ?? own?.[code] ?? 'failed';
  const first = detail?.split('\n')[0]?.trim();
  const why = first ? `${meaning}: ${first.length > 160 ? `${first.slice(0, 157)}...` : first}` : meaning;
  return `ledger-bench${command ? ` ${command}` : ''}: exit ${code} (${why})`;
}
