/**
 * Builds a variant database: clone `<prefix>_baseline` with CREATE DATABASE ...
 * TEMPLATE (so every variant has byte-identical data), apply the variant's steps,
 * ANALYZE, and report what each step cost.
 */
import { newClient } from '../db/client.js';
import { ownedDatabaseName } from '../db/names.js';
import pg from 'pg';
import { dropOwnedDatabase, quoteIdent, recreateOwnedDatabase, setOwnedDatabasePurpose, withAdminClient } from '../db/ownership.js';
import { dataFingerprint, fingerprintDiff, type DataFingerprint } from '../db/fingerprint.js';
import { variantBuildingPurpose, variantCompletePurpose } from '../db/marks.js';
import { cloneSourceFingerprint } from '../db/readiness.js';
import { withDatabase } from '../db/connection-url.js';
import { UserError } from '../errors.js';
import { indexSizeBytes, invalidIndexes } from './catalog.js';
import type { IndexStep, VariantDefinition, VariantStep } from './types.js';

/** Options of {@link migrateVariant}. */
export interface MigrateOptions {
  /** Server URL (any database on the server; the maintenance database is fine). */
  serverUrl: string;
  /** Database prefix: the template is `<prefix>_baseline`, the result `<prefix>_<variant>`. */
  prefix: string;
  /** The variant to build (variants/registry.ts finds one by name). */
  variant: VariantDefinition;
  /** Replace `<prefix>_<variant>` even when it was not created by ledger-bench. */
  force?: boolean;
  /**
   * Build indexes with CONCURRENTLY (default true, the review's "no locking" plan).
   * false builds them in a transaction, which is faster on an idle clone.
   */
  concurrently?: boolean;
  /** Called after each step (progress output). */
  onStep?: (step: StepReport) => void;
  /**
   * Build into this database instead of `<prefix>_<variant>` (the gate builds base and
   * head as two clones even when they are the same variant).
   */
  database?: string;
  /**
   * Ctrl-C: the running statement is cancelled on the server and no further step
   * starts; the database keeps its "building" mark (incomplete).
   */
  signal?: AbortSignal;
}

/** How one index was built. */
export interface IndexReport {
  index: string;
  table: string;
  concurrently: boolean;
  sizeBytes: number;
}

/** One executed (or skipped) step. */
export interface StepReport {
  name: string;
  kind: 'sql' | 'index' | 'skip';
  ms: number;
  /** Whether it ran inside a transaction block. */
  transaction: boolean;
  skipped?: string;
  index?: IndexReport;
}

/** What {@link migrateVariant} did. */
export interface MigrationReport {
  variant: string;
  database: string;
  // No connection URL here: reports are serialized (comparison.json) and a URL carries
  // the password. Callers that connect use withDatabase(serverUrl, database).
  template: string;
  /** CREATE DATABASE ... TEMPLATE time (0 for the baseline itself). */
  cloneMs: number;
  steps: StepReport[];
  analyzeMs: number;
  totalMs: number;
  /** Every index built, with its final size (for a partitioned parent: sum over partitions). */
  indexes: IndexReport[];
}

/** Database name of a variant: `<prefix>_<variant>` with hyphens as underscores (no quoting needed in psql). */
export function variantDatabase(prefix: string, variant: string): string {
  return ownedDatabaseName(prefix, variant);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * CREATE DATABASE ... TEMPLATE fails while anyone is connected to the template.
 * Connections closed a moment ago may still be exiting, so wait briefly before
 * naming who is connected. Exported for verify's scratch clones.
 */
export async function waitForIdleTemplate(serverUrl: string, template: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const others = await withAdminClient(serverUrl, async (admin) => {
      const r = await admin.query<{ pid: number; app: string; client: string | null }>(
        `SELECT pid, application_name AS app, client_addr::text AS client FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [template],
      );
      return r.rows;
    });
    if (others.length === 0) return;
    if (i === 49) {
      throw new UserError(
        `cannot clone "${template}": ${others.length} other session(s) are connected to it ` +
          `(pids ${others.map((o) => o.pid).join(', ')}). CREATE DATABASE ... TEMPLATE needs the template idle; close them and retry.`,
      );
    }
    await sleep(100);
  }
}

async function templateExists(serverUrl: string, template: string): Promise<boolean> {
  return withAdminClient(serverUrl, async (admin) => {
    const r = await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [template]);
    return (r.rowCount ?? 0) > 0;
  });
}

/** Runs one non-dynamic step on `client` and reports it. */
async function runStep(client: pg.Client, step: Exclude<VariantStep, { kind: 'dynamic' }>, concurrently: boolean): Promise<StepReport> {
  const t0 = performance.now();
  if (step.kind === 'skip') return { name: step.name, kind: 'skip', ms: 0, transaction: false, skipped: step.reason };
  if (step.kind === 'sql') {
    const inTx = step.transaction !== false;
    if (inTx) {
      await client.query('BEGIN');
      try {
        await client.query(step.sql);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw withStep(err, step.name);
      }
    } else {
      await client.query(step.sql).catch((err: unknown) => {
        throw withStep(err, step.name);
      });
    }
    const index = step.createsIndex ? { ...step.createsIndex, concurrently: !inTx, sizeBytes: 0 } : undefined;
    return { name: step.name, kind: 'sql', ms: performance.now() - t0, transaction: inTx, ...(index ? { index } : {}) };
  }
  return runIndexStep(client, step, concurrently, t0);
}

async function runIndexStep(client: pg.Client, step: IndexStep, concurrentlyAllowed: boolean, t0: number): Promise<StepReport> {
  const concurrently = concurrentlyAllowed && step.concurrently !== false;
  const sql = `CREATE ${step.unique ? 'UNIQUE ' : ''}INDEX ${concurrently ? 'CONCURRENTLY ' : ''}${quoteIdent(step.index)} ON ${quoteIdent(step.table)} ${step.definition}`;
  try {
    await client.query(sql);
  } catch (err) {
    // A failed concurrent build leaves an INVALID index that is still maintained on
    // every write (trap 7): drop it rather than leave it behind.
    if (concurrently) await client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${quoteIdent(step.index)}`).catch(() => undefined);
    throw withStep(err, step.name);
  }
  const index: IndexReport = { index: step.index, table: step.table, concurrently, sizeBytes: await indexSizeBytes(client, step.index) };
  return { name: step.name, kind: 'index', ms: performance.now() - t0, transaction: !concurrently, index };
}

function withStep(err: unknown, step: string): Error {
  const e = err instanceof Error ? err : new Error(String(err));
  e.message = `variant step "${step}" failed: ${e.message}`;
  return e;
}

/**
 * Applies `steps` to the database `client` is connected to, expanding dynamic steps
 * right before they run. Exported for tests and for variants built in place.
 */
export async function applySteps(
  client: pg.Client,
  steps: readonly VariantStep[],
  opts: { concurrently?: boolean; onStep?: (s: StepReport) => void; signal?: AbortSignal } = {},
): Promise<StepReport[]> {
  const out: StepReport[] = [];
  for (const step of steps) {
    if (opts.signal?.aborted) throw new Error(`interrupted before variant step "${step.name}"`);
    if (step.kind === 'dynamic') {
      out.push(...(await applySteps(client, await step.expand(client), opts)));
      continue;
    }
    const report = await runStep(client, step, opts.concurrently ?? true);
    out.push(report);
    opts.onStep?.(report);
  }
  return out;
}

/**
 * Creates `<prefix>_<variant>` as a clone of `<prefix>_baseline`, applies the
 * variant's steps and ANALYZE, and returns the per-step report. For the `baseline`
 * variant nothing is cloned: the report describes the seeded database as is.
 */
export async function migrateVariant(options: MigrateOptions): Promise<MigrationReport> {
  const variant = options.variant;
  const template = variantDatabase(options.prefix, 'baseline');
  const database = options.database ?? variantDatabase(options.prefix, variant.name);
  const t0 = performance.now();
  if (!(await templateExists(options.serverUrl, template))) {
    throw new UserError(`template database "${template}" does not exist: seed it first (ledger-bench seed --db-prefix ${options.prefix})`);
  }
  let url = withDatabase(options.serverUrl, database);
  let cloneMs = 0;
  let clonedWith: DataFingerprint | undefined;
  if (database !== template) {
    // Refuses an incomplete or changed baseline before anything is replaced.
    clonedWith = await cloneSourceFingerprint(options.serverUrl, template);
    await waitForIdleTemplate(options.serverUrl, template);
    const c0 = performance.now();
    // Marked as building until the very end: an interrupted migrate never looks complete.
    url = await recreateOwnedDatabase(options.serverUrl, database, {
      force: options.force,
      template,
      purpose: variantBuildingPurpose(variant.name, template),
    });
    cloneMs = performance.now() - c0;
  }
  const client = newClient({ connectionString: url });
  await client.connect();
  const stopOnAbort = cancelOnAbort(options.serverUrl, client, options.signal);
  let built = false;
  try {
    const steps = await applySteps(client, database === template ? [] : variant.steps, {
      concurrently: options.concurrently,
      onStep: options.onStep,
      signal: options.signal,
    });
    const invalid = await invalidIndexes(client);
    if (invalid.length > 0) throw new Error(`variant ${variant.name} left INVALID indexes: ${invalid.join(', ')}`);
    const a0 = performance.now();
    if (database !== template) await client.query('ANALYZE');
    const analyzeMs = performance.now() - a0;
    const indexes = await finalIndexSizes(client, steps);
    if (database !== template) await markComplete(options.serverUrl, client, variant.name, database, template, clonedWith);
    built = true;
    return { variant: variant.name, database, template, cloneMs, steps, analyzeMs, totalMs: performance.now() - t0, indexes };
  } catch (err) {
    // The user's own SQL (--variants-dir) failed: bad input, reported without a stack.
    if (variant.origin) throw new UserError(`${variant.origin}: ${(err as Error).message}; the clone was dropped, fix the file and run again`);
    throw err;
  } finally {
    stopOnAbort();
    await client.end();
    // A statement of the user's own SQL failed: drop the half-built clone. A built-in
    // variant that failed or was interrupted keeps its "building" mark instead, which
    // run/compare/verify refuse (src/db/readiness.ts), so either way nothing half-built is measured.
    if (!built && variant.origin && database !== template) await dropOwnedDatabase(options.serverUrl, database).catch(() => undefined);
  }
}

/**
 * Cancels the statement `client` is running when `signal` aborts (a step can take
 * minutes; closing the socket alone would let the server finish it). Returns the
 * function that stops listening.
 */
function cancelOnAbort(serverUrl: string, client: pg.Client, signal?: AbortSignal): () => void {
  if (!signal) return () => undefined;
  const pid = (client as unknown as { processID: number }).processID;
  const cancel = () => {
    void withAdminClient(serverUrl, (admin) => admin.query('SELECT pg_cancel_backend($1)', [pid])).catch(() => undefined);
  };
  signal.addEventListener('abort', cancel, { once: true });
  return () => signal.removeEventListener('abort', cancel);
}

/**
 * The last step of a migration: check the variant still holds the baseline's data
 * (a migration reshapes, it must not change rows), then mark it complete with the
 * fingerprint later runs compare against.
 */
async function markComplete(serverUrl: string, client: pg.Client, variant: string, database: string, template: string, clonedWith?: DataFingerprint): Promise<void> {
  if (clonedWith) {
    const diff = fingerprintDiff(clonedWith, await dataFingerprint(client));
    if (diff.length > 0) throw new Error(`variant ${variant} changed the data it was cloned with (${diff.join(', ')}); it stays marked incomplete`);
    await setOwnedDatabasePurpose(serverUrl, database, variantCompletePurpose(variant, template, clonedWith));
  } else {
    await setOwnedDatabasePurpose(serverUrl, database, `variant ${variant} complete of ${template}`);
  }
}

/** Index reports with sizes taken at the end: a partitioned parent's size is the sum over its partitions. */
async function finalIndexSizes(client: pg.Client, steps: StepReport[]): Promise<IndexReport[]> {
  const out: IndexReport[] = [];
  for (const s of steps) {
    if (s.index) out.push({ ...s.index, sizeBytes: await indexSizeBytes(client, s.index.index) });
  }
  return out;
}
