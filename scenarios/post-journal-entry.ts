/**
 * Posts one balanced journal entry with 2-5 lines on Zipf-drawn accounts.
 *
 * One explicit transaction: INSERT the entry as Posted, INSERT its lines, COMMIT
 * (the balanced-entry check is a deferred constraint trigger that runs at COMMIT).
 * The balance side effect is whatever the variant installed: account_balances
 * triggers (baseline, indexes, matviews, partitioned) or event appends
 * (event-sourced, optimized). In partitioned variants the lines carry the entry's
 * date for the composite foreign key (trap 4).
 *
 * Lines are written in account-id order so that concurrent postings touching the
 * same hot accounts take their account_balances row locks in the same order (no
 * lock-order deadlocks); the engine still retries 40P01/40001. A retry re-runs the
 * whole transaction with a fresh entry id, so a rolled-back attempt leaves nothing.
 */
import { exponential } from '../src/random/distributions.js';
import { randomUUID } from 'node:crypto';
import type { ScenarioContext } from './context.js';
import type { WriteScenario } from './types.js';
import type { Conn, Rng } from '../src/workload/types.js';

/** Entry sources (the schema's CHECK list). */
export const SOURCES = ['ANCHOR', 'ORACLE', 'SETTLEMENT', 'SYSTEM', 'MANUAL'] as const;

/** Exponential amount in cents with mean 10,000 minor units (TigerBeetle's default), at least 1. */
function cents(rng: Rng): number {
  return 1 + Math.floor(exponential(rng, 10_000));
}

/** One balanced set of lines, sorted by account id. */
export function drawLines(rng: Rng, ctx: ScenarioContext): { accounts: number[]; types: string[]; amounts: string[] } {
  const n = 2 + Math.floor(rng.next() * 4);
  const lines: { account: number; type: string; cents: number }[] = [];
  // n-1 debits balanced by one credit, or one debit balanced by n-1 credits.
  const manyDebits = rng.next() < 0.5;
  let total = 0;
  for (let i = 0; i < n - 1; i++) {
    const c = cents(rng);
    total += c;
    lines.push({ account: ctx.pickAccount(rng), type: manyDebits ? 'DEBIT' : 'CREDIT', cents: c });
  }
  lines.push({ account: ctx.pickAccount(rng), type: manyDebits ? 'CREDIT' : 'DEBIT', cents: total });
  lines.sort((a, b) => a.account - b.account);
  return {
    accounts: lines.map((l) => l.account),
    types: lines.map((l) => l.type),
    amounts: lines.map((l) => (l.cents / 100).toFixed(2)),
  };
}

const INSERT_ENTRY = `INSERT INTO journal_entries (id, date, source, status, description, posted_at)
VALUES ($1, $2, $3, 'Posted', $4, now())`;

const INSERT_LINES = `INSERT INTO journal_entry_lines (journal_entry_id, line_number, account_id, line_type, amount)
SELECT $1, u.n, u.account_id, u.line_type, u.amount
  FROM unnest($2::int[], $3::varchar[], $4::numeric[]) WITH ORDINALITY AS u(account_id, line_type, amount, n)`;

const INSERT_LINES_DATED = `INSERT INTO journal_entry_lines (journal_entry_id, journal_entry_date, line_number, account_id, line_type, amount)
SELECT $1, $5::date, u.n, u.account_id, u.line_type, u.amount
  FROM unnest($2::int[], $3::varchar[], $4::numeric[]) WITH ORDINALITY AS u(account_id, line_type, amount, n)`;

/** What one posting writes: the entry's source and its balanced lines (sorted by account id). */
export interface PostingParams {
  source: string;
  lines: { accounts: number[]; types: string[]; amounts: string[] };
}

/** Draws a posting (the engine's draws, in their order: source, then lines). */
export function drawPosting(rng: Rng, ctx: ScenarioContext): PostingParams {
  // An existing database's own sources (its CHECK list may differ from the seeder's).
  const sources = ctx.sourceShares?.map((x) => x.value) ?? SOURCES;
  const source = sources[Math.floor(rng.next() * sources.length)] as string;
  return { source, lines: drawLines(rng, ctx) };
}

/**
 * Posts `p` as one new entry dated asOf, in one transaction; returns the entry id.
 * The engine and the HTTP API (POST /journal-entries) both run this.
 */
export async function postEntry(conn: Conn, p: PostingParams, ctx: ScenarioContext): Promise<string> {
  const id = randomUUID();
  const { lines } = p;
  const dated = ctx.features.includes('partitioned-journal');
  await conn.query('BEGIN');
  try {
    await conn.query(INSERT_ENTRY, [id, ctx.asOf, p.source, ctx.entryTag ?? 'ledger-bench posting'], 'post-journal-entry:entry');
    if (dated) {
      await conn.query(INSERT_LINES_DATED, [id, lines.accounts, lines.types, lines.amounts, ctx.asOf], 'post-journal-entry:lines-dated');
    } else {
      await conn.query(INSERT_LINES, [id, lines.accounts, lines.types, lines.amounts], 'post-journal-entry:lines');
    }
    await conn.query('COMMIT');
  } catch (err) {
    await conn.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
  return id;
}

export const scenario: WriteScenario = {
  kind: 'write',
  name: 'post-journal-entry',
  title: 'Post a journal entry',
  description: 'One balanced entry (2-5 lines, Zipf accounts, exponential amounts) dated asOf, posted in one transaction.',
  async execute(conn, rng, ctx) {
    await postEntry(conn, drawPosting(rng, ctx), ctx);
  },
};
