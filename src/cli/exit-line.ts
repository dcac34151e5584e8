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
 * What 99 means for the commands that judge budgets (three-valued: an inconclusive check
 * exits 99 too unless --inconclusive pass), as their `exitMeanings`.
 */
export const BUDGET_EXIT_MEANINGS: Readonly<Record<number, string>> = { [ExitCode.thresholdFailed]: 'a budget failed or was not decided' };

/** The line before the exit line of a command whose budgets block it: decided failures, undecided checks, or both. */
export function blockingLine(what: string, v: { failed: readonly unknown[]; blocking: readonly unknown[] }): string {
  const open = v.blocking.length - v.failed.length;
  const parts = [v.failed.length ? `${v.failed.length} budget check${v.failed.length === 1 ? '' : 's'} failed` : '', open ? `${open} not decided (inconclusive; --inconclusive pass lets them through)` : ''];
  return `${what}: ${parts.filter(Boolean).join(', ')}`;
}

/**
 * `ledger-bench <command>: exit <code> (<meaning>[: <detail>])`; the detail is cut to one
 * short line. `own` names a command's own codes (db status: 3 stopped), or its own
 * meaning of a shared one (99 for the commands that judge budgets).
 */
export function exitLine(command: string | undefined, code: number, detail?: string, own?: Readonly<Record<number, string>>): string {
  const meaning = own?.[code] ?? MEANINGS[code] ?? 'failed';
  const first = detail?.split('\n')[0]?.trim();
  const why = first ? `${meaning}: ${first.length > 160 ? `${first.slice(0, 157)}...` : first}` : meaning;
  return `ledger-bench${command ? ` ${command}` : ''}: exit ${code} (${why})`;
}
