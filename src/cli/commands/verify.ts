/** `ledger-bench verify`: the equivalence oracle and the ledger invariants, on identical data. */
import { requireSeededBaseline } from '../baseline-check.js';
import { abortable } from '../abortable.js';
import { defineCommand } from '../command.js';
import { onShutdown } from '../lifecycle.js';
import { variantListProblems } from '../list-problems.js';
import { parseVariantList } from '../parse-lists.js';
import { openServer } from '../server-session.js';

export const verifyCommand = defineCommand({
  name: 'verify',
  summary: 'check every after-query answers like its before-query, and the ledger invariants hold after writes',
  usage: 'verify [--variants LIST|all] [options]',
  description: `
Builds each variant fresh from the seeded baseline (so all hold identical data), then
for --sample parameter sets per scenario compares every after-query's answer with the
baseline's before-query (order-insensitive where order is not part of the contract;
materialized views refreshed first). Then it runs --writes write transactions on a
throwaway clone of every database (<prefix>_<variant>_verify, dropped afterwards, so
the baseline and the variants keep identical data) and checks the ledger invariants
there: every posted entry balances, the trial balance is zero, and account_balances,
the balance events and the refreshed views all equal the sum over posted lines. A
mismatch exits 1 and shows the first differing rows.`,
  keys: ['databaseUrl', 'db', 'containerImage', 'dataDir', 'dbPrefix', 'force', 'variants', 'variantsDir', 'verifySample', 'verifyWrites', 'seed'],
  examples: ['ledger-bench verify --variants all', 'ledger-bench verify --variants indexes --sample 200'],
  validate: ({ settings: s }) => variantListProblems(s.variants, '--variants', true, s.variantsDir),
  async run({ settings: s, log, signal }) {
    const { listVariants } = await import('../../../variants/registry.js');
    const names = parseVariantList(s.variants, (await listVariants({ variantsDir: s.variantsDir })).map((v) => v.name));
    const server = await openServer(s, log);
    await requireSeededBaseline(server.url, s.dbPrefix, server.label);
    const ok = await abortable(verifyVariants(server.url, { ...s, variants: names }, log), signal);
    return ok ? 0 : 1;
  },
});

/** Builds the variants and verifies them; prints a summary. Shared with `bench`. */
export async function verifyVariants(
  serverUrl: string,
  s: { dbPrefix: string; force: boolean; variants: string[]; variantsDir: string; verifySample: number; verifyWrites: number; seed: number },
  log: (line: string) => void,
): Promise<boolean> {
  const { migrateVariant, variantDatabase } = await import('../../variant-build/migrate.js');
  const { verify, describeFailures, scratchDatabase } = await import('../../verify/verify.js');
  const { assertReplaceable } = await import('../../db/readiness.js');
  // Before anything is replaced: the rebuilt variants and the scratch clones the writes go to must be ours.
  const built = s.variants.filter((n) => n !== 'baseline').map((n) => variantDatabase(s.dbPrefix, n));
  const scratch = ['baseline', ...s.variants].map((n) => scratchDatabase(variantDatabase(s.dbPrefix, n)));
  await assertReplaceable(serverUrl, built, s.force);
  await assertReplaceable(serverUrl, [...new Set(scratch)], false);
  const { getVariant } = await import('../../../variants/registry.js');
  for (const v of s.variants.filter((n) => n !== 'baseline')) {
    const t0 = performance.now();
    await migrateVariant({ serverUrl, prefix: s.dbPrefix, variant: await getVariant(v, { variantsDir: s.variantsDir }), force: s.force });
    log(`verify: built ${v} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  log(`verify: comparing answers on ${s.verifySample} parameter sets per scenario, then ${s.verifyWrites} writes per database`);
  const report = await verify({ serverUrl, prefix: s.dbPrefix, variants: s.variants, variantsDir: s.variantsDir, sample: s.verifySample, seed: s.seed, writes: s.verifyWrites, onShutdown });
  const compared = report.equivalence.length;
  const samples = report.equivalence.reduce((a, e) => a + e.samples, 0);
  if (report.ok) {
    log(`verify: OK: ${compared} after-queries agree with their before-queries${samples ? ` (${samples} parameter sets)` : ''}; invariants hold in ${report.invariants.length} databases after the writes`);
    return true;
  }
  process.stderr.write(`verify: FAILED\n${describeFailures(report)}\n`);
  return false;
}
