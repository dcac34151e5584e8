/** `ledger-bench seed`: create `<prefix>_baseline` and fill it with realistic ledger data. */
import { baselineDatabaseName } from '../../db/names.js';
import { BASELINE_SEEDING, baselineCompletePurpose } from '../../db/marks.js';
import { recreateOwnedDatabase, setOwnedDatabasePurpose } from '../../db/ownership.js';
import { measureFingerprint } from '../../db/readiness.js';
import { abortable } from '../abortable.js';
import { defineCommand } from '../command.js';
import { openServer } from '../server-session.js';

export const seedCommand = defineCommand({
  name: 'seed',
  summary: 'create <prefix>_baseline and load realistic, reproducible ledger data',
  usage: 'seed [options]',
  description: `
Creates the baseline database (<prefix>_baseline, marked as owned by ledger-bench),
loads accounts, journal entries and lines, anchor authorizations, event correlations
and audit rows with COPY, then builds keys, indexes and triggers, computes
account_balances and runs ANALYZE. The same --scale, --seed and --as-of give the same
data, ids included. An existing baseline is replaced only if ledger-bench created it.`,
  keys: ['databaseUrl', 'db', 'containerImage', 'dataDir', 'dbPrefix', 'force', 'scale', 'seed', 'zipfTheta', 'asOf', 'quiet'],
  examples: ['ledger-bench seed', 'ledger-bench seed --scale medium --seed 7', 'ledger-bench seed --database-url postgres://me@127.0.0.1:5432/postgres'],
  async run({ settings: s, log, signal }) {
    const server = await openServer(s, log);
    await seedBaseline(server.url, s, log, signal);
    return 0;
  },
});

/** Seeds the baseline on a server; shared by `seed` and `bench`. */
export async function seedBaseline(
  serverUrl: string,
  s: { dbPrefix: string; force: boolean; scale: 'tiny' | 'small' | 'medium' | 'large'; seed: number; zipfTheta: number; asOf: string; quiet: boolean },
  log: (line: string) => void,
  signal: AbortSignal,
): Promise<void> {
  const name = baselineDatabaseName(s.dbPrefix);
  const url = await recreateOwnedDatabase(serverUrl, name, { force: s.force, purpose: BASELINE_SEEDING });
  log(`seeding ${name}: scale ${s.scale}, seed ${s.seed}, zipf theta ${s.zipfTheta}, as of ${s.asOf}`);
  // Loaded on use: faker and the generators are heavy, and `--help` should be instant.
  const { seedDatabase } = await import('../../../seed/seed-database.js');
  const { createProgress } = await import('../../../seed/progress.js');
  const progress = createProgress({ quiet: s.quiet });
  const summary = await abortable(
    seedDatabase({ url, scale: s.scale, seed: s.seed, zipfTheta: s.zipfTheta, asOf: s.asOf, progress }),
    signal,
  );
  void summary;
  // The very last step: only now is the baseline marked complete, with the data
  // fingerprint its clones are checked against (an interrupted seed keeps BASELINE_SEEDING).
  const data = await abortable(measureFingerprint(serverUrl, name), signal);
  await setOwnedDatabasePurpose(serverUrl, name, baselineCompletePurpose(baselineParams(s), data));
}

/** The seed parameters recorded in a complete baseline's mark (bench reuses a baseline whose parameters match). */
export function baselineParams(s: { scale: string; seed: number; zipfTheta: number; asOf: string }): string {
  return `scale=${s.scale} seed=${s.seed} theta=${s.zipfTheta} asOf=${s.asOf}`;
}
