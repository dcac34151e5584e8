/**
 * Seeding progress on stderr: one updating bar per table on a TTY, plain lines
 * otherwise (every ~2 s and when a table finishes), and a summary table at the end.
 * Updates are cheap (store numbers); rendering is throttled, off the hot path.
 */

/** Per-table result of a seed. */
export interface TableStat {
  table: string;
  rows: number;
  /** Seconds from the start of the table's load to its last row committed. */
  seconds: number;
  rowsPerSecond: number;
}

/** What {@link seedDatabase} returns. */
export interface SeedSummary {
  scale: string;
  seed: number;
  entries: number;
  tables: TableStat[];
  /** Wall-clock seconds per step (schema, load, indexes, balances, triggers, analyze). */
  steps: Array<{ step: string; seconds: number }>;
  totalSeconds: number;
  /** All rows loaded / total seconds. */
  rowsPerSecond: number;
}

/** Receives progress events from the seeder. */
export interface ProgressSink {
  /** A named step starts (the previous one ends). */
  step(name: string): void;
  /** Rows written so far to `table`, with the expected total when known (for ETA). */
  rows(table: string, rows: number, expected?: number): void;
  /** A table's load finished. */
  tableDone(stat: TableStat): void;
  /** The seed finished. */
  done(summary: SeedSummary): void;
}

/** A sink that ignores everything. */
export const silentProgress: ProgressSink = { step() {}, rows() {}, tableDone() {}, done() {} };

interface Row {
  rows: number;
  expected?: number;
  started: number;
  done?: TableStat;
}

const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
const fmtSec = (s: number): string => (s < 60 ? `${s.toFixed(1)}s` : `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`);

/** Renders the end-of-seed summary table as text lines. */
export function formatSummary(s: SeedSummary): string[] {
  const lines = [`${'table'.padEnd(24)}${'rows'.padStart(14)}${'seconds'.padStart(10)}${'rows/s'.padStart(14)}`];
  let rows = 0;
  for (const t of s.tables) {
    rows += t.rows;
    lines.push(`${t.table.padEnd(24)}${fmtInt(t.rows).padStart(14)}${t.seconds.toFixed(2).padStart(10)}${fmtInt(t.rowsPerSecond).padStart(14)}`);
  }
  lines.push(`${'total'.padEnd(24)}${fmtInt(rows).padStart(14)}${s.totalSeconds.toFixed(2).padStart(10)}${fmtInt(s.rowsPerSecond).padStart(14)}`);
  lines.push('steps: ' + s.steps.map((x) => `${x.step} ${x.seconds.toFixed(2)}s`).join(', '));
  return lines;
}

/**
 * Creates the standard progress sink on `stream` (stderr by default).
 * @param opts.quiet only the final summary is printed.
 * @param opts.tty override TTY detection (bars vs plain lines).
 */
export function createProgress(opts: { quiet?: boolean; stream?: NodeJS.WriteStream; tty?: boolean } = {}): ProgressSink {
  const out = opts.stream ?? process.stderr;
  const tty = opts.tty ?? Boolean(out.isTTY);
  const quiet = opts.quiet ?? false;
  const tables = new Map<string, Row>();
  let drawnLines = 0;
  let lastRender = 0;
  const interval = tty ? 150 : 2000;

  const describe = (name: string, r: Row, now: number): string => {
    const secs = ((r.done ? r.done.seconds * 1000 : now - r.started) || 1) / 1000;
    const rate = r.rows / secs;
    const frac = r.done ? 1 : r.expected ? Math.min(1, r.rows / r.expected) : 0;
    const eta = !r.done && r.expected && rate > 0 ? ` ETA ${fmtSec(Math.max(0, (r.expected - r.rows) / rate))}` : '';
    const bar = tty ? `[${'#'.repeat(Math.round(frac * 20)).padEnd(20, '.')}] ` : '';
    return `${name.padEnd(22)} ${bar}${fmtInt(r.rows).padStart(12)} rows ${fmtInt(rate).padStart(10)} rows/s${r.done ? ' done' : eta}`;
  };

  const render = (force: boolean): void => {
    if (quiet) return;
    const now = Date.now();
    if (!force && now - lastRender < interval) return;
    lastRender = now;
    if (tty) {
      if (drawnLines > 0) out.write(`\x1b[${drawnLines}A`);
      const lines = [...tables].map(([n, r]) => '\x1b[2K' + describe(n, r, now));
      out.write(lines.join('\n') + '\n');
      drawnLines = lines.length;
    } else {
      for (const [n, r] of tables) if (!r.done) out.write(describe(n, r, now) + '\n');
    }
  };

  return {
    step(name) {
      if (quiet) return;
      render(true);
      drawnLines = 0;
      out.write(`seed: ${name}\n`);
    },
    rows(table, rows, expected) {
      let r = tables.get(table);
      if (!r) tables.set(table, (r = { rows, started: Date.now() }));
      r.rows = rows;
      if (expected !== undefined) r.expected = expected;
      render(false);
    },
    tableDone(stat) {
      const r = tables.get(stat.table) ?? { rows: stat.rows, started: Date.now() };
      r.rows = stat.rows;
      r.done = stat;
      tables.set(stat.table, r);
      if (quiet) return;
      if (tty) render(true);
      else out.write(describe(stat.table, r, Date.now()) + '\n');
    },
    done(summary) {
      render(true);
      out.write(formatSummary(summary).join('\n') + '\n');
    },
  };
}
