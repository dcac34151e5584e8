/** The shape of a CLI command: its options come from the shared catalogue (src/config/options.ts). */
import type { Source } from '../config/load.js';
import type { OptionKey, Settings } from '../config/options.js';

/** What a command's `run` receives. */
export interface CommandContext<K extends OptionKey> {
  settings: Pick<Settings, K>;
  sources: Record<K, Source>;
  positionals: string[];
  /** Human-readable progress and notes (stderr). */
  log: (line: string) => void;
  /** Aborted on Ctrl-C / SIGTERM. */
  signal: AbortSignal;
}

/** A command of the `ledger-bench` binary. */
export interface Command<K extends OptionKey = OptionKey> {
  name: string;
  summary: string;
  /** Usage line after `ledger-bench `, e.g. `seed [options]`. */
  usage: string;
  /** Paragraphs shown by --help under the usage line. */
  description: string;
  keys: readonly K[];
  maxPositionals?: number;
  examples?: string[];
  /** Show the failure semantics (errors, retries, drops, partial runs, exit codes) in --help. */
  measures?: boolean;
  /**
   * Checks that need no database (lists such as --mix, --variants, files), run before
   * anything else; their problems join the settings' problems in one report (exit 2).
   */
  validate?(ctx: Pick<CommandContext<K>, 'settings' | 'sources' | 'positionals'>): Promise<string[]>;
  /**
   * --out may name a file (report --format md --out x.md): the command checks it itself.
   * Otherwise --out is a directory, checked with the settings (src/cli/out-dir-check.ts).
   */
  outMayBeFile?: boolean;
  /** Meanings of the command's own exit codes beyond the shared ones, for the exit line (db status: 3 stopped). */
  exitMeanings?: Readonly<Record<number, string>>;
  /** Returns the exit code. Throws UserError for bad input (exit 2). */
  run(ctx: CommandContext<K>): Promise<number>;
}

/** Helper to keep a command's key type while listing commands together. */
export function defineCommand<K extends OptionKey>(c: Command<K>): Command<K> {
  return c;
}
