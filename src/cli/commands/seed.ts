/** `ledger-bench seed`: create `<prefix>_baseline` and fill it with realistic ledger data. */
import { baselineDatabaseName } from '../../db/names.js';
import { BASELINE_SEEDING, baselineCompletePurpose } from '../../db/marks.js';
import { recreateOwnedDatabase, setOwnedDatabasePurpose } from '../../db/ownership.js';
import { measureFingerprint } from '../../db/readiness.js';
import { abortable } from '../abortable.js';
import { defineCommand } from '../command.js';
import { openServer } from '../server-session.js';
import { seedSize, type Scale, type SeedSize } from '../../../seed/scales.js';

export const seedCommand = defineCommand({
  name: 'seed',
  summary: 'create <prefix>_baseline and load realistic, reproducible ledger data',
  usage: 'seed [options]',
  description: `
Creates the baseline database (<prefix>_baseline, marked as owned by ledger-bench),
loads accounts, journal entries and lines, anchor authorizations, event correlations
and audit rows with COPY, then builds keys, indexes and triggers, computes
account_balances and runs ANALYZE. The same --scale, --seed and --as-of give the same
data, ids included. An existing baseline is replaced only if ledger-bench created it.
--entries N and --accounts M seed a custom size instead of the scale's counts (for
your production's proportions): user addresses follow the accounts in --scale's
proportion; the size is recorded as NxM in the baseline's mark and metadata.`,
  keys: ['databaseUrl', 'db', 'containerImage', 'dataDir', 'dbPrefix', 'force', 'scale', 'entries', 'accounts', 'seed', 'zipfTheta', 'asOf', 'quiet'],
  examples: [
    'ledger-bench seed',
    'ledger-bench seed --scale medium --seed 7',
    'ledger-bench seed --entries 3000000 --accounts 40000   # a custom size',
    'ledger-bench seed --database-url postgres://me@127.0.0.1:5432/postgres',
  ],
  async run({ settings: s, log, signal }) {
    const server = await openServer(s, log);
    await seedBaseline(server.url, s, log, signal);
    return 0;
  },
});

/** Seeds the baseline on a server; shared by `seed` and `bench`. */
export async function seedBaseline(
  serverUrl: string,
  s: SeedSettings & { dbPrefix: string; force: boolean; quiet: boolean },
  log: (line: string) => void,
  signal: AbortSignal,
): Promise<void> {
  const name = baselineDatabaseName(s.dbPrefix);
  const size = sizeOf(s);
  const url = await recreateOwnedDatabase(serverUrl, name, { force: s.force, purpose: BASELINE_SEEDING });
  const counts = size.custom ? ` (${size.entries} entries, ${size.accounts} accounts, ${size.userAddresses} user addresses)` : '';
  log(`seeding ${name}: scale ${size.label}${counts}, seed ${s.seed}, zipf theta ${s.zipfTheta}, as of ${s.asOf}`);
  // Loaded on use: faker and the generators are heavy, and `--help` should be instant.
  const { seedDatabase } = await import('../../../seed/seed-database.js');
  const { createProgress } = await import('../../../seed/progress.js');
  const progress = createProgress({ quiet: s.quiet });
  const summary = await abortable(
    seedDatabase({ url, scale: s.scale, ...(size.custom ? { entries: size.entries, accounts: size.accounts } : {}), seed: s.seed, zipfTheta: s.zipfTheta, asOf: s.asOf, progress }),
    signal,
  );
  void summary;
  // The very last step: only now is the baseline marked complete, with the data
  // fingerprint its clones are checked against (an interrupted seed keeps BASELINE_SEEDING).
  const data = await abortable(measureFingerprint(serverUrl, name), signal);
  await setOwnedDatabasePurpose(serverUrl, name, baselineCompletePurpose(baselineParams(s), data));
}

/** What a seed is made of: the scale, optionally a custom size, and the data's parameters. */
export interface SeedSettings {
  scale: Scale;
  /** 0 or absent: the scale's own. */
  entries?: number;
  accounts?: number;
  seed: number;
  zipfTheta: number;
  asOf: string;
}

/** The size the settings seed. */
export function sizeOf(s: Pick<SeedSettings, 'scale' | 'entries' | 'accounts'>): SeedSize {
  return seedSize(s.scale, s.entries ?? 0, s.accounts ?? 0);
}

/**
 * The seed parameters recorded in a complete baseline's mark (bench and scale reuse a
 * baseline whose parameters match): `scale=small ...` or, for a custom size,
 * `scale=20000x10000 base=small ...` (the base scale sets the user-address proportion).
 */
export function baselineParams(s: SeedSettings): string {
  const size = sizeOf(s);
  return `scale=${size.label}${size.custom ? ` base=${size.base}` : ''} seed=${s.seed} theta=${s.zipfTheta} asOf=${s.asOf}`;
}
