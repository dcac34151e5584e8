/**
 * Orderly shutdown for every command: cleanups (stop the embedded server, close
 * pools) run in reverse order on success, error, SIGINT and SIGTERM, so no orphan
 * postgres process or stale lock is left behind. A second Ctrl-C skips the wait.
 */
import { exitLine } from './exit-line.js';

type Cleanup = () => Promise<void> | void;

const cleanups: Cleanup[] = [];
const controller = new AbortController();
let signalCount = 0;

/** Aborted on the first SIGINT/SIGTERM: long work (runs, seeding) watches it and stops early. */
export const shutdownSignal: AbortSignal = controller.signal;

/** Registers a cleanup; returns a function that unregisters it. */
export function onShutdown(fn: Cleanup): () => void {
  cleanups.push(fn);
  return () => {
    const i = cleanups.indexOf(fn);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

/** Runs every cleanup once, newest first; errors are reported, not thrown. */
export async function runCleanups(log: (line: string) => void = (l) => process.stderr.write(l + '\n')): Promise<void> {
  while (cleanups.length > 0) {
    const fn = cleanups.pop()!;
    try {
      await fn();
    } catch (err) {
      log(`cleanup failed: ${(err as Error).message}`);
    }
  }
}

/** Installs the signal handlers (once, by the CLI entry point); `command` names the final line of a forced exit. */
export function installSignalHandlers(command?: string): void {
  const handler = (sig: NodeJS.Signals) => {
    signalCount++;
    if (signalCount === 1) {
      process.stderr.write(`\n${sig}: stopping (results so far are kept; press Ctrl-C again to force)\n`);
      controller.abort(new Error(`interrupted by ${sig}`));
    } else {
      process.stderr.write('forced exit: cleaning up\n');
      void runCleanups().finally(() => {
        process.stderr.write(exitLine(command, 130, 'forced by a second signal') + '\n');
        process.exit(130);
      });
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
