/**
 * The partitioned variant's tables are derived from the baseline's CREATE TABLE
 * statements (seed/table-ddl.ts) instead of restating them: the baseline file is
 * unchanged, the parser reads it back byte for byte, and on a real server the derived
 * tables have the baseline's columns in the baseline's order with the same types,
 * nullability, defaults and CHECKs, differing only where partitioning needs it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { newClient } from '../src/db/client.js';
import { baselineSql, BASELINE_SQL } from '../seed/sql-files.js';
import { baselineTables, deriveCreateTable, parseCreateTables } from '../seed/table-ddl.js';
import { PARTITIONED_TABLES_DDL } from '../variants/parts/partitioned.js';
import { scratchDatabase } from './helpers/db.js';

test('the baseline table DDL is unchanged (sha256 of 01-tables.sql) and parses back byte for byte', async () => {
  const sql = await baselineSql(BASELINE_SQL.tables);
  assert.equal(createHash('sha256').update(sql).digest('hex'), '3cfbb31e1fc53292a63617152834ba2f6f2e030a09e33c7826b0d5eb7ebd6ae3');
  const tables = baselineTables();
  assert.deepEqual([...tables.keys()], ['accounts', 'journal_entries', 'journal_entry_lines', 'account_balances', 'anchor_authorizations', 'event_correlations', 'audit_log']);
  for (const t of tables.values()) assert.equal(deriveCreateTable(t), t.statement, `${t.name} round trip`);
  assert.deepEqual(tables.get('anchor_authorizations')!.columns.map((c) => c.name), [
    'id', 'user_address', 'anchor_type', 'amount', 'status', 'expires_at', 'journal_entry_id', 'created_at', 'updated_at',
  ]);
});

test('the column template refuses what it cannot read and unknown columns', () => {
  assert.throws(() => parseCreateTables('CREATE TABLE t (\n    a int,\n    CONSTRAINT c CHECK (a > 0)\n);'), /table constraints are not supported/);
  assert.throws(() => parseCreateTables('CREATE TABLE t (\n  a int\n);'), /cannot read this line/);
  const t = parseCreateTables('CREATE TABLE t (\n    a int,\n    b int\n);').get('t')!;
  assert.throws(() => deriveCreateTable(t, { after: { c: '    d int' } }), /t has no column c/);
  assert.equal(deriveCreateTable(t, { after: { a: '    a2 int' }, suffix: ' PARTITION BY RANGE (a)' }), 'CREATE TABLE t (\n    a int,\n    a2 int,\n    b int\n) PARTITION BY RANGE (a);');
});

/** Columns (in order) and CHECK constraints of `schema.table`, as the server sees them. */
async function shape(c: ReturnType<typeof newClient>, schema: string, table: string) {
  const cols = await c.query<{ name: string; type: string; notnull: boolean; def: string | null; identity: string }>(
    `SELECT attname AS name, format_type(atttypid, atttypmod) AS type, attnotnull AS notnull,
            pg_get_expr(d.adbin, d.adrelid) AS def, attidentity AS identity
       FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    [`${schema}.${table}`],
  );
  const checks = await c.query<{ name: string; def: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'c' ORDER BY conname`,
    [`${schema}.${table}`],
  );
  return { cols: cols.rows, checks: checks.rows };
}

test('the partitioned tables keep the baseline columns, order, types, defaults and CHECKs', async () => {
  const db = await scratchDatabase('table_ddl');
  const c = newClient({ connectionString: db.url });
  await c.connect();
  try {
    await c.query(`CREATE SCHEMA base; SET search_path = base; ${await readFile(new URL('../seed/sql/baseline/01-tables.sql', import.meta.url), 'utf8')}`);
    await c.query(`CREATE SCHEMA part; SET search_path = part; CREATE SEQUENCE journal_entries_entry_number_seq_new;
      ${PARTITIONED_TABLES_DDL.journal_entries} ${PARTITIONED_TABLES_DDL.journal_entry_lines} ${PARTITIONED_TABLES_DDL.anchor_authorizations}`);
    for (const table of ['journal_entries', 'journal_entry_lines', 'anchor_authorizations'] as const) {
      const base = await shape(c, 'base', table);
      const part = await shape(c, 'part', table);
      const added = part.cols.filter((col) => !base.cols.some((b) => b.name === col.name));
      assert.deepEqual(added.map((a) => a.name), table === 'journal_entries' ? [] : ['journal_entry_date'], table);
      const kept = part.cols.filter((col) => !added.includes(col));
      const expected = base.cols.map((b) =>
        table === 'journal_entries' && b.name === 'entry_number'
          ? { ...b, def: "nextval('journal_entries_entry_number_seq_new'::regclass)", identity: '' }
          : b,
      );
      assert.deepEqual(kept, expected, `${table}: baseline columns in baseline order`);
      if (added.length) {
        const at = part.cols.findIndex((col) => col.name === 'journal_entry_date');
        assert.equal(part.cols[at - 1]!.name, 'journal_entry_id', `${table}: journal_entry_date follows journal_entry_id`);
      }
      const extra = table === 'anchor_authorizations' ? ['anchor_authorizations_entry_date_check'] : [];
      assert.deepEqual(part.checks.filter((k) => !extra.includes(k.name)), base.checks, `${table}: the baseline CHECKs`);
      assert.deepEqual(part.checks.filter((k) => extra.includes(k.name)).map((k) => k.name), extra);
    }
  } finally {
    await c.end();
    await db.drop();
  }
});
