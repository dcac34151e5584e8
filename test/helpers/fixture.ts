/**
 * A small, hand-shaped baseline database for tests and quick checks: the baseline
 * schema (SQL files and generated triggers) plus a few thousand entries generated here, including the
 * edge cases the traps are about (an account with only Draft entries, one with only
 * Void entries, one with none). The real seeder (seed/seed-database.ts) makes the
 * benchmark data; this fixture exists so variants and scenarios can be tested in
 * seconds and with known corner cases.
 */
import { newClient } from '../../src/db/client.js';
import { baselineSql } from '../../seed/sql-files.js';
import { ledgerTriggersSql } from '../../seed/ledger-triggers.js';
import pg from 'pg';
import { exponential, scatterRank, zipfSampler } from '../../src/random/distributions.js';
import { createRng } from '../../src/random/rng.js';

/** Options of {@link buildFixtureBaseline}. */
export interface FixtureOptions {
  /** URL of an EMPTY database to fill. */
  url: string;
  entries?: number;
  /** Regular (Zipf-drawn) accounts. */
  accounts?: number;
  userAddresses?: number;
  seed?: number;
  /** "Today" of the data set, YYYY-MM-DD. */
  asOf?: string;
}

/** Ids of the special accounts the fixture adds after the regular ones. */
export interface FixtureAccounts {
  draftOnly: number;
  voidOnly: number;
  noEntries: number;
}

/** Number of system accounts (ids 1..8), as in the seeder. */
export const FIXTURE_SYSTEM_ACCOUNTS = 8;

const SOURCES = ['ANCHOR', 'ORACLE', 'SETTLEMENT', 'SYSTEM', 'MANUAL'];
const TYPES = ['ASSET', 'LIABILITY', 'EQUITY', 'REVENUE', 'EXPENSE'];
const ANCHOR_TYPES = ['GROCERY', 'UTILITY', 'FUEL', 'TRANSIT', 'RETAIL'];

function hex(rng: { u32(): number }, bytes: number): string {
  let s = '';
  while (s.length < bytes * 2) s += rng.u32().toString(16).padStart(8, '0');
  return s.slice(0, bytes * 2);
}

function uuid(rng: { u32(): number }): string {
  const h = hex(rng, 16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Fills `url` with the fixture and returns the special account ids. */
export async function buildFixtureBaseline(o: FixtureOptions): Promise<FixtureAccounts> {
  const entries = o.entries ?? 3000;
  const regular = o.accounts ?? 300;
  const users = o.userAddresses ?? 120;
  const seed = o.seed ?? 7;
  const asOf = o.asOf ?? '2025-06-30';
  const zipfTheta = 0.99;
  const scatterKey = seed * 7919;
  const rng = createRng(seed);
  const zipf = zipfSampler(regular, zipfTheta);
  const account = () => FIXTURE_SYSTEM_ACCOUNTS + scatterRank(zipf(rng), regular, scatterKey);
  const special: FixtureAccounts = {
    draftOnly: FIXTURE_SYSTEM_ACCOUNTS + regular + 1,
    voidOnly: FIXTURE_SYSTEM_ACCOUNTS + regular + 2,
    noEntries: FIXTURE_SYSTEM_ACCOUNTS + regular + 3,
  };
  const asOfMs = Date.parse(asOf + 'T00:00:00Z');
  const startMs = asOfMs - 729 * 86_400_000;

  const client = newClient({ connectionString: o.url });
  await client.connect();
  try {
    await client.query(await baselineSql('01-tables.sql'));
    await client.query(`CREATE TABLE IF NOT EXISTS ledger_bench_meta (key text PRIMARY KEY, value jsonb NOT NULL)`);
    const totalAccounts = special.noEntries;
    await client.query(
      `INSERT INTO accounts (id, code, name, type, is_active, created_at)
       SELECT i, 'FX-' || lpad(i::text, 6, '0'),
              CASE WHEN i = $2 THEN 'Draft-only account' WHEN i = $3 THEN 'Void-only account'
                   WHEN i = $4 THEN 'Account without entries' ELSE 'Account ' || i END,
              (ARRAY['ASSET','LIABILITY','EQUITY','REVENUE','EXPENSE'])[1 + i % 5], true,
              $5::timestamptz - interval '800 days'
         FROM generate_series(1, $1::int) i`,
      [totalAccounts, special.draftOnly, special.voidOnly, special.noEntries, asOf],
    );
    void TYPES;

    const e = { id: [] as string[], num: [] as number[], date: [] as string[], source: [] as string[], status: [] as string[], created: [] as string[], posted: [] as (string | null)[] };
    const l = { entry: [] as string[], n: [] as number[], account: [] as number[], type: [] as string[], amount: [] as string[] };
    const posted: { id: string; date: string }[] = [];
    for (let i = 1; i <= entries; i++) {
      const createdMs = startMs + Math.floor(rng.next() * 730 * 86_400_000);
      const date = new Date(createdMs).toISOString().slice(0, 10);
      const r = rng.next();
      // The last few entries carry the special accounts' Draft/Void history.
      const forced = i === entries ? 'Draft' : i === entries - 1 ? 'Void' : null;
      const status = forced ?? (r < 0.9 ? 'Posted' : r < 0.97 ? 'Draft' : 'Void');
      const id = uuid(rng);
      e.id.push(id);
      e.num.push(i);
      e.date.push(date);
      e.source.push(SOURCES[Math.floor(rng.next() * SOURCES.length)] as string);
      e.status.push(status);
      e.created.push(new Date(createdMs).toISOString());
      e.posted.push(status === 'Posted' ? new Date(createdMs + 60_000).toISOString() : null);
      if (status === 'Posted') posted.push({ id, date });
      const n = 2 + Math.floor(rng.next() * 4);
      let debit = 0;
      for (let k = 1; k <= n; k++) {
        const cents = k < n ? 1 + Math.round(exponential(rng, 10_000)) : debit;
        if (k < n) debit += cents;
        let acct = account();
        if (k === 1 && forced === 'Draft') acct = special.draftOnly;
        if (k === 1 && forced === 'Void') acct = special.voidOnly;
        l.entry.push(id);
        l.n.push(k);
        l.account.push(acct);
        l.type.push(k < n ? 'DEBIT' : 'CREDIT');
        l.amount.push((cents / 100).toFixed(2));
      }
    }
    await client.query(
      `INSERT INTO journal_entries (id, entry_number, date, source, status, description, created_at, posted_at)
       SELECT id, num, date, source, status, 'fixture entry ' || num, created, posted
         FROM unnest($1::uuid[], $2::bigint[], $3::date[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[])
              AS t(id, num, date, source, status, created, posted)`,
      [e.id, e.num, e.date, e.source, e.status, e.created, e.posted],
    );
    await client.query(
      `INSERT INTO journal_entry_lines (journal_entry_id, line_number, account_id, line_type, amount)
       SELECT * FROM unnest($1::uuid[], $2::smallint[], $3::int[], $4::text[], $5::numeric[])`,
      [l.entry, l.n, l.account, l.type, l.amount],
    );

    const addresses = Array.from({ length: users }, () => '0x' + hex(rng, 20));
    const userZipf = zipfSampler(users, 0.9);
    const a = { id: [] as string[], user: [] as string[], type: [] as string[], amount: [] as string[], status: [] as string[], expires: [] as string[], entry: [] as (string | null)[], created: [] as string[] };
    const anchors = Math.max(50, Math.floor(entries / 4));
    for (let i = 0; i < anchors; i++) {
      const createdMs = asOfMs - Math.floor(rng.next() * 60 * 86_400_000);
      const r = rng.next();
      const status = r < 0.18 ? 'AUTHORIZED' : r < 0.3 ? 'PENDING' : r < 0.85 ? 'FULFILLED' : r < 0.95 ? 'EXPIRED' : 'FAILED';
      a.id.push(uuid(rng));
      a.user.push(addresses[userZipf(rng) - 1] as string);
      a.type.push(ANCHOR_TYPES[Math.floor(rng.next() * ANCHOR_TYPES.length)] as string);
      a.amount.push((1 + exponential(rng, 50)).toFixed(2));
      a.status.push(status);
      a.expires.push(new Date(createdMs + (1 + Math.floor(rng.next() * 72)) * 3_600_000 + 30 * 86_400_000 * (status === 'AUTHORIZED' || status === 'PENDING' ? 1 : 0)).toISOString());
      a.entry.push(status === 'FULFILLED' && posted.length > 0 ? (posted[Math.floor(rng.next() * posted.length)] as { id: string }).id : null);
      a.created.push(new Date(createdMs).toISOString());
    }
    await client.query(
      `INSERT INTO anchor_authorizations (id, user_address, anchor_type, amount, status, expires_at, journal_entry_id, created_at, updated_at)
       SELECT id, u, t, amt, st, exp, je, cr, cr
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::numeric[], $5::text[], $6::timestamptz[], $7::uuid[], $8::timestamptz[])
              AS x(id, u, t, amt, st, exp, je, cr)`,
      [a.id, a.user, a.type, a.amount, a.status, a.expires, a.entry, a.created],
    );
    await client.query(
      `INSERT INTO event_correlations (correlation_id, event_type, source_system, payload, created_at)
       SELECT gen_random_uuid(), (ARRAY['anchor.authorized','anchor.fulfilled','oracle.price','settlement.batch'])[1 + i % 4],
              (ARRAY['anchor-gateway','oracle','settlement'])[1 + i % 3], jsonb_build_object('i', i),
              $1::timestamptz - (i || ' minutes')::interval
         FROM generate_series(1, 400) i`,
      [asOf],
    );
    // account_balances is derived from the loaded lines, as the seeder does.
    await client.query(
      `INSERT INTO account_balances (account_id, current_balance, updated_at)
       SELECT l.account_id, sum(CASE WHEN l.line_type = 'DEBIT' THEN l.amount ELSE -l.amount END), max(e.posted_at)
         FROM journal_entry_lines l JOIN journal_entries e ON e.id = l.journal_entry_id AND e.status = 'Posted'
        GROUP BY l.account_id`,
    );
    await client.query(`INSERT INTO ledger_bench_meta (key, value) VALUES ('seed', $1)`, [
      JSON.stringify({
        version: 1,
        scale: 'fixture',
        seed,
        zipfTheta,
        scatterKey,
        asOf,
        startDate: new Date(startMs).toISOString().slice(0, 10),
        endDate: asOf,
        accounts: special.noEntries,
        zipfAccounts: regular,
        accountIdOffset: FIXTURE_SYSTEM_ACCOUNTS,
        userAddresses: users,
      }),
    ]);
    await client.query(await baselineSql('02-keys-and-indexes.sql'));
    await client.query(ledgerTriggersSql());
    await client.query('ANALYZE');
    return special;
  } finally {
    await client.end();
  }
}
