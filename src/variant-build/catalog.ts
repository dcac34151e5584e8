/** Small catalog queries the migration steps and reports need. */
import type pg from 'pg';

/** Minimal query surface (a pg.Client or pg.PoolClient). */
export interface Queryable {
  query: pg.Client['query'];
}

/** True when `table` (in the search path) is a partitioned table (relkind 'p'). */
export async function isPartitioned(client: Queryable, table: string): Promise<boolean> {
  const r = await client.query<{ kind: string | null }>(
    `SELECT c.relkind::text AS kind FROM pg_class c WHERE c.oid = to_regclass($1)`,
    [table],
  );
  return r.rows[0]?.kind === 'p';
}

/** Direct partitions of `table`, ordered by name (empty for a plain table). */
export async function partitionsOf(client: Queryable, table: string): Promise<string[]> {
  const r = await client.query<{ name: string }>(
    `SELECT c.relname AS name
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = to_regclass($1)
      ORDER BY c.relname`,
    [table],
  );
  return r.rows.map((x) => x.name);
}

/**
 * Size in bytes of an index; for a partitioned index, the sum over its partitions
 * (pg_relation_size of a partitioned index itself is 0).
 */
export async function indexSizeBytes(client: Queryable, index: string): Promise<number> {
  const r = await client.query<{ bytes: string | null }>(
    `SELECT CASE WHEN c.relkind = 'I'
                 THEN (SELECT sum(pg_relation_size(relid)) FROM pg_partition_tree(c.oid) WHERE isleaf)
                 ELSE pg_relation_size(c.oid) END::text AS bytes
       FROM pg_class c WHERE c.oid = to_regclass($1)`,
    [index],
  );
  return Number(r.rows[0]?.bytes ?? 0);
}

/** Indexes left INVALID by a failed concurrent build (they still cost every write). */
export async function invalidIndexes(client: Queryable): Promise<string[]> {
  const r = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE NOT i.indisvalid AND n.nspname = 'public' ORDER BY 1`,
  );
  return r.rows.map((x) => x.name);
}

/** True when the server can install pg_stat_statements. */
export async function extensionAvailable(client: Queryable, name: string): Promise<boolean> {
  const r = await client.query(`SELECT 1 FROM pg_available_extensions WHERE name = $1`, [name]);
  return (r.rowCount ?? 0) > 0;
}
