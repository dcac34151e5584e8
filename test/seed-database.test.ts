import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { scratchDatabase } from './helpers/db.js';
import { SEEDED_TABLES, tableHashes } from './helpers/table-hashes.js';
import { seedDatabase, readSeedMeta, accountIdForRank } from '../seed/seed-database.js';
import { SCALES } from '../seed/scales.js';
import { SYSTEM_ACCOUNTS } from '../seed/accounts.js';
import { UserError } from '../src/errors.js';

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const dbs: Array<{ drop(): Promise<void> }> = [];
after(async () => {
  for (const d of dbs) await d.drop();
});

test('same seed gives byte-identical tables; another seed differs', async () => {
  const a = await scratchDatabase('seed_det_a');
  const b = await scratchDatabase('seed_det_b');
  const c = await scratchDatabase('seed_det_c');
  dbs.push(a, b, c);
  await seedDatabase({ url: a.url, scale: 'small', seed: 7, entries: 8000 });
  await seedDatabase({ url: b.url, scale: 'small', seed: 7, entries: 8000 });
  await seedDatabase({ url: c.url, scale: 'small', seed: 8, entries: 8000 });
  const [ha, hb, hc] = await Promise.all([tableHashes(a.url), tableHashes(b.url), tableHashes(c.url)]);
  assert.deepEqual(ha, hb);
  for (const t of Object.keys(SEEDED_TABLES)) assert.notEqual(ha[t], hc[t], `table ${t} should differ between seeds`);
});

test('invalid options are user errors', async () => {
  await assert.rejects(seedDatabase({ url: 'postgres://x/y', scale: 'huge' as 'small', seed: 1 }), UserError);
  await assert.rejects(seedDatabase({ url: 'postgres://x/y', scale: 'small', seed: 1, asOf: '2026-02-30' }), UserError);
  await assert.rejects(seedDatabase({ url: 'postgres://x/y', scale: 'small', seed: 1.5 }), UserError);
});

// One full small-scale seed, shared by the invariant tests below.
let url = '';
before(async () => {
  const db = await scratchDatabase('seed_small');
  dbs.push(db);
  url = db.url;
  await seedDatabase({ url, scale: 'small', seed: 1 });
});

const one = async <T extends Record<string, unknown>>(sql: string): Promise<T> =>
  withClient(url, async (c) => (await c.query<T>(sql)).rows[0]!);

test('row counts of the small scale match the documented shape', async () => {
  const meta = await withClient(url, readSeedMeta);
  const n = SCALES.small.entries;
  assert.equal(meta.counts.journal_entries, n);
  assert.equal(meta.counts.accounts, SCALES.small.accounts + SYSTEM_ACCOUNTS.length);
  assert.equal(meta.counts.account_balances, meta.counts.accounts);
  const ratio = (t: string): number => meta.counts[t]! / n;
  // docs/seeding.md: ~2.42 lines, ~0.30 authorizations, ~1.76 events, ~1.62 audit rows per entry.
  assert.ok(Math.abs(ratio('journal_entry_lines') - 2.42) < 0.03, `lines/entry ${ratio('journal_entry_lines')}`);
  assert.ok(Math.abs(ratio('anchor_authorizations') - 0.3) < 0.02);
  assert.ok(Math.abs(ratio('event_correlations') - 1.76) < 0.05);
  assert.ok(Math.abs(ratio('audit_log') - 1.62) < 0.05);
  for (const [t, rows] of Object.entries(meta.counts)) {
    const r = await one<{ n: string }>(`SELECT count(*) AS n FROM ${t}`);
    assert.equal(Number(r.n), rows, t);
  }
  assert.equal(meta.startDate, '2024-11-01');
  assert.equal(meta.endDate, '2026-10-31');
  const span = await one<{ lo: string; hi: string }>(`SELECT min(date)::text AS lo, max(date)::text AS hi FROM journal_entries`);
  assert.equal(span.lo, meta.startDate);
  assert.equal(span.hi, meta.endDate);
});

test('every posted entry balances and the trial balance is zero', async () => {
  const unbalanced = await one<{ n: string }>(`
    SELECT count(*) AS n FROM (
      SELECT e.id FROM journal_entries e JOIN journal_entry_lines l ON l.journal_entry_id = e.id
       GROUP BY e.id
      HAVING sum(l.amount) FILTER (WHERE l.line_type = 'DEBIT') IS DISTINCT FROM sum(l.amount) FILTER (WHERE l.line_type = 'CREDIT')
          OR count(*) < 2) x`);
  assert.equal(Number(unbalanced.n), 0);
  const trial = await one<{ t: string }>(`
    SELECT sum(CASE WHEN l.line_type = 'DEBIT' THEN l.amount ELSE -l.amount END)::text AS t
      FROM journal_entry_lines l JOIN journal_entries e ON e.id = l.journal_entry_id AND e.status = 'Posted'`);
  assert.equal(Number(trial.t), 0);
  const shapes = await one<{ bad: string }>(`
    SELECT count(*) AS bad FROM (SELECT count(*) c FROM journal_entry_lines GROUP BY journal_entry_id) x WHERE c NOT BETWEEN 2 AND 5`);
  assert.equal(Number(shapes.bad), 0);
});

test('account_balances equals the sum of posted lines for every account', async () => {
  const r = await one<{ bad: string; zero: string }>(`
    SELECT count(*) FILTER (WHERE b.current_balance IS DISTINCT FROM coalesce(s.bal, 0)) AS bad,
           count(*) FILTER (WHERE s.bal IS NULL) AS zero
      FROM accounts a
      LEFT JOIN account_balances b ON b.account_id = a.id
      LEFT JOIN (SELECT l.account_id, sum(CASE WHEN l.line_type = 'DEBIT' THEN l.amount ELSE -l.amount END) bal
                   FROM journal_entry_lines l JOIN journal_entries e ON e.id = l.journal_entry_id AND e.status = 'Posted'
                  GROUP BY l.account_id) s ON s.account_id = a.id`);
  assert.equal(Number(r.bad), 0);
  assert.ok(Number(r.zero) > 0, 'some accounts have no posted line and still have a (zero) balance row');
});

test('statuses and sources are within the documented ranges', async () => {
  const e = await one<{ posted: number; draft: number; voided: number; anchor: number }>(`
    SELECT avg((status = 'Posted')::int)::float AS posted, avg((status = 'Draft')::int)::float AS draft,
           avg((status = 'Void')::int)::float AS voided, avg((source = 'ANCHOR')::int)::float AS anchor FROM journal_entries`);
  assert.ok(e.posted > 0.91 && e.posted < 0.93, `posted ${e.posted}`);
  assert.ok(e.draft > 0.05 && e.draft < 0.07);
  assert.ok(e.voided > 0.015 && e.voided < 0.025);
  assert.ok(e.anchor > 0.43 && e.anchor < 0.47);
  const a = await one<{ active: number; bad_active: string; bad_past: string; bad_link: string; soon: string }>(`
    SELECT avg((status IN ('AUTHORIZED','PENDING'))::int)::float AS active,
           count(*) FILTER (WHERE status IN ('AUTHORIZED','PENDING') AND expires_at <= '2026-11-01T00:00:00Z') AS bad_active,
           count(*) FILTER (WHERE status IN ('EXPIRED','FAILED') AND expires_at >= '2026-11-01T00:00:00Z') AS bad_past,
           count(*) FILTER (WHERE (status = 'FULFILLED') <> (journal_entry_id IS NOT NULL)) AS bad_link,
           count(*) FILTER (WHERE status IN ('AUTHORIZED','PENDING') AND expires_at < '2026-11-01T01:00:00Z') AS soon
      FROM anchor_authorizations`);
  assert.ok(a.active > 0.28 && a.active < 0.32, `active ${a.active}`);
  assert.equal(Number(a.bad_active), 0);
  assert.equal(Number(a.bad_past), 0);
  assert.equal(Number(a.bad_link), 0);
  assert.ok(Number(a.soon) > 0, 'some active authorizations expire within the hour');
  const linked = await one<{ bad: string }>(`
    SELECT count(*) AS bad FROM anchor_authorizations a JOIN journal_entries e ON e.id = a.journal_entry_id
     WHERE e.source <> 'ANCHOR' OR e.status <> 'Posted'`);
  assert.equal(Number(linked.bad), 0);
});

test('account choice is skewed and matches accountIdForRank', async () => {
  const meta = await withClient(url, readSeedMeta);
  const top = await one<{ share: number }>(`
    WITH per AS (SELECT account_id, count(*) c FROM journal_entry_lines WHERE account_id > ${meta.accountIdOffset} GROUP BY account_id),
         ranked AS (SELECT c, row_number() OVER (ORDER BY c DESC) rn FROM per)
    SELECT (sum(c) FILTER (WHERE rn <= ${meta.zipfAccounts / 100}))::float / sum(c) AS share FROM ranked`);
  assert.ok(top.share > 0.4, `top 1% of accounts carry ${top.share} of lines`);
  const hottest = await one<{ account_id: number }>(`
    SELECT account_id FROM journal_entry_lines WHERE account_id > ${meta.accountIdOffset}
     GROUP BY account_id ORDER BY count(*) DESC LIMIT 1`);
  assert.equal(hottest.account_id, accountIdForRank(1, meta));
  assert.notEqual(accountIdForRank(1, meta), meta.accountIdOffset + 1, 'hot ranks are scattered over ids');
});

test('user addresses are well formed and reused (Zipf)', async () => {
  const r = await one<{ bad: string; addrs: string; rows: string; top: string }>(`
    SELECT count(*) FILTER (WHERE user_address !~ '^0x[0-9a-f]{40}$') AS bad, count(DISTINCT user_address) AS addrs,
           count(*) AS rows, (SELECT max(c) FROM (SELECT count(*) c FROM anchor_authorizations GROUP BY user_address) x) AS top
      FROM anchor_authorizations`);
  assert.equal(Number(r.bad), 0);
  assert.ok(Number(r.addrs) < Number(r.rows));
  assert.ok(Number(r.top) > 50, `busiest address has ${r.top} authorizations`);
});

test('events and audit rows tie entries and authorizations together', async () => {
  const r = await one<{ fulfilled: string; correlated: string; audit_ins: string; entries: string; auths: string }>(`
    SELECT (SELECT count(*) FROM anchor_authorizations WHERE status = 'FULFILLED') AS fulfilled,
           (SELECT count(*) FROM event_correlations f JOIN event_correlations p
               ON p.correlation_id = f.correlation_id AND p.event_type = 'ENTRY_POSTED'
              AND p.payload->>'journal_entry_id' = f.payload->>'journal_entry_id'
             WHERE f.event_type = 'AUTHORIZATION_FULFILLED') AS correlated,
           (SELECT count(*) FROM audit_log WHERE action = 'INSERT') AS audit_ins,
           (SELECT count(*) FROM journal_entries) AS entries,
           (SELECT count(*) FROM anchor_authorizations) AS auths`);
  assert.equal(r.correlated, r.fulfilled);
  assert.equal(Number(r.audit_ins), Number(r.entries) + Number(r.auths));
  const upd = await one<{ bad: string }>(`
    SELECT count(*) AS bad FROM audit_log a JOIN journal_entries e ON a.record_id = e.id::text
     WHERE a.action = 'UPDATE' AND a.new_data->>'status' = 'Void' AND e.status <> 'Void'`);
  assert.equal(Number(upd.bad), 0);
  // Triggers are installed: posting a balanced entry updates account_balances.
  await withClient(url, async (c) => {
    await c.query('BEGIN');
    const before = await c.query<{ b: string }>(`SELECT current_balance::text b FROM account_balances WHERE account_id = 1`);
    await c.query(`INSERT INTO journal_entries (id, date, source, status) VALUES ('00000000-0000-4000-8000-000000000001', '2026-10-31', 'MANUAL', 'Posted')`);
    await c.query(`INSERT INTO journal_entry_lines (journal_entry_id, line_number, account_id, line_type, amount) VALUES
      ('00000000-0000-4000-8000-000000000001', 1, 1, 'DEBIT', 5), ('00000000-0000-4000-8000-000000000001', 2, 2, 'CREDIT', 5)`);
    const afterRow = await c.query<{ b: string }>(`SELECT current_balance::text b FROM account_balances WHERE account_id = 1`);
    assert.equal(Number(afterRow.rows[0]!.b) - Number(before.rows[0]!.b), 5);
    await c.query('ROLLBACK');
  });
});
