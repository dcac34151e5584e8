/**
 * Entry point of the `ledger-bench` binary: dispatches to a command, resolves its
 * settings (every problem reported at once), runs it, always cleans up, and then prints
 * the last line: the exit code and what it means (src/cli/exit-line.ts).
 */
import { collectSettings, scrubSecrets, secretsIn } from '../config/load.js';
import { closest } from '../config/suggest.js';
import { ExitCode, isUserError, UserError } from '../errors.js';
import type { Command } from './command.js';
import { COMMANDS } from './commands/index.js';
import { exitLine } from './exit-line.js';
import { outDirProblem } from './out-dir-check.js';
import { commandHelp, globalHelp } from './help.js';
import { installSignalHandlers, runCleanups, shutdownSignal } from './lifecycle.js';
import { TOOL_VERSION } from './version.js';

const stderrLine = (line: string) => process.stderr.write(line + '\n');

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(globalHelp(COMMANDS));
    if (name !== undefined) return ExitCode.ok;
    stderrLine(exitLine(undefined, ExitCode.badInput, 'no command given'));
    return ExitCode.badInput;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`ledger-bench ${TOOL_VERSION}\n`);
    return ExitCode.ok;
  }
  const command = COMMANDS.find((c) => c.name === name) as Command | undefined;
  if (!command) {
    const guess = closest(name, COMMANDS.map((c) => c.name));
    stderrLine(`ledger-bench: unknown command "${name}"${guess ? ` (did you mean "${guess}"?)` : ''}. Run \`ledger-bench --help\` for the commands.`);
    stderrLine(exitLine(undefined, ExitCode.badInput));
    return ExitCode.badInput;
  }
  installSignalHandlers(command.name);
  // Every stderr line passes through here: whatever path a message took (a driver
  // error, a stack), the password of --database-url never reaches the terminal or a log.
  let secrets: string[] = [];
  const log = (line: string) => stderrLine(scrubSecrets(line, secrets));
  const outcome = await runCommand(command, rest, log, (found) => (secrets = found));
  // Cleanups (stopping the embedded server, closing pools) log too: the exit line comes after them.
  await runCleanups(log);
  if (!outcome.helpShown) log(exitLine(command.name, outcome.code, outcome.detail, command.exitMeanings));
  return outcome.code;
}

/** The exit code of one command, with the reason of an unexpected failure for the exit line. */
async function runCommand(
  command: Command,
  argv: string[],
  log: (line: string) => void,
  setSecrets: (secrets: string[]) => void,
): Promise<{ code: number; detail?: string; helpShown?: boolean }> {
  try {
    const { resolved, problems } = collectSettings({ command: command.name, argv, keys: command.keys, maxPositionals: command.maxPositionals });
    if (resolved.help) {
      process.stdout.write(commandHelp(command));
      return { code: ExitCode.ok, helpShown: true };
    }
    setSecrets(secretsIn(resolved.settings));
    // The command's own checks run even when settings failed, so one list says everything.
    if (command.validate) problems.push(...(await command.validate(resolved)));
    // Where results go: a --out that cannot be a directory is bad input now, not a lost result after the run.
    const out = (resolved.settings as { out?: unknown }).out;
    if (command.keys.includes('out') && !command.outMayBeFile && typeof out === 'string') {
      const problem = outDirProblem(out, `--out ${out}`);
      if (problem) problems.push(problem);
    }
    if (problems.length > 0) throw new UserError(problems);
    const code = await command.run({ ...resolved, log, signal: shutdownSignal });
    return { code: shutdownSignal.aborted && code === ExitCode.ok ? ExitCode.interrupted : code };
  } catch (err) {
    if (isUserError(err)) {
      const many = err.problems.length > 1;
      log(`ledger-bench ${command.name}: ${many ? `${err.problems.length} problems:` : err.problems[0]}`);
      if (many) for (const p of err.problems) log(`  - ${p}`);
      return { code: ExitCode.badInput };
    }
    const message = (err as Error)?.message ?? String(err);
    if (shutdownSignal.aborted) {
      log(`ledger-bench ${command.name}: interrupted (${message})`);
      return { code: ExitCode.interrupted };
    }
    log(`ledger-bench ${command.name}: failed: ${(err as Error)?.stack ?? String(err)}`);
    return { code: ExitCode.failure, detail: message };
  }
}
