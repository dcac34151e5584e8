/**
 * Server counters read before and after a run: pg_stat_statements per statement of
 * this database, idx_scan and size per index. Their differences are what the run
 * made the server do (warm-up included; the timed window is not touched: these are
 * read before the first slot and after the last).
 */
import type pg from 'pg';
import type { IndexEvidence, StatementDelta } from '../result/types.js';

/** One pg_stat_statements entry of the database (summed over users). */
export interface StatementCounters {
  queryid: string;
  query: string;
  calls: number;
  totalExecMs: number;
  rows: number;
  sharedBlksHit: number;
  sharedBlksRead: number;
  blkReadMs: number;
}

/** What pg_stat_statements holds for this database, or why it cannot be read. */
export type StatementSnapshot = { ok: true; byId: Map<string, StatementCounters> } | { ok: false; why: string };

/**
 * Makes pg_stat_statements readable in this database (creating the extension in it
 * when the server offers it and `create` allows) and reports why not when it cannot.
 */
export async function prepareStatements(c: pg.Client, create = true): Promise<string | undefined> {
  const lib = await c.query<{ v: string }>(`SELECT current_setting('shared_preload_libraries') AS v`);
  if (!/(^|[\s,])"?pg_stat_statements"?($|[\s,])/.test(lib.rows[0]?.v ?? '')) return 'pg_stat_statements is not in shared_preload_libraries on this server';
  const avail = await c.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'pg_stat_statements'`);
  if (!avail.rowCount) return 'the pg_stat_statements extension is not installed on this server';
  if (!create) {
    const here = await c.query(`SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'`);
    if (!here.rowCount) return 'the pg_stat_statements extension does not exist in this database and was not created (ledger-bench does not change this database: the seeded baseline, or a --target)';
    return undefined;
  }
  try {
    await c.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  } catch (err) {
    return `CREATE EXTENSION pg_stat_statements failed: ${(err as Error).message}`;
  }
  return undefined;
}

/** The column holding block read time: blk_read_time until 16, shared_blk_read_time since 17. */
async function readTimeColumn(c: pg.Client): Promise<string | undefined> {
  const r = await c.query<{ attname: string }>(
    `SELECT attname FROM pg_attribute WHERE attrelid = 'pg_stat_statements'::regclass AND attname IN ('shared_blk_read_time', 'blk_read_time') AND NOT attisdropped`,
  );
  const names = r.rows.map((x) => x.attname);
  return names.includes('shared_blk_read_time') ? 'shared_blk_read_time' : names.includes('blk_read_time') ? 'blk_read_time' : undefined;
}

/** Reads this database's pg_stat_statements entries (call {@link prepareStatements} first). */
export async function snapshotStatements(c: pg.Client): Promise<StatementSnapshot> {
  try {
    const readTime = await readTimeColumn(c);
    const r = await c.query<{ queryid: string; query: string; calls: string; total: number; rows: string; hit: string; read: string; rtime: number }>(
      `SELECT queryid::text AS queryid, min(query) AS query, sum(calls)::int8 AS calls, sum(total_exec_time)::float8 AS total,
              sum(rows)::int8 AS rows, sum(shared_blks_hit)::int8 AS hit, sum(shared_blks_read)::int8 AS read,
              ${readTime ? `sum(${readTime})::float8` : '0::float8'} AS rtime
         FROM pg_stat_statements
        WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND queryid IS NOT NULL
        GROUP BY queryid`,
    );
    const byId = new Map<string, StatementCounters>();
    for (const x of r.rows) {
      byId.set(x.queryid, { queryid: x.queryid, query: x.query, calls: Number(x.calls), totalExecMs: x.total, rows: Number(x.rows), sharedBlksHit: Number(x.hit), sharedBlksRead: Number(x.read), blkReadMs: x.rtime });
    }
    return { ok: true, byId };
  } catch (err) {
    return { ok: false, why: `reading pg_stat_statements failed: ${(err as Error).message}` };
  }
}

/** Lowercased text with literals and $n placeholders as `?` and whitespace collapsed (pg_stat_statements' normalisation, roughly). */
export function normalizeSql(sql: string): string {
  return sql
    .replace(/'(?:[^']|'')*'/g, '?')
    .replace(/\$\d+/g, '?')
    .replace(/\b\d+(?:\.\d+)?\b/g, '?')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/**
 * The counters a statement accumulated between two snapshots. Matched by query id
 * when the server gave one (EXPLAIN VERBOSE's Query Identifier), else by normalized
 * text; undefined when the statement never ran in between.
 */
export function statementDelta(before: Map<string, StatementCounters>, after: Map<string, StatementCounters>, match: { queryid?: string; sql: string }): StatementDelta | undefined {
  let a = match.queryid ? after.get(match.queryid) : undefined;
  if (!a && !match.queryid) {
    const want = normalizeSql(match.sql);
    a = [...after.values()].find((x) => normalizeSql(x.query) === want);
  }
  if (!a) return undefined;
  const b = before.get(a.queryid);
  const calls = a.calls - (b?.calls ?? 0);
  if (calls <= 0) return undefined;
  const totalExecMs = a.totalExecMs - (b?.totalExecMs ?? 0);
  return {
    calls,
    totalExecMs,
    meanExecMs: totalExecMs / calls,
    rows: a.rows - (b?.rows ?? 0),
    sharedBlksHit: a.sharedBlksHit - (b?.sharedBlksHit ?? 0),
    sharedBlksRead: a.sharedBlksRead - (b?.sharedBlksRead ?? 0),
    blkReadMs: a.blkReadMs - (b?.blkReadMs ?? 0),
  };
}

/** One index row of pg_stat_user_indexes, with the partitioned index it belongs to. */
export interface IndexCounters {
  index: string;
  table: string;
  scans: number;
  sizeBytes: number;
  unique: boolean;
  primary: boolean;
  /** True for the index of one partition (folded into its root's row). */
  partition: boolean;
}

/** idx_scan and size of every index of the public schema, keyed by index oid. */
export async function snapshotIndexes(c: pg.Client): Promise<Map<string, IndexCounters>> {
  // A partition's index is named after its root (pg_partition_root, 12+), so a
  // partitioned table's indexes fold into one row instead of one per month.
  const r = await c.query<{ oid: string; index: string; tbl: string; scans: string; bytes: string; uniq: boolean; prim: boolean; part: boolean }>(
    `SELECT s.indexrelid::text AS oid,
            coalesce(rc.relname, s.indexrelname) AS index,
            coalesce(rt.relname, s.relname) AS tbl,
            coalesce(s.idx_scan, 0)::int8 AS scans,
            pg_relation_size(s.indexrelid)::int8 AS bytes,
            i.indisunique AS uniq, i.indisprimary AS prim, rc.oid IS NOT NULL AS part
       FROM pg_stat_user_indexes s
       JOIN pg_index i ON i.indexrelid = s.indexrelid
       LEFT JOIN pg_class rc ON rc.oid = pg_partition_root(s.indexrelid) AND rc.oid <> s.indexrelid
       LEFT JOIN pg_index ri ON ri.indexrelid = rc.oid
       LEFT JOIN pg_class rt ON rt.oid = ri.indrelid
      WHERE s.schemaname = 'public'`,
  );
  return new Map(r.rows.map((x) => [x.oid, { index: x.index, table: x.tbl, scans: Number(x.scans), sizeBytes: Number(x.bytes), unique: x.uniq, primary: x.prim, partition: x.part }]));
}

/** Per index (partitions folded into their root): size after the run and idx_scan delta, biggest delta first. */
export function indexDeltas(before: Map<string, IndexCounters>, after: Map<string, IndexCounters>): IndexEvidence[] {
  const rows = new Map<string, IndexEvidence>();
  for (const [oid, a] of after) {
    const delta = a.scans - (before.get(oid)?.scans ?? 0);
    const row = rows.get(a.index);
    if (row) {
      row.sizeBytes += a.sizeBytes;
      row.idxScanDelta += delta;
      row.partitions = (row.partitions ?? 0) + 1;
    } else {
      rows.set(a.index, { index: a.index, table: a.table, sizeBytes: a.sizeBytes, idxScanDelta: delta, ...(a.partition ? { partitions: 1 } : {}), unique: a.unique, primary: a.primary });
    }
  }
  return [...rows.values()].sort((x, y) => y.idxScanDelta - x.idxScanDelta || x.index.localeCompare(y.index));
}
