/**
 * Parameters drawn from an existing database's own data (`--target`), where no seeder
 * left a `ledger_bench_meta` behind: hot accounts ranked by their journal line count,
 * users by their authorization count (both then drawn Zipf over the ranking, as on
 * the seeded data), "today" the latest entry date, windows within the data's own date
 * range, entry sources with their shares in the data.
 *
 * The ranking is read once, in the main process, and handed to the engine's workers
 * as plain JSON ({@link TargetDraws}): each worker rebuilds the same context from it
 * instead of aggregating a production-size table again.
 */
import type pg from 'pg';
import { zipfSampler } from '../src/random/distributions.js';
import { UserError } from '../src/errors.js';
import type { Feature } from '../src/variant-build/types.js';
import { MAX_LOOKBACK_DAYS, USER_THETA, type ScenarioContext } from './context.js';

/** What the draws are made from, and how they were ranked (recorded in the result). */
export interface TargetDraws {
  /** "Today": the latest journal entry date. */
  asOf: string;
  /** The earliest journal entry date. */
  firstDate: string;
  /** Days from firstDate to asOf. */
  historyDays: number;
  entries: number;
  /** Account ids, most journal lines first (at most the rank limit). */
  accounts: number[];
  /** Accounts with at least one line (before the rank limit). */
  accountsWithLines: number;
  /** Lines of the hottest account. */
  topAccountLines: number;
  accountTheta: number;
  /** User addresses, most authorizations first (at most the rank limit; empty without anchor_authorizations). */
  users: string[];
  usersWithAuthorizations: number;
  topUserAuthorizations: number;
  userTheta: number;
  /** Entry sources, most frequent first, with their share of entries. */
  sources: Array<{ value: string; share: number }>;
  rankLimit: number;
}

/** Reads the data's ranking and range from `client`; an empty ledger is bad input (nothing to draw from). */
export async function readTargetDraws(client: pg.Client, o: { accountTheta: number; rankLimit: number; where: string }): Promise<TargetDraws> {
  // One pass over the entries: the date range and the sources with their counts.
  const bySource = await client.query<{ source: string; n: string; first: string; last: string }>(
    `SELECT source, count(*) AS n, min(date)::text AS first, max(date)::text AS last FROM journal_entries GROUP BY source ORDER BY count(*) DESC, source`,
  );
  const entries = bySource.rows.reduce((a, r) => a + Number(r.n), 0);
  if (entries === 0) throw new UserError(`${o.where}: journal_entries is empty: there is no date range or source to draw parameters from; measure a database that holds a ledger`);
  const firstDate = bySource.rows.map((r) => r.first).sort()[0]!;
  const asOf = bySource.rows.map((r) => r.last).sort().at(-1)!;
  const accounts = await client.query<{ id: number; n: string; total: string }>(
    `SELECT account_id AS id, count(*) AS n, count(*) OVER () AS total FROM journal_entry_lines GROUP BY account_id ORDER BY count(*) DESC, account_id LIMIT $1`,
    [o.rankLimit],
  );
  if (accounts.rowCount === 0) throw new UserError(`${o.where}: journal_entry_lines is empty: there are no accounts with history to draw from; measure a database that holds a ledger`);
  const hasAnchors = await client.query<{ ok: boolean }>(`SELECT to_regclass('anchor_authorizations') IS NOT NULL AS ok`);
  const users = hasAnchors.rows[0]?.ok
    ? await client.query<{ user_address: string; n: string; total: string }>(
        `SELECT user_address, count(*) AS n, count(*) OVER () AS total FROM anchor_authorizations GROUP BY user_address ORDER BY count(*) DESC, user_address LIMIT $1`,
        [o.rankLimit],
      )
    : { rows: [] };
  return {
    asOf,
    firstDate,
    historyDays: Math.round((Date.parse(asOf) - Date.parse(firstDate)) / 86_400_000),
    entries,
    accounts: accounts.rows.map((r) => Number(r.id)),
    accountsWithLines: Number(accounts.rows[0]!.total),
    topAccountLines: Number(accounts.rows[0]!.n),
    accountTheta: o.accountTheta,
    users: users.rows.map((r) => r.user_address),
    usersWithAuthorizations: Number(users.rows[0]?.total ?? 0),
    topUserAuthorizations: Number(users.rows[0]?.n ?? 0),
    userTheta: USER_THETA,
    sources: bySource.rows.map((r) => ({ value: r.source, share: Number(r.n) / entries })),
    rankLimit: o.rankLimit,
  };
}

/** The scenario context of the draws: Zipf over the rankings, windows within the data's range. */
export function contextFromDraws(d: TargetDraws, features: readonly Feature[], entryTag?: string): ScenarioContext {
  const accountZipf = zipfSampler(d.accounts.length, d.accountTheta);
  const userZipf = zipfSampler(Math.max(1, d.users.length), d.userTheta);
  const accountForRank = (rank: number) => d.accounts[Math.min(rank, d.accounts.length) - 1]!;
  return {
    asOf: d.asOf,
    features,
    regularAccounts: d.accounts.length,
    zipfTheta: d.accountTheta,
    scatterKey: 0,
    accountForRank,
    pickAccount: (rng) => accountForRank(accountZipf(rng)),
    userAddresses: d.users,
    pickUser: (rng) => d.users[userZipf(rng) - 1] ?? '0x' + '0'.repeat(40),
    historyDays: d.historyDays,
    sourceShares: d.sources,
    ...(entryTag ? { entryTag } : {}),
  };
}

/** How the parameters were drawn, one line each (for the log and the reports). */
export function describeDraws(d: TargetDraws): string[] {
  const capped = (shown: number, total: number) => (total > shown ? ` (the top ${shown} of ${total})` : '');
  return [
    `"today" = ${d.asOf}, the latest entry date (entries from ${d.firstDate}: ${d.historyDays} days, ${d.entries} entries); windows reach back at most ${Math.min(MAX_LOOKBACK_DAYS, d.historyDays)} days`,
    `accounts: ${d.accounts.length} ranked by journal line count${capped(d.accounts.length, d.accountsWithLines)}, drawn Zipf theta ${d.accountTheta} over the ranking (the hottest has ${d.topAccountLines} lines)`,
    d.users.length
      ? `users: ${d.users.length} ranked by authorization count${capped(d.users.length, d.usersWithAuthorizations)}, drawn Zipf theta ${d.userTheta} (the busiest has ${d.topUserAuthorizations})`
      : 'users: none (no anchor authorizations): user scenarios draw a placeholder address and return no rows',
    `sources: ${d.sources.map((s) => `${s.value} ${(s.share * 100).toFixed(1)}%`).join(', ')}, drawn by their share of entries`,
  ];
}
