/**
 * Seeds an empty, harness-owned database with realistic, reproducible ledger data:
 * phase-1 tables, COPY of every table (generated in one pass on a worker thread,
 * streamed over one connection per table; account_balances from the generator's per-account sums),
 * phase-2 keys and indexes (independent groups on two connections), phase-3 triggers,
 * the metadata row, ANALYZE (two tables at a time).
 */
import { newClient } from '../src/db/client.js';
import pg from 'pg';
import { UserError } from '../src/errors.js';
import { createRng } from '../src/random/rng.js';
import { scaleSpec, seedSize, type Scale } from './scales.js';
import { createCalendar } from './calendar.js';
import { buildValuePools, SOURCES, ANCHOR_TYPES } from './value-pools.js';
import { SYSTEM_ACCOUNTS, accountRows } from './accounts.js';
import { COPY_COLUMNS, GENERATED_TABLES, type GeneratedTable } from './ledger-generator.js';
import { generateOnThread, type GeneratorJob } from './generator-thread.js';
import { CopyTarget } from './copy-load.js';
import { BASELINE_SQL, baselineSql, sqlGroups } from './sql-files.js';
import { ledgerTriggersSql } from './ledger-triggers.js';
import { DEFAULTS } from '../src/config/defaults.js';
import { writeSeedMeta, type SeedMeta } from './meta.js';
import { silentProgress, type ProgressSink, type SeedSummary, type TableStat } from './progress.js';

export type { SeedSummary, TableStat, ProgressSink } from './progress.js';
export { readSeedMeta, accountIdForRank, type SeedMeta } from './meta.js';

/** Options of {@link seedDatabase}. */
export interface SeedOptions {
  /** URL of an existing, empty database (created and marked by the caller). */
  url: string;
  scale: Scale;
  seed: number;
  /** Zipf skew of account choice; default 0.99. */
  zipfTheta?: number;
  /** Last day of data, 'YYYY-MM-DD'; default 2026-10-31 (fixed, so data is reproducible). */
  asOf?: string;
  /** Overrides the scale's entry count (a custom size, or tests). */
  entries?: number;
  /** Overrides the scale's regular account count (a custom size); user addresses follow in the scale's proportion. */
  accounts?: number;
  progress?: ProgressSink;
}

/** Entries generated per chunk: ~1-2 MB of COPY text per table per chunk. */
const CHUNK_ENTRIES = 4000;
/** Connections for the index builds and ANALYZE (the server has few cores to share). */
const PARALLEL_CONNECTIONS = 2;
/**
 * Session settings of those connections: sort memory so every index build is one pass
 * and the foreign-key checks' hash joins stay in memory (two builds run at once).
 */
const BUILD_SETTINGS = `SET maintenance_work_mem = '512MB'; SET work_mem = '256MB'`;

function validate(o: SeedOptions): void {
  const problems: string[] = [];
  if (!Number.isSafeInteger(o.seed)) problems.push(`seed must be an integer, got ${o.seed}`);
  const theta = o.zipfTheta ?? DEFAULTS.zipfTheta;
  if (!(theta >= 0 && theta <= 5)) problems.push(`zipfTheta must be between 0 and 5, got ${theta}`);
  if (o.entries !== undefined && !(Number.isSafeInteger(o.entries) && o.entries >= 1)) {
    problems.push(`entries must be a positive integer, got ${o.entries}`);
  }
  if (o.accounts !== undefined && !(Number.isSafeInteger(o.accounts) && o.accounts >= 1)) {
    problems.push(`accounts must be a positive integer, got ${o.accounts}`);
  }
  if (problems.length) throw new UserError(problems);
}

/** Seeds `opts.url`; see the module comment for the steps. Returns row counts and timings. */
export async function seedDatabase(opts: SeedOptions): Promise<SeedSummary> {
  scaleSpec(opts.scale);
  validate(opts);
  const spec = seedSize(opts.scale, opts.entries, opts.accounts);
  const zipfTheta = opts.zipfTheta ?? DEFAULTS.zipfTheta;
  const asOf = opts.asOf ?? DEFAULTS.asOf;
  const cal = createCalendar(asOf);
  const entries = spec.entries;
  const progress = opts.progress ?? silentProgress;
  const t0 = performance.now();
  const steps: SeedSummary['steps'] = [];
  let stepName = '';
  let stepStart = t0;
  const step = (name: string): void => {
    const now = performance.now();
    if (stepName) steps.push({ step: stepName, seconds: (now - stepStart) / 1000 });
    stepName = name;
    stepStart = now;
    if (name) progress.step(name);
  };

  const client = newClient({ connectionString: opts.url });
  await client.connect();
  try {
    step('schema');
    await client.query(await baselineSql(BASELINE_SQL.tables));

    step('load');
    const pools = buildValuePools(opts.seed);
    const scatterKey = createRng(opts.seed ^ 0x5ca77e2).u32();
    const tables: TableStat[] = [];
    const loadStart = performance.now();
    const acc = accountRows(spec.accounts, opts.seed, pools, cal);
    const accTarget = await CopyTarget.open(opts.url, 'accounts', 'id, code, name, type, is_active, created_at');
    await accTarget.write([Buffer.from(acc, 'utf8')]);
    await accTarget.finish();
    const accountCount = SYSTEM_ACCOUNTS.length + spec.accounts;
    const accStat = stat('accounts', accountCount, (performance.now() - loadStart) / 1000);
    tables.push(accStat);
    progress.tableDone(accStat);

    // account_balances needs each account's created_at (the balance row's updated_at when
    // it never posted).
    const createdTs = [''];
    for (const row of acc.split('\n')) if (row) createdTs.push(row.slice(row.lastIndexOf('\t') + 1));
    const { stats, balances } = await streamLedger(opts.url, progress, {
      seed: opts.seed,
      entries,
      accounts: spec.accounts,
      userAddresses: spec.userAddresses,
      zipfTheta,
      scatterKey,
      asOf,
      chunkEntries: CHUNK_ENTRIES,
      accountCreatedTs: createdTs,
    });
    tables.push(...stats);

    // account_balances from the generator's per-account sums (no GROUP BY over the lines).
    // Sign convention of the baseline: balance = debits - credits, posted entries only.
    // Every account gets a row (zero when it has no posted line), as the triggers'
    // upsert would eventually need; updated_at is the last posting, never now().
    const balStart = performance.now();
    const balTarget = await CopyTarget.open(opts.url, 'account_balances', 'account_id, current_balance, updated_at');
    await balTarget.write([Buffer.from(balances, 'utf8')]);
    await balTarget.finish();
    const balStat = stat('account_balances', accountCount, (performance.now() - balStart) / 1000);
    tables.push(balStat);
    progress.tableDone(balStat);

    step('keys and indexes');
    // Independent groups (per table; foreign keys after the keys they reference) on
    // two connections at once.
    await runParallel(
      opts.url,
      sqlGroups(await baselineSql(BASELINE_SQL.keys)).map((g) => ({ name: g.name, after: g.after, sql: g.sql })),
    );

    step('triggers');
    await client.query(ledgerTriggersSql());

    step('metadata and analyze');
    const counts: Record<string, number> = {};
    for (const t of tables) counts[t.table] = t.rows;
    const meta: SeedMeta = {
      version: 1,
      scale: spec.label,
      seed: opts.seed,
      zipfTheta,
      scatterKey,
      asOf,
      startDate: cal.startDate,
      endDate: cal.endDate,
      now: cal.iso(cal.nowSec),
      accounts: accountCount,
      zipfAccounts: spec.accounts,
      accountIdOffset: SYSTEM_ACCOUNTS.length,
      systemAccounts: SYSTEM_ACCOUNTS.map((a, i) => ({ role: a.role, id: i + 1, code: a.code })),
      counts,
      sources: [...SOURCES],
      anchorTypes: [...ANCHOR_TYPES],
      userAddresses: spec.userAddresses,
      entries,
    };
    await writeSeedMeta(client, meta);
    // ANALYZE per table, two at a time, biggest first.
    const analyzeOrder = ['audit_log', 'event_correlations', 'journal_entry_lines', 'journal_entries', 'anchor_authorizations', 'accounts', 'account_balances', 'ledger_bench_meta'];
    await runParallel(opts.url, analyzeOrder.map((t) => ({ name: t, after: [], sql: `ANALYZE ${t}` })));
    step('');

    const totalSeconds = (performance.now() - t0) / 1000;
    const rows = tables.reduce((s, t) => s + t.rows, 0);
    const summary: SeedSummary = {
      scale: spec.label,
      seed: opts.seed,
      entries,
      tables,
      steps,
      totalSeconds,
      rowsPerSecond: rows / totalSeconds,
    };
    progress.done(summary);
    return summary;
  } finally {
    await client.end().catch(() => {});
  }
}

/** A unit of SQL for {@link runParallel}: runs after the jobs named in `after`. */
interface SqlJob {
  name: string;
  after: string[];
  sql: string;
}

/**
 * Runs `jobs` on {@link PARALLEL_CONNECTIONS} connections: each takes the first job (in
 * list order) whose `after` jobs are done. The first error stops the others.
 */
async function runParallel(url: string, jobs: SqlJob[]): Promise<void> {
  const done = new Set<string>();
  const taken = new Set<string>();
  let failed: unknown;
  let wake: () => void = () => {};
  let changed = new Promise<void>((r) => (wake = r));
  const signal = (): void => {
    const w = wake;
    changed = new Promise<void>((r) => (wake = r));
    w();
  };
  const worker = async (): Promise<void> => {
    const c = newClient({ connectionString: url });
    await c.connect();
    try {
      await c.query(BUILD_SETTINGS);
      for (;;) {
        if (failed) return;
        const job = jobs.find((j) => !taken.has(j.name) && j.after.every((a) => done.has(a)));
        if (!job) {
          if (taken.size === jobs.length) return;
          await changed;
          continue;
        }
        taken.add(job.name);
        try {
          await c.query(job.sql);
        } catch (err) {
          failed ??= err;
          signal();
          return;
        }
        done.add(job.name);
        signal();
      }
    } finally {
      await c.end().catch(() => {});
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_CONNECTIONS, jobs.length) }, worker));
  if (failed) throw failed;
}

function stat(table: string, rows: number, seconds: number): TableStat {
  return { table, rows, seconds, rowsPerSecond: seconds > 0 ? rows / seconds : rows };
}

/**
 * Runs the generator (on its own thread, ./generator-thread.ts) and streams each
 * table's COPY text over its own connection. Generation overlaps with ingestion on the
 * server: a chunk is acknowledged (and the generator goes on) once every stream has
 * room for it again.
 */
async function streamLedger(url: string, progress: ProgressSink, job: GeneratorJob): Promise<{ stats: TableStat[]; balances: string }> {
  const start = performance.now();
  const targets = await Promise.all(GENERATED_TABLES.map((t) => CopyTarget.open(url, t, COPY_COLUMNS[t])));
  const byTable = new Map<GeneratedTable, CopyTarget>(GENERATED_TABLES.map((t, i) => [t, targets[i]!]));
  const stats: TableStat[] = [];
  try {
    let lastReport = 0;
    const end = await generateOnThread(job, async (chunk) => {
      const waits: Promise<void>[] = [];
      for (const t of GENERATED_TABLES) {
        const w = byTable.get(t)!.write(chunk.bufs[t]);
        if (w) waits.push(w);
      }
      if (waits.length) await Promise.all(waits);
      const now = performance.now();
      if (now - lastReport > 250) {
        lastReport = now;
        const f = chunk.fraction;
        for (const t of GENERATED_TABLES) progress.rows(t, chunk.counts[t], f > 0.01 && f < 1 ? chunk.counts[t] / f : undefined);
      }
    });
    await Promise.all(
      GENERATED_TABLES.map(async (t) => {
        await byTable.get(t)!.finish();
        const s = stat(t, end.counts[t], (performance.now() - start) / 1000);
        stats.push(s);
        progress.tableDone(s);
      }),
    );
    return { stats: GENERATED_TABLES.map((t) => stats.find((s) => s.table === t)!), balances: end.balances };
  } catch (err) {
    await Promise.all(targets.map((t) => t.abort()));
    throw err;
  }
}
