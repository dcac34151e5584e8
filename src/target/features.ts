/**
 * Which of the review's changes an existing database (`--target`) already has, read
 * from its catalog: the features the variants add (src/variant-build/types.ts). Each read
 * scenario then runs its after-query where the feature is there and its before-query
 * otherwise, as on a variant built by the harness. Reads the catalog only.
 */
import type pg from 'pg';
import type { Feature } from '../variant-build/types.js';
import { REVIEW_INDEXES } from '../../variants/parts/review-indexes.js';

/** Whether one feature was found, and why (recorded in the result). */
export interface FeatureFinding {
  feature: Feature;
  present: boolean;
  why: string;
}

/** Key columns of an index definition `(a, b, c) [WHERE ...]`. */
function keyColumns(definition: string): string[] {
  return (/^\s*\(([^)]*)\)/.exec(definition)?.[1] ?? '').split(',').map((c) => c.trim()).filter(Boolean);
}

/** Every index of `tables` (search path) with its key columns in order. */
async function indexesOf(c: pg.Client, tables: readonly string[]): Promise<Array<{ table: string; index: string; columns: string[]; partial: boolean }>> {
  const r = await c.query<{ tbl: string; idx: string; cols: string[]; partial: boolean }>(
    `SELECT t.relname AS tbl, i.relname AS idx,
            array(SELECT a.attname FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
                   JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
                  WHERE k.ord <= x.indnkeyatts ORDER BY k.ord)::text[] AS cols,
            x.indpred IS NOT NULL AS partial
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
      WHERE t.oid = ANY (SELECT to_regclass(n) FROM unnest($1::text[]) n)`,
    [tables],
  );
  return r.rows.map((x) => ({ table: x.tbl, index: x.idx, columns: x.cols, partial: x.partial }));
}

/** relkind and whether populated, of a relation in the search path (undefined when absent). */
async function relation(c: pg.Client, name: string): Promise<{ kind: string; populated: boolean } | undefined> {
  const r = await c.query<{ kind: string; populated: boolean }>(`SELECT relkind::text AS kind, relispopulated AS populated FROM pg_class WHERE oid = to_regclass($1)`, [name]);
  return r.rows[0];
}

async function hasColumn(c: pg.Client, table: string, column: string): Promise<boolean> {
  const r = await c.query(`SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname = $2 AND attnum > 0 AND NOT attisdropped`, [table, column]);
  return (r.rowCount ?? 0) > 0;
}

async function hasFunction(c: pg.Client, name: string): Promise<boolean> {
  const r = await c.query(`SELECT 1 FROM pg_proc WHERE proname = $1 AND pg_function_is_visible(oid)`, [name]);
  return (r.rowCount ?? 0) > 0;
}

/** A materialized view that can be read: present and populated. */
function matviewWhy(name: string, rel: { kind: string; populated: boolean } | undefined): string | undefined {
  if (!rel) return `no ${name}`;
  if (rel.kind !== 'm') return `${name} is not a materialized view`;
  if (!rel.populated) return `${name} is not populated (REFRESH it first)`;
  return undefined;
}

/** The review's features the database has, with why each is (not) there. */
export async function detectFeatures(c: pg.Client): Promise<{ features: Feature[]; findings: FeatureFinding[] }> {
  const findings: FeatureFinding[] = [];
  const add = (feature: Feature, missing: string | undefined, found: string) => findings.push({ feature, present: !missing, why: missing ?? found });

  // The review's six indexes, by name or by an index with the same key columns (in order),
  // partial where the review's is (its predicate is not compared: the planner decides).
  const indexes = await indexesOf(c, [...new Set(REVIEW_INDEXES.map((x) => x.table))]);
  const matches = REVIEW_INDEXES.map((spec) => {
    const cols = keyColumns(spec.definition);
    const partial = /\)\s*WHERE\s/i.test(spec.definition);
    const hit =
      indexes.find((i) => i.index === spec.name) ??
      indexes.find((i) => i.table === spec.table && cols.length > 0 && i.columns.join(',') === cols.join(',') && i.partial === partial);
    return { spec, hit };
  });
  const absent = matches.filter((m) => !m.hit).map((m) => m.spec.name);
  add(
    'compound-indexes',
    absent.length ? `${absent.length} of the review's ${matches.length} indexes missing (by name or key columns): ${absent.join(', ')}` : undefined,
    `the review's ${matches.length} indexes found (${matches.map((m) => (m.hit?.index === m.spec.name ? m.spec.name : `${m.spec.name} as ${m.hit?.index}`)).join(', ')})`,
  );

  const current = await relation(c, 'mv_account_balances_current');
  const currentMissing = matviewWhy('mv_account_balances_current', current);
  add('mv-current', currentMissing, 'mv_account_balances_current (materialized view, populated; not refreshed by ledger-bench: as fresh as the target keeps it)');

  const optimized = await relation(c, 'mv_account_balances_optimized');
  const fast = await hasFunction(c, 'get_account_balance_fast');
  add(
    'mv-optimized',
    matviewWhy('mv_account_balances_optimized', optimized) ?? (fast ? undefined : 'no function get_account_balance_fast()'),
    'mv_account_balances_optimized (populated; not refreshed by ledger-bench) and get_account_balance_fast()',
  );

  const events = await relation(c, 'account_balance_events');
  add('balance-events', events ? undefined : 'no account_balance_events table', 'account_balance_events table');

  const journal = await relation(c, 'journal_entries');
  const dated = await hasColumn(c, 'journal_entry_lines', 'journal_entry_date');
  add(
    'partitioned-journal',
    journal?.kind !== 'p' ? 'journal_entries is not partitioned' : dated ? undefined : 'journal_entries is partitioned, but journal_entry_lines has no journal_entry_date to prune by',
    'journal_entries is partitioned and journal_entry_lines carries journal_entry_date',
  );

  const anchors = await relation(c, 'anchor_authorizations');
  add('partitioned-anchors', anchors?.kind === 'p' ? undefined : 'anchor_authorizations is not partitioned', 'anchor_authorizations is partitioned');

  const monitoring = await relation(c, 'v_slow_queries');
  add('monitoring', monitoring ? undefined : 'no v_slow_queries view', 'v_slow_queries view');

  return { features: findings.filter((f) => f.present).map((f) => f.feature), findings };
}
