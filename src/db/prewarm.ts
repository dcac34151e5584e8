/**
 * Pre-warm of a fresh clone before the clock starts, the same for every variant: a
 * TEMPLATE clone starts with cold caches for its own relations, and the first seconds
 * of a run would measure reads from disk (or the OS cache) rather than the schema.
 * pg_prewarm loads every table, index and materialized view into shared buffers when
 * the extension is available; otherwise a sequential read pass (`SELECT count(*)`) over
 * every table and materialized view loads their heaps (indexes then warm up in the warm-up).
 */
import { newClient } from './client.js';
import { quoteIdent } from './ownership.js';

/** What {@link prewarmDatabase} did. */
export interface PrewarmReport {
  method: 'pg_prewarm' | 'read-pass' | 'none';
  relations: number;
  ms: number;
}

/** No pre-warm: a database measured as it is (`--target`), whose reads ledger-bench does not multiply by a pass over every table. */
export const NO_PREWARM: PrewarmReport = { method: 'none', relations: 0, ms: 0 };

/**
 * Pre-warms the database at `url` (user relations only). With `createExtension: false`
 * pg_prewarm is used only when already installed there (a database that must not change,
 * such as the seeded baseline a read-only run uses directly); otherwise the read pass.
 */
export async function prewarmDatabase(url: string, opts: { createExtension?: boolean } = {}): Promise<PrewarmReport> {
  const t0 = performance.now();
  const client = newClient({ connectionString: url });
  await client.connect();
  try {
    const available = await client.query(
      opts.createExtension === false
        ? `SELECT 1 FROM pg_extension WHERE extname = 'pg_prewarm'`
        : `SELECT 1 FROM pg_available_extensions WHERE name = 'pg_prewarm'`,
    );
    if (available.rowCount) {
      try {
        if (opts.createExtension !== false) await client.query('CREATE EXTENSION IF NOT EXISTS pg_prewarm');
        const r = await client.query<{ n: string }>(
          `SELECT count(pg_prewarm(c.oid)) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'i', 'm') AND c.relpersistence = 'p'
              AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'`,
        );
        return { method: 'pg_prewarm', relations: Number(r.rows[0]!.n), ms: performance.now() - t0 };
      } catch {
        // No privilege to create it: the read pass below does the same for the heaps.
      }
    }
    const rels = await client.query<{ schema: string; name: string }>(
      `SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'm') AND c.relpersistence = 'p' AND c.relispopulated
          AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'`,
    );
    for (const r of rels.rows) await client.query(`SELECT count(*) FROM ${quoteIdent(r.schema)}.${quoteIdent(r.name)}`);
    return { method: 'read-pass', relations: rels.rows.length, ms: performance.now() - t0 };
  } finally {
    await client.end();
  }
}
