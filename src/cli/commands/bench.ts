/**
 * `ledger-bench bench` (`npm run bench`): the main job end to end. Server (embedded
 * unless a URL is given) -> seed (reusing an identical complete baseline) -> verify
 * (the oracle must agree before anything is timed) -> compare the variants at the
 * review's rate -> the p95 table beside the review's claims -> the capacity of each
 * variant (max TPS within budget) and the p95 at the highest rate every variant held
 * -> each claimed query alone -> one report of it all, and the answers on stdout.
 */
import { join, resolve } from 'node:path';
import type { BudgetSet } from '../../config/budget-grammar.js';
import { baselineDatabaseName } from '../../db/names.js';
import { ExitCode, isUserError, UserError } from '../../errors.js';
import { defineCommand } from '../command.js';
import { BUDGET_EXIT_MEANINGS } from '../exit-line.js';
import { compareAndPrint, compareProblems, comparisonOutcome } from './compare.js';
import { baselineParams, seedBaseline } from './seed.js';
import { verifyVariants } from './verify.js';
import { parseVariantList } from '../parse-lists.js';
import { openServer } from '../server-session.js';
import { printReportJson } from '../output-flags.js';
import type { FloorInfo } from '../../report/capacity-figures.js';

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
when a budget fails or is not decided (--budget, default p(95) under --budget-ms,
judged on its 95% interval; inconclusive exits 99 unless --inconclusive pass; judged on
every variant but the baseline unless --budget-variants says otherwise). Then, unless
--isolate-sec is 0, the floor: each query the review claims numbers for (--scenarios)
ALONE on each variant at --isolate-rate (see \`ledger-bench isolate --help\`), into
<out>/isolation; a query decided over its budget alone is floor-bound (over budget at
any rate) and is named first, with its plan; one whose interval alone straddles the
budget is floor-undecided, named next. Then, unless --bench-probes is 0, a short
capacity search per variant (at most --bench-probes probes of --step-sec each after
--step-warmup, from --start-rate; see \`ledger-bench capacity --help\`): the max sustained
rate, the max TPS within budget with those queries left out, the capacity
within each p95 of --capacity-budgets and the latency-throughput curve, and the p95 of
each variant at the highest probed rate all of them held (else, labelled, at the highest
rate all of them sustained; else it says there is none); results and reports of it go
to <out>/capacity. These two steps print a line of what they found (the capacity step
its headline in words) and where their report is: their tables are printed once, in the
answers. Last, one report of the whole
job in --out (comparison, capacity and isolation: \`ledger-bench report <out>\`
renders the same; its Markdown, and no step's own, is appended to $GITHUB_STEP_SUMMARY
when set) and the answers on stdout: per variant the max TPS within budget
(or none at or above the lowest rate probed, with the check that failed first), the
p95 side by side at a rate all of them hold, and each claimed query's p95 alone. The
1,000 TPS comparison stays: it is the review's question; the capacity says how far
each variant is from it. Exit: the worst of the steps (130, 1, then 99).`,
  keys: [
    'databaseUrl', 'db', 'containerImage', 'dataDir', 'dbPrefix', 'force', 'scale', 'seed', 'zipfTheta', 'asOf', 'reseed', 'variants', 'variantsDir', 'verifySample', 'verifyWrites',
    'mix', 'rate', 'durationSec', 'warmupSec', 'connections', 'workers', 'maxTries', 'budgetMs', 'budgets', 'budgetVariants', 'inconclusive', 'refreshIntervalSec', 'reconnectTimeoutSec',
    'engineTimer', 'engineDriver', 'evidence', 'quiet', 'json', 'out', 'maxWarmupSec', 'startRate', 'maxRate', 'stepSec', 'stepWarmupSec', 'precision', 'minRate', 'benchProbes',
    'isolateRate', 'isolateSec', 'isolateWarmupSec', 'isolateScenarios', 'sequentialLooks', 'capacityBudgetsMs',
  ],
  measures: true,
  exitMeanings: BUDGET_EXIT_MEANINGS,
  examples: ['npm run bench', 'ledger-bench bench --variants all --duration 60s', 'ledger-bench bench --database-url postgres://me@db:5432/postgres --scale medium'],
  // --variants, --mix and the budgets are checked with every other flag, before step 1 touches a server.
  async validate({ settings: s, sources }) {
    const problems = await compareProblems(s, sources);
    if (s.startRate > s.maxRate) problems.push(`--start-rate ${s.startRate} is above --max-rate ${s.maxRate}: lower --start-rate or raise --max-rate`);
    const { isolationProblems } = await import('./isolate.js');
    problems.push(...(await isolationProblems(s)));
    // The capacity and isolation steps write under --out (checked itself with every command's --out).
    const { outDirProblem } = await import('../out-dir-check.js');
    if (!outDirProblem(s.out, '')) {
      const subdirs = [...(s.benchProbes > 0 ? ['capacity'] : []), ...(s.isolateSec > 0 ? ['isolation'] : [])];
      for (const sub of subdirs) {
        const problem = outDirProblem(join(s.out, sub), `--out ${s.out} (the ${sub} step writes into ${sub}/)`);
        if (problem) problems.push(problem);
      }
    }
    return problems;
  },
  async run({ settings: s, sources, log, signal }) {
    const { listVariants } = await import('../../../variants/registry.js');
    const variants = parseVariantList(s.variants, (await listVariants({ variantsDir: s.variantsDir })).map((v) => v.name));
    const t0 = performance.now();
    const steps = 4 + (s.benchProbes > 0 ? 1 : 0) + (s.isolateSec > 0 ? 1 : 0);
    const step = (n: number, what: string) => log(`\n[${n}/${steps}] ${what} (${((performance.now() - t0) / 1000).toFixed(0)} s elapsed)`);
    const all = ['baseline', ...variants.filter((v) => v !== 'baseline')];
    step(1, 'server');
    const server = await openServer(s, log);
    await assertBenchMayReplace(server.url, s, all);
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
    const ok = await verifyVariants(server.url, { ...s, variants: all }, log);
    if (!ok) return ExitCode.failure;
    if (signal.aborted) return ExitCode.interrupted;
    step(4, `compare at ${s.rate} TPS`);
    // The steps write their own reports but leave the step summary to the combined report (or, without one, the comparison's).
    const { appendStepSummary, NO_STEP_SUMMARY } = await import('../../report/write-reports.js');
    const { BENCH_STEP } = await import('../step-output.js');
    const done = await compareAndPrint({ ...s, variants: variants.join(',') }, log, signal, server.url, sources, NO_STEP_SUMMARY);
    const compared = comparisonOutcome(done, log, signal);
    const codes = [compared];
    const stopped = () => codes.some((c) => c === ExitCode.interrupted || c === ExitCode.failure);
    let n = 4;
    let combined = false;
    try {
      // The floor first: each claimed query alone (isolation builds every variant afresh; the
      // comparison wrote to its own), then the capacity, which clones the variants isolation built
      // and leaves the floor-bound queries out of the mix's verdict.
      let built = false;
      let floors: FloorInfo[] | undefined;
      // Capacity and isolation print a line of what they found: their tables are in the answers (and their files).
      if (s.isolateSec > 0 && !stopped()) {
        step(++n, `the floor: each claimed query alone on ${all.join(', ')} at ${s.isolateRate}/s`);
        const { isolateAndPrint, isolationOutcome } = await import('./isolate.js');
        const iso = await isolateAndPrint({ ...s, variants: all.join(','), out: join(s.out, 'isolation') }, log, signal, server.url, sources, false, BENCH_STEP);
        codes.push(await isolationOutcome(iso, log, signal));
        built = iso.runs.length === iso.planned;
        const { floorsOf, withEvidence } = await import('../../report/capacity-figures.js');
        floors = withEvidence(floorsOf(iso.data.isolation, iso.data.budgets), done.comparison.runs.map((r) => ({ variant: r.variant, result: r.result, file: r.resultFile })));
      }
      if (s.benchProbes > 0 && !stopped()) {
        step(++n, `capacity of ${all.join(', ')} (at most ${s.benchProbes} probes each)`);
        const { capacityAndPrint, capacityOutcome } = await import('./capacity.js');
        const found = await capacityAndPrint({ ...s, variants: all.join(','), out: join(s.out, 'capacity') }, log, signal, server.url, sources, s.benchProbes, BENCH_STEP, {
          ...(floors ? { floors } : {}),
          reuseBuilt: built,
        });
        codes.push(capacityOutcome(found, s.minRate, log, signal));
      }
      combined = !stopped() && (await combinedReport(s, log));
      if (!combined) log(`bench: no combined report ("The answers"): each step's tables are in its own report.md under ${resolve(s.out)}`);
    } finally {
      // $GITHUB_STEP_SUMMARY gets one report: the whole job's, or the comparison's when the job stopped
      // before it (an interrupt, a step that broke, or one that threw, e.g. Ctrl-C while it built a variant).
      if (!combined) appendStepSummary(done.markdown);
    }
    log(`\nbench done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    // The worst outcome: interrupted/broken first, then a failed budget or gate.
    const code = [ExitCode.interrupted, ExitCode.failure, ExitCode.thresholdFailed].find((c) => codes.includes(c)) ?? ExitCode.ok;
    log(`bench: exit ${code}`);
    return code;
  },
});

/**
 * The one report of the whole job, read back from what the steps wrote in --out (the
 * comparison, capacity/ and isolation/), so `ledger-bench report <out>` renders the
 * same, its Markdown appended to $GITHUB_STEP_SUMMARY when set; then the lines a user
 * acts on (stdout). False when it could not be made (its inputs unreadable).
 */
async function combinedReport(s: { out: string; json: boolean; budgets: BudgetSet; budgetVariants: string; inconclusive: 'fail' | 'pass' }, log: (line: string) => void): Promise<boolean> {
  const { loadReportInputs, toReportData } = await import('../../report/inputs.js');
  const { writeReports } = await import('../../report/write-reports.js');
  const { benchAnswers } = await import('../../report/answers.js');
  const loaded = loadReportInputs([s.out]);
  if (loaded.problems.length) {
    log(`bench: the combined report could not read its inputs: ${loaded.problems.join('; ')}`);
    return false;
  }
  const data = toReportData(loaded, loaded.recordedBudgets ?? s.budgets, loaded.recordedBudgetVariants ?? s.budgetVariants, {}, loaded.recordedInconclusive ?? s.inconclusive);
  // Appended to $GITHUB_STEP_SUMMARY when set: the one report there (the steps appended none).
  const files = await writeReports(resolve(s.out), data);
  log(`combined report (comparison + capacity + isolation): ${files.join(', ')}`);
  if (s.json) printReportJson(s.out);
  else process.stdout.write('\n' + benchAnswers(data) + '\n');
  return true;
}

/**
 * Every database a later step of bench replaces must be ledger-bench's (or, where the
 * step honours it, --force must be given) before step 2 touches anything: a foreign one
 * is bad input at the start, not after the seed, the verification and the comparison.
 * The steps check again themselves (they also run alone); every problem is listed at once.
 */
async function assertBenchMayReplace(url: string, s: { dbPrefix: string; force: boolean; benchProbes: number; isolateSec: number }, all: readonly string[]): Promise<void> {
  const { assertReplaceable } = await import('../../db/readiness.js');
  const { variantDatabase } = await import('../../variant-build/migrate.js');
  const { scratchDatabase } = await import('../../verify/verify.js');
  const { runDatabase } = await import('../../compare/compare-variants.js');
  const { probeDatabase } = await import('../../capacity/variant-capacity.js');
  const { isolationDatabase } = await import('../../capacity/isolate.js');
  const p = s.dbPrefix;
  // Rebuilt by verify (the variants), capacity and isolation: --force lets them replace a foreign one.
  const forceable = [
    ...all.filter((n) => n !== 'baseline').map((n) => variantDatabase(p, n)),
    ...(s.benchProbes > 0 ? all.map((n) => probeDatabase(p, n)) : []),
    ...(s.isolateSec > 0 ? all.map((n) => isolationDatabase(p, n)) : []),
  ];
  // Scratch clones of verify and the baseline's run clone: never replaced unless ours.
  const ownOnly = [...all.map((n) => scratchDatabase(variantDatabase(p, n))), runDatabase(p, 'baseline')];
  const problems: string[] = [];
  for (const [names, force] of [[forceable, s.force], [ownOnly, false]] as const) {
    try {
      await assertReplaceable(url, names, force);
    } catch (err) {
      if (!isUserError(err)) throw err;
      problems.push(...err.problems);
    }
  }
  if (problems.length > 0) throw new UserError(problems);
}
