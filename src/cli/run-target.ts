/**
 * The database `run --variant` measures, checked before anything is touched: ours,
 * complete, and unchanged since it was built (or reported as diverged). The seeded
 * baseline itself is never written to: a mix with writes runs on a fresh clone of it
 * (`<prefix>_baseline_run`, as in compare), so the baseline every variant is cloned
 * from keeps its seeded data.
 */
import { baselineDatabaseName, ownedDatabaseName } from '../db/names.js';
import { recreateOwnedDatabase } from '../db/ownership.js';
import { requireRunnable, type Divergence } from '../db/readiness.js';
import { variantDatabase, waitForIdleTemplate } from '../variant-build/migrate.js';
import { DEFAULT_MIX } from '../../scenarios/mix.js';
import { getScenario } from '../../scenarios/registry.js';

/** Whether a scenario mix (default: the standard one) contains a write scenario with a positive weight. */
export function mixHasWrites(mix: Record<string, number> | undefined): boolean {
  return Object.entries(mix ?? DEFAULT_MIX).some(([name, w]) => w > 0 && getScenario(name).kind === 'write');
}

/** Where a run goes. */
export interface RunTarget {
  url: string;
  database: string;
  divergence?: Divergence;
}

/** Checks (and for the baseline with writes, clones) the database of `run --variant <variant>`. */
export async function prepareRunTarget(
  serverUrl: string,
  o: { prefix: string; variant: string; label: string; writes: boolean },
  log: (line: string) => void,
): Promise<RunTarget> {
  const name = variantDatabase(o.prefix, o.variant);
  const checked = await requireRunnable(serverUrl, name, o.variant, o.label);
  if (checked.divergence) {
    log(
      `warning: database "${name}" no longer holds the data it was built with (${checked.divergence.differs.join(', ')}): ` +
        `earlier runs' writes stayed in it, so this run is not comparable with one on a fresh build; ` +
        `rebuild it with \`ledger-bench migrate --variant ${o.variant}\` (the result records "dataDiverged")`,
    );
    return { url: checked.url, database: name, divergence: checked.divergence };
  }
  if (o.variant !== 'baseline' || !o.writes) return { url: checked.url, database: name };
  const clone = ownedDatabaseName(o.prefix, 'baseline_run');
  await waitForIdleTemplate(serverUrl, baselineDatabaseName(o.prefix));
  const url = await recreateOwnedDatabase(serverUrl, clone, { template: baselineDatabaseName(o.prefix), purpose: 'baseline run clone' });
  log(`the mix writes: running on ${clone}, a fresh clone of the seeded baseline, which stays unchanged`);
  return { url, database: clone };
}
