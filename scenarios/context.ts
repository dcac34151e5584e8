/**
 * What scenarios need to know about the data set they run on: "today" (asOf), how
 * to draw the same hot accounts and users the seeder made hot, and which features
 * the variant offers.
 *
 * Dates are relative to the seed's `asOf`, never CURRENT_DATE: the data set is
 * reproducible and fixed in time, while CURRENT_DATE moves every day, which would
 * make "the last 30 days" select a different (eventually empty) slice.
 */
import type pg from 'pg';
import { zipfSampler } from '../src/random/distributions.js';
import { accountIdForRank } from '../seed/meta.js';
import type { Feature } from '../src/variant-build/types.js';
import { DEFAULTS } from '../src/config/defaults.js';
import type { Rng } from '../src/workload/types.js';

/** System accounts have ids 1..8; Zipf-drawn regular accounts follow (fallback when the meta has no offset). */
export const SYSTEM_ACCOUNT_COUNT = 8;
/** Skew of user addresses over authorizations (the seeder's addressTheta). */
export const USER_THETA = 0.9;

/** Data-set facts and samplers handed to every scenario. */
export interface ScenarioContext {
  /** "Today" of the data set, YYYY-MM-DD. */
  asOf: string;
  /** Features of the variant the workload runs on. */
  features: readonly Feature[];
  regularAccounts: number;
  zipfTheta: number;
  scatterKey: number;
  /** Account id of Zipf rank `rank` (1 = hottest), the seeder's mapping. */
  accountForRank(rank: number): number;
  /** Draws an account id: Zipf over ranks, scattered over ids like the seeder's. */
  pickAccount(rng: Rng): number;
  /** User addresses, most frequent first. */
  userAddresses: readonly string[];
  /** Draws a user address (Zipf over the frequency ranking). */
  pickUser(rng: Rng): string;
  /**
   * Days of history before asOf that parameter windows may reach back (an existing
   * database's own range); absent: the seeded two years (windows up to 700 days back).
   */
  historyDays?: number;
  /** Entry sources and their shares in the data (an existing database); absent: the seeder's. */
  sourceShares?: ReadonlyArray<{ value: string; share: number }>;
  /** Description of the entries write scenarios post (a run on an existing database tags its own); absent: 'ledger-bench posting'. */
  entryTag?: string;
}

/** Longest look-back of parameter windows on the seeded data, in days. */
export const MAX_LOOKBACK_DAYS = 700;

/**
 * Days back from asOf for a window that needs at least `minDays` of history: uniform in
 * [minDays, min(MAX_LOOKBACK_DAYS, history)], one draw of `rng` either way.
 */
export function lookbackDays(rng: Rng, ctx: Pick<ScenarioContext, 'historyDays'>, minDays: number): number {
  const history = ctx.historyDays ?? MAX_LOOKBACK_DAYS;
  return rng.int(minDays, Math.max(minDays, Math.min(MAX_LOOKBACK_DAYS, history)));
}

/** The parts of the seeder's SeedMeta (seed/meta.ts) scenarios use; all optional so any seed works. */
interface SeedMetaLike {
  asOf?: string;
  zipfTheta?: number;
  scatterKey?: number;
  /** Regular (Zipf-drawn) accounts. */
  zipfAccounts?: number;
  /** Regular account ids are accountIdOffset + 1 .. accountIdOffset + zipfAccounts. */
  accountIdOffset?: number;
}

/** Adds `days` to a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(date + 'T00:00:00Z') + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Builds the context from `ledger_bench_meta` (written by the seeder) and the data
 * itself. User addresses are ranked by how many authorizations they have, so the
 * Zipf draw's hot ranks are the users the seeder made hot.
 */
export async function loadScenarioContext(client: pg.Client | pg.PoolClient, features: readonly Feature[]): Promise<ScenarioContext> {
  const metaExists = await client.query(`SELECT to_regclass('ledger_bench_meta') IS NOT NULL AS ok`);
  let meta: SeedMetaLike = {};
  if (metaExists.rows[0]?.ok) {
    const r = await client.query<{ value: SeedMetaLike }>(`SELECT value FROM ledger_bench_meta WHERE key = 'seed'`);
    meta = r.rows[0]?.value ?? {};
  }
  const facts = await client.query<{ max_id: number; max_date: string | null }>(
    `SELECT (SELECT max(id) FROM accounts) AS max_id, (SELECT max(date)::text FROM journal_entries) AS max_date`,
  );
  const offset = meta.accountIdOffset ?? SYSTEM_ACCOUNT_COUNT;
  const regularAccounts = Math.max(1, meta.zipfAccounts ?? (facts.rows[0]?.max_id ?? offset + 1) - offset);
  const asOf = meta.asOf ?? facts.rows[0]?.max_date ?? new Date().toISOString().slice(0, 10);
  const zipfTheta = meta.zipfTheta ?? DEFAULTS.zipfTheta;
  const scatterKey = meta.scatterKey ?? 0;
  const users = await client.query<{ user_address: string }>(
    `SELECT user_address FROM anchor_authorizations GROUP BY user_address ORDER BY count(*) DESC, user_address`,
  );
  const userAddresses = users.rows.map((u) => u.user_address);
  const accountZipf = zipfSampler(regularAccounts, zipfTheta);
  const userZipf = zipfSampler(Math.max(1, userAddresses.length), USER_THETA);
  // Same mapping as the seeder's accountIdForRank (seed/meta.ts).
  const accountForRank = (rank: number) => accountIdForRank(rank, { zipfAccounts: regularAccounts, accountIdOffset: offset, scatterKey });
  return {
    asOf,
    features,
    regularAccounts,
    zipfTheta,
    scatterKey,
    accountForRank,
    pickAccount: (rng) => accountForRank(accountZipf(rng)),
    userAddresses,
    pickUser: (rng) => userAddresses[userZipf(rng) - 1] ?? '0x' + '0'.repeat(40),
  };
}
