/**
 * The seed's metadata row (`ledger_bench_meta`, key 'seed'): what was seeded and the
 * parameters scenarios need to draw the same hot accounts and addresses.
 */
import type pg from 'pg';
import { scatterRank } from '../src/random/distributions.js';

/** Contents of ledger_bench_meta['seed']. */
export interface SeedMeta {
  version: 1;
  scale: string;
  seed: number;
  zipfTheta: number;
  /** Key of the rank -> account scatter ({@link accountIdForRank}). */
  scatterKey: number;
  asOf: string;
  /** First and last day with entries ('YYYY-MM-DD', inclusive). */
  startDate: string;
  endDate: string;
  /** "Now" of the seeded world (end of asOf, UTC, ISO 8601); active authorizations expire after it. */
  now: string;
  /** All accounts (system + regular). */
  accounts: number;
  /** Regular accounts, the Zipf domain; their ids are accountIdOffset + 1 .. accountIdOffset + zipfAccounts. */
  zipfAccounts: number;
  accountIdOffset: number;
  /** System accounts by role (e.g. fees, settlement) with their ids. */
  systemAccounts: Array<{ role: string; id: number; code: string }>;
  /** Rows per table after the seed. */
  counts: Record<string, number>;
  sources: string[];
  anchorTypes: string[];
  /** Distinct user addresses in the pool (not all need appear). */
  userAddresses: number;
  entries: number;
}

/** Name of the metadata table. */
export const META_TABLE = 'ledger_bench_meta';

/** Maps a Zipf rank (1 = hottest) to the regular account id the seeder made that hot. */
export function accountIdForRank(rank: number, meta: Pick<SeedMeta, 'zipfAccounts' | 'accountIdOffset' | 'scatterKey'>): number {
  return meta.accountIdOffset + scatterRank(rank, meta.zipfAccounts, meta.scatterKey);
}

/** Reads the seed metadata; throws if the database was not seeded by this harness. */
export async function readSeedMeta(client: Pick<pg.Client, 'query'>): Promise<SeedMeta> {
  const r = await client.query<{ value: SeedMeta }>(
    `SELECT value FROM ${META_TABLE} WHERE key = 'seed'`,
  ).catch((err: unknown) => {
    throw new Error(`cannot read ${META_TABLE}: is this a database seeded by ledger-bench? (${(err as Error).message})`);
  });
  const row = r.rows[0];
  if (!row) throw new Error(`${META_TABLE} has no 'seed' row: the seed did not finish`);
  return row.value;
}

/** Creates the metadata table and stores `meta` under key 'seed'. */
export async function writeSeedMeta(client: Pick<pg.Client, 'query'>, meta: SeedMeta): Promise<void> {
  await client.query(`CREATE TABLE IF NOT EXISTS ${META_TABLE} (key text PRIMARY KEY, value jsonb NOT NULL)`);
  await client.query(
    `INSERT INTO ${META_TABLE} (key, value) VALUES ('seed', $1::jsonb)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
    [JSON.stringify(meta)],
  );
}
