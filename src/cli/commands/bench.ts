/**
 * `ledger-bench bench` (`npm run bench`): the main job end to end. Server (embedded
 * unless a URL is given) -> seed (reusing an identical complete baseline) -> verify
 * (the oracle must agree before anything is timed) -> compare the variants at the
 * review's rate -> the p95 table beside the review's claims -> the capacity of each
 * variant (max TPS within budget) and the p95 at the highest rate every variant held.
 */
import { join } from 'node:path';
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
  summary: 'the main job: seed, verify, compare baseline vs optimized at 1,000 TPS, print the table, then their capacity',
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
variant but the baseline unless --budget-variants says otherwise). Then, unless
--bench-probes is 0, a short capacity search per variant (at most --bench-probes
probes of --step-sec each after --warmup, from --start-rate; see \`ledger-bench
capacity --help\`): the max TPS within budget, the rate where it breaks, and the p95
of each variant at the highest probed rate all of them held; results and reports of
it go to <out>/capacity. The 1,000 TPS comparison stays: it is the review's question;
the capacity says how far each variant is from it.`,
  keys: [
    'databaseUrl', 'db', 'containerImage', 'dataDir', 'dbPrefix', 'force', 'scale', 'seed', 'zipfTheta', 'asOf', 'reseed', 'variants', 'variantsDir', 'verifySample', 'verifyWrites',
    'mix', 'rate', 'durationSec', 'warmupSec', 'connections', 'workers', 'maxTries', 'budgetMs', 'budgets', 'budgetVariants', 'refreshIntervalSec', 'reconnectTimeoutSec',
    'engineTimer', 'engineDriver', 'evidence', 'quiet', 'out', 'maxWarmupSec', 'startRate', 'maxRate', 'stepSec', 'precision', 'minRate', 'benchProbes',
  ],
  measures: true,
  examples: ['npm run bench', 'ledger-bench bench --variants all --duration 60s', 'ledger-bench bench --database-url postgres://me@db:5432/postgres --scale medium'],
  // --variants, --mix and the budgets are checked with every other flag, before step 1 touches a server.
  async validate({ settings: s, sources }) {
    const problems = await compareProblems(s, sources);
    if (s.startRate > s.maxRate) problems.push(`--start-rate ${s.startRate} is above --max-rate ${s.maxRate}: lower --start-rate or raise --max-rate`);
    return problems;
  },
  async run({ settings: s, sources, log, signal }) {
    const { listVariants } = await import('../../../variants/registry.js');
    const variants = parseVariantList(s.variants, (await listVariants({ variantsDir: s.variantsDir })).map((v) => v.name));
    const t0 = performance.now();
    const steps = s.benchProbes > 0 ? 5 : 4;
    const step = (n: number, what: string) => log(`\n[${n}/${steps}] ${what} (${((performance.now() - t0) / 1000).toFixed(0)} s elapsed)`);
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
    const compared = comparisonOutcome(done, log, signal);
    if (s.benchProbes === 0 || compared === ExitCode.interrupted || compared === ExitCode.failure) {
      log(`\nbench done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      return compared;
    }
    step(5, `capacity of ${['baseline', ...variants.filter((v) => v !== 'baseline')].join(', ')} (at most ${s.benchProbes} probes each)`);
    const { capacityAndPrint, capacityOutcome, formatCommonRateTable } = await import('./capacity.js');
    const found = await capacityAndPrint(
      { ...s, variants: ['baseline', ...variants.filter((v) => v !== 'baseline')].join(','), out: join(s.out, 'capacity') },
      log, signal, server.url, sources, s.benchProbes,
    );
    process.stdout.write('\n' + formatCommonRateTable(found) + '\n');
    const capacity = capacityOutcome(found, s.minRate, log, signal);
    log(`\nbench done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    // The worse of the two outcomes: interrupted/broken first, then a failed budget or gate.
    const code = [ExitCode.interrupted, ExitCode.failure, ExitCode.thresholdFailed].find((c) => c === compared || c === capacity) ?? ExitCode.ok;
    log(`bench: exit ${code}`);
    return code;
  },
});
