/**
 * Entry point of the `ledger-bench` binary: dispatches to a command, resolves its
 * settings (every problem reported at once), runs it, and always cleans up.
 */
import { resolveSettings } from '../config/load.js';
import { closest } from '../config/suggest.js';
import { ExitCode, isUserError } from '../errors.js';
import type { Command } from './command.js';
import { COMMANDS } from './commands/index.js';
import { commandHelp, globalHelp } from './help.js';
import { installSignalHandlers, runCleanups, shutdownSignal } from './lifecycle.js';
import { TOOL_VERSION } from './version.js';

const log = (line: string) => process.stderr.write(line + '\n');

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(globalHelp(COMMANDS));
    return name === undefined ? ExitCode.badInput : ExitCode.ok;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`ledger-bench ${TOOL_VERSION}\n`);
    return ExitCode.ok;
  }
  const command = COMMANDS.find((c) => c.name === name) as Command | undefined;
  if (!command) {
    const guess = closest(name, COMMANDS.map((c) => c.name));
    log(`ledger-bench: unknown command "${name}"${guess ? ` (did you mean "${guess}"?)` : ''}. Run \`ledger-bench --help\` for the commands.`);
    return ExitCode.badInput;
  }
  installSignalHandlers();
  try {
    const resolved = resolveSettings({ command: command.name, argv: rest, keys: command.keys, maxPositionals: command.maxPositionals });
    if (resolved.help) {
      process.stdout.write(commandHelp(command));
      return ExitCode.ok;
    }
    const code = await command.run({ ...resolved, log, signal: shutdownSignal });
    return shutdownSignal.aborted && code === ExitCode.ok ? ExitCode.interrupted : code;
  } catch (err) {
    if (isUserError(err)) {
      const many = err.problems.length > 1;
      log(`ledger-bench ${command.name}: ${many ? `${err.problems.length} problems:` : err.problems[0]}`);
      if (many) for (const p of err.problems) log(`  - ${p}`);
      return ExitCode.badInput;
    }
    if (shutdownSignal.aborted) {
      log(`ledger-bench ${command.name}: interrupted (${(err as Error).message})`);
      return ExitCode.interrupted;
    }
    log(`ledger-bench ${command.name}: failed: ${(err as Error)?.stack ?? String(err)}`);
    return ExitCode.failure;
  } finally {
    await runCleanups(log);
  }
}
