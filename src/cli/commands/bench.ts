/**
 * `ledger-bench bench` (`npm run bench`): the main job end to end. Server (embedded
 * unless a URL is given) -> seed (reusing an identical complete baseline) -> verify
 * (the oracle must agree before anything is timed) -> compare the variants at the
 * review's rate -> the p95 table beside the review's claims.
 */
import { baselineDatabaseName } from '../../db/names.js';
import { ExitCode } from '../../errors.js';
import { defineCommand } from '../command.js';
import { compareAndPrint, compareProblems, comparisonOutcome } from './compare.js';
import { baselineParams, seedBaseline } from './seed.js';
import { verifyVariants } from './verify.js';
import { parseVariantList } from '../parse-lists.js';
import { openServer } from '../server-session.js';

export const benchCommand = defineCommand({
  name: 'bench',
  summary: 'the main job: seed, verify, compare baseline vs optimized at 1,000 TPS, print the table',
  usage: 'bench [options]',
  description: `
Runs everything on one server (the embedded PostgreSQL unless --database-url is given):
seeds --scale (reusing a complete baseline seeded with the same scale, seed, theta and
date unless --reseed), builds the --variants and verifies that each after-query returns
the same answers as its before-query and that the ledger invariants hold, then runs the
same mixed workload on each variant at --rate and prints the p95 table beside the
review's claimed numbers. Results and reports (report.md, report.json, junit.xml,
report.html) go to --out. Exits 1 if verification fails (nothing is timed then), 99
when a budget fails (--budget, default p(95) under --budget-ms; judged on every
variant but the baseline unless --budget-variants says otherwise).`,
  keys: [
    'databaseUrl', 'db', 'containerImage', 'dataDir', 'dbPrefix', 'force', 'scale', 'seed', 'zipfTheta', 'asOf', 'reseed', 'variants', 'variantsDir', 'verifySample', 'verifyWrites',
    'mix', 'rate', 'durationSec', 'warmupSec', 'connections', 'workers', 'maxTries', 'budgetMs', 'budgets', 'budgetVariants', 'refreshIntervalSec', 'reconnectTimeoutSec',
    'engineTimer', 'engineDriver', 'evidence', 'quiet', 'out',
  ],
  measures: true,
  examples: ['npm run bench', 'ledger-bench bench --variants all --duration 60s', 'ledger-bench bench --database-url postgres://me@db:5432/postgres --scale medium'],
  // --variants, --mix and the budgets are checked with every other flag, before step 1 touches a server.
  validate: ({ settings: s, sources }) => compareProblems(s, sources),
  async run({ settings: s, sources, log, signal }) {
    const { listVariants } = await import('../../../variants/registry.js');
    const variants = parseVariantList(s.variants, (await listVariants({ variantsDir: s.variantsDir })).map((v) => v.name));
    const t0 = performance.now();
    const step = (n: number, what: string) => log(`\n[${n}/4] ${what} (${((performance.now() - t0) / 1000).toFixed(0)} s elapsed)`);
    step(1, 'server');
    const server = await openServer(s, log);
    step(2, 'seed');
    const { reusableBaseline } = await import('../../db/readiness.js');
    const reuse = s.reseed ? { ok: false } : await reusableBaseline(server.url, baselineDatabaseName(s.dbPrefix), baselineParams(s));
    if (reuse.ok) {
      log(`reusing ${baselineDatabaseName(s.dbPrefix)} (baseline complete ${baselineParams(s)}, unchanged since seeding); --reseed to seed again`);
    } else {
      if (reuse.why) log(`not reusing ${baselineDatabaseName(s.dbPrefix)}: ${reuse.why}`);
      await seedBaseline(server.url, s, log, signal);
    }
    if (signal.aborted) return ExitCode.interrupted;
    step(3, `verify ${variants.join(', ')}`);
    const ok = await verifyVariants(server.url, { ...s, variants: ['baseline', ...variants.filter((v) => v !== 'baseline')] }, log);
    if (!ok) return ExitCode.failure;
    if (signal.aborted) return ExitCode.interrupted;
    step(4, `compare at ${s.rate} TPS`);
    const done = await compareAndPrint({ ...s, variants: variants.join(',') }, log, signal, server.url, sources);
    log(`\nbench done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    return comparisonOutcome(done, log, signal);
  },
});
