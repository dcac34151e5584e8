/** `ledger-bench isolate`: each scenario alone on each variant at a low rate: the query's own p95, before and after. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { redactSettings } from '../../config/load.js';
import { ExitCode } from '../../errors.js';
import { DEFAULTS } from '../../config/defaults.js';
import { judgedVariants } from '../../budgets/evaluate.js';
import { defineCommand } from '../command.js';
import { BUDGET_EXIT_MEANINGS, blockingLine } from '../exit-line.js';
import { engineSettings } from '../engine-settings.js';
import { partialOutcome } from '../run-outcome.js';
import { compareProblems, openVariantsJob, type BudgetSources, type CompareSettings } from './compare.js';
import { STANDALONE, type StepOutput } from '../step-output.js';
import { printReportJson, progressLog } from '../output-flags.js';
import type { IsolatedRun } from '../../capacity/isolate.js';
import type { IsolationFile } from '../../report/job-files.js';
import type { ReportData } from '../../report/model.js';

export const isolateCommand = defineCommand({
  name: 'isolate',
  summary: "each scenario alone on each variant at a low rate: the review's claimed queries before and after, without the mix's queueing",
  usage: 'isolate [--variants LIST|all] [--scenarios LIST] [options]',
  description: `
For each variant (the baseline first, running the review's "before" queries; every
other variant its "after" queries): builds it once, then runs each of --scenarios ALONE
(the mix is that scenario only) at --isolate-rate for --isolate-sec after
--isolate-warmup, on
a pre-warmed TEMPLATE clone of the variant (one clone shared by the read scenarios,
which leave it as it was and run without MV refresh; a fresh clone for each write
scenario). The default scenarios are those the review claims numbers for, and the
default rate is low (20/s) so the p95 measured is the query's, not a queue's; a run that
completed under 99% of its offered slots did not hold its rate, and the scenario runs
again at half the rate (straight to the largest halving at or below the rate it
achieved), at most twice (20 -> 10 -> 5): the last run is recorded, marked
"not held" if even that fell behind. Runs are sized by samples: a run lasts at least
long enough for the budgets' percentiles to have an interval, and, on the variants the
budgets judge, while a budget is undecided (its p95 interval straddles it) and more
data could decide it, another stage runs on the same clone, at most --looks stages,
each look judged at 1 - 0.05/--looks confidence (all looks together decide wrongly
<= 5%); the stages are pooled. See docs/capacity.md.
Writes <variant>--<scenario>.json per run (the usual result JSON), isolation.json (the
summary, read by \`ledger-bench report\`), report.md, report.json, junit.xml and
report.html to --out. Budgets (--budget, default p(95) under --budget-ms) are judged on
each run's scenario, on every variant but the baseline unless --budget-variants says
otherwise: exit 99 when one fails on complete runs, 130 interrupted, 1 a run broke.
With --target URL each scenario runs alone on that existing database as it is
(read-only sessions, nothing built, cloned or created; its catalog picks each
scenario's query, its data the parameters; docs/target.md), recorded as variant "target".`,
  keys: [
    'databaseUrl', 'db', 'containerImage', 'dataDir', 'dbPrefix', 'force', 'variants', 'variantsDir', 'isolateScenarios', 'isolateRate', 'isolateSec', 'isolateWarmupSec',
    'connections', 'workers', 'maxTries', 'seed', 'budgetMs', 'budgets', 'budgetVariants', 'inconclusive', 'sequentialLooks', 'refreshIntervalSec', 'reconnectTimeoutSec', 'engineTimer', 'engineDriver', 'quiet', 'json', 'out',
    'target', 'allowWrites',
  ],
  measures: true,
  exitMeanings: BUDGET_EXIT_MEANINGS,
  examples: [
    'ledger-bench isolate --variants baseline,optimized',
    'ledger-bench isolate --variants all --scenarios balance-lookup,balance-history --isolate-rate 10 --isolate-sec 20s --isolate-warmup 2s',
    'ledger-bench isolate --target postgres://me@db.staging/ledger --isolate-sec 20s   # an existing database, read-only',
  ],
  async validate({ settings: s, sources }) {
    const problems = await compareProblems({ ...s, mix: '' }, sources);
    problems.push(...(await isolationProblems(s)));
    if (s.isolateSec <= 0) problems.push('--isolate-sec must be above 0 for isolate (0 only skips bench\'s isolation step)');
    const { targetProblems } = await import('../target-settings.js');
    const scenarios = splitList(s.isolateScenarios);
    problems.push(...(await targetProblems(s, sources, scenarios.length && (await isolationProblems(s)).length === 0 ? scenarios : null, '--scenarios', sources.variants !== 'default' ? { '--variants': 'the target is measured as it is, not as variants' } : {})));
    return problems;
  },
  async run({ settings: s, sources, log, signal }) {
    const done = await isolateAndPrint(s, log, signal, undefined, sources);
    if (s.json) printReportJson(s.out);
    return isolationOutcome(done, log, signal);
  },
});

/** Settings isolation needs. */
export type IsolateSettings = Omit<CompareSettings, 'rate' | 'durationSec' | 'warmupSec' | 'mix' | 'evidence'> & {
  isolateScenarios: string;
  isolateRate: number;
  isolateSec: number;
  isolateWarmupSec: number;
  /** An existing database to measure as it is ('' = the harness's variants; bench has none). */
  target?: string;
  allowWrites?: boolean;
};

/** The settings every isolated run takes from the command's (isolate, scale): rate, window, warm-up, seed, engine. */
export function isolationRunSettings(s: Pick<IsolateSettings, 'variantsDir' | 'isolateRate' | 'isolateSec' | 'isolateWarmupSec' | 'seed' | 'refreshIntervalSec' | 'connections' | 'workers' | 'maxTries' | 'reconnectTimeoutSec' | 'engineTimer' | 'engineDriver'>) {
  return {
    ...(s.variantsDir ? { variantsDir: s.variantsDir } : {}),
    rate: s.isolateRate,
    durationSec: s.isolateSec,
    warmupSec: s.isolateWarmupSec,
    seed: s.seed,
    refreshIntervalSec: s.refreshIntervalSec,
    ...engineSettings(s),
  };
}

/** Problems of --scenarios (unknown names), found without a database. */
export async function isolationProblems(s: Pick<IsolateSettings, 'isolateScenarios'>): Promise<string[]> {
  const { SCENARIOS } = await import('../../../scenarios/registry.js');
  const known = SCENARIOS.map((x) => x.name);
  const unknown = splitList(s.isolateScenarios).filter((n) => !known.includes(n));
  return unknown.map((n) => `--scenarios: unknown scenario "${n}"; known scenarios are ${known.join(', ')}`);
}

const splitList = (text: string) => text.split(',').map((x) => x.trim()).filter(Boolean);

/** What isolateAndPrint did: the runs, the scenarios planned, and the report data (with its budget verdict). */
export interface IsolationDone {
  runs: IsolatedRun[];
  planned: number;
  data: ReportData;
}

/** Runs each scenario alone on each variant on `serverUrl` (or a server it opens), writes results, summary and reports (report.md also to the step summary `output` names), prints the tables (as a step of bench, `output`: a line of what it found). */
export async function isolateAndPrint(
  s: IsolateSettings,
  log: (line: string) => void,
  signal: AbortSignal,
  serverUrl?: string,
  src?: BudgetSources,
  reuseBuilt = false,
  output: StepOutput = STANDALONE,
): Promise<IsolationDone> {
  const { SCENARIOS } = await import('../../../scenarios/registry.js');
  const scenarios = s.isolateScenarios ? splitList(s.isolateScenarios) : SCENARIOS.filter((x) => x.claim).map((x) => x.name);
  // On a target: that database as it is, one "variant"; nothing to build, clone or replace.
  const { openTargetVariantsJob } = await import('../target-settings.js');
  const targetJob = s.target ? await openTargetVariantsJob({ ...s, target: s.target, allowWrites: s.allowWrites ?? false }, scenarios.map((n) => `${n}=1`).join(','), log, src) : undefined;
  const { names, budgets, url } = targetJob ?? (await openVariantsJob({ ...s, mix: '' }, log, serverUrl, src));
  const target = targetJob?.target;
  const variants = target ? names : ['baseline', ...names.filter((v) => v !== 'baseline')];
  const { isolateScenarios, isolationDatabase } = await import('../../capacity/isolate.js');
  const { assertReplaceable } = await import('../../db/readiness.js');
  if (!target) await assertReplaceable(url, variants.map((v) => isolationDatabase(s.dbPrefix, v)), s.force);
  const outDir = resolve(s.out);
  mkdirSync(outDir, { recursive: true });
  const { writeResultAtomic } = await import('../../result/write.js');
  const { fmtPercentile } = await import('../../report/interval-format.js');
  const { ISOLATION_KIND, ISOLATION_VERSION, ISOLATION_FILE } = await import('../../report/job-files.js');
  const summary: IsolationFile = { kind: ISOLATION_KIND, isolationVersion: ISOLATION_VERSION, rate: s.isolateRate, durationSec: s.isolateSec, warmupSec: s.isolateWarmupSec, variants, scenarios, runs: [] };
  const files = new Map<IsolatedRun, string>();
  const progress = progressLog(log, s.quiet);
  progress(`isolate: ${scenarios.join(', ')} alone on ${variants.join(', ')} at ${s.isolateRate}/s (${s.isolateSec}s each after ${s.isolateWarmupSec}s warm-up)`);
  const runs = await isolateScenarios({
    serverUrl: url,
    prefix: s.dbPrefix,
    variants,
    scenarios,
    reuseBuilt,
    ...isolationRunSettings(s),
    budgets,
    maxLooks: s.sequentialLooks ?? DEFAULTS.sequentialLooks,
    judgedVariants: judgedVariants(variants, s.budgetVariants),
    config: redactSettings({ command: 'isolate', ...s, budgets }),
    signal,
    ...(target ? { target } : {}),
    onStepDown: (v, sc, rate, achieved, next) => progress(`isolate: ${v} / ${sc}: achieved ${achieved.toFixed(1)} of ${rate}/s, not held: again at ${next}/s`),
    onRun: async (r) => {
      // Written as each run ends: an interrupted job keeps what it measured.
      const file = await writeResultAtomic(outDir, r.result, `${r.variant}--${r.scenario}.json`);
      files.set(r, file);
      const x = r.result.scenarios.find((y) => y.name === r.scenario);
      summary.runs.push({
        variant: r.variant, scenario: r.scenario, kind: r.kind, rate: r.result.target.rate, held: r.held, partial: r.result.partial, resultFile: basename(file), achievedRate: r.result.achievedRate,
        count: x?.count ?? 0, errors: x?.errors ?? 0, latencyMs: x && x.count > 0 ? { p50: x.latencyMs.p50, p95: x.latencyMs.p95, p99: x.latencyMs.p99 } : null,
        ...(x?.latencyCi ? { p95Ci: { lo: x.latencyCi.p95.lo, hi: x.latencyCi.p95.hi, conf: x.latencyCi.conf } } : {}),
        stages: r.sequential.looks, maxStages: r.sequential.maxLooks, stop: r.sequential.stop,
      });
      writeFileSync(join(outDir, ISOLATION_FILE), JSON.stringify(summary, null, 2) + '\n');
      // The 95% interval, as every report prints it; a verdict of an extended run is judged at its looks' level (the budget lines).
      const p95 = x && x.count > 0 ? `p95 ${fmtPercentile(x, 'p95')} ms, ${x.count} samples in ${r.sequential.looks} of ${r.sequential.maxLooks} stage(s) (${r.sequential.stop}${r.sequential.maxLooks > 1 ? `, judged at ${(100 * (x.latencyCi?.conf ?? 0.95)).toFixed(1)}%` : ''})` : 'no data';
      // A run that did not hold its rate is a warning, not progress: --quiet keeps it.
      (r.held && !r.result.partial ? progress : log)(`isolate: ${r.variant} / ${r.scenario}: ${p95}, achieved ${r.result.achievedRate.toFixed(1)} of ${r.result.target.rate}/s${r.result.partial ? ' [PARTIAL]' : r.held ? '' : ' (NOT HELD even at this rate: lower --isolate-rate)'}`);
    },
  });
  if (target) {
    const { targetWarnings } = await import('../target-settings.js');
    for (const w of new Set(runs.flatMap((r) => targetWarnings(r.result)))) log(w);
  }
  const claims = Object.fromEntries(SCENARIOS.flatMap((x) => (x.claim ? [[x.name, x.claim]] : [])));
  const data: ReportData = {
    runs: [],
    claims,
    budgets,
    budgetVariants: s.budgetVariants,
    inconclusive: s.inconclusive ?? 'fail',
    isolation: { rate: s.isolateRate, durationSec: s.isolateSec, warmupSec: s.isolateWarmupSec, runs: runs.map((r) => ({ variant: r.variant, scenario: r.scenario, held: r.held, result: r.result, file: files.get(r)! })) },
  };
  const { isolationSection } = await import('../../report/isolation-rows.js');
  const { REPORT_FILES, writeReports } = await import('../../report/write-reports.js');
  // As a step of bench: how many runs held, and where the tables are (bench's answers print them once).
  const notHeld = runs.filter((r) => !r.held).length;
  // An isolation that stopped stops bench too: no answers follow then.
  const complete = runs.length === variants.length * scenarios.length && !runs.some((r) => r.result.partial);
  const brief = [`isolation (each query alone): ${runs.length} runs${!runs.length ? '' : notHeld ? `, ${notHeld} NOT held` : ', every one held its rate'}`, `  ${complete ? 'the p95 table: "The answers" below; ' : ''}every run: ${join(outDir, REPORT_FILES.md)}`];
  if (!s.json) process.stdout.write('\n' + (output.tables ? isolationSection(data) : brief).join('\n') + '\n');
  await writeReports(outDir, data, output.summaryEnv);
  log(`results: ${outDir} (<variant>--<scenario>.json, ${ISOLATION_FILE}, report.md, report.json, junit.xml, report.html)`);
  return { runs, planned: variants.length * scenarios.length, data };
}

/** Exit code of an isolation job: a partial run 130/1, stopped early 130, a judged budget failed 99, else 0. The line before the exit line says which. */
export async function isolationOutcome(done: IsolationDone, log: (line: string) => void, signal: AbortSignal): Promise<number> {
  const partial = partialOutcome(done.runs.map((r) => ({ label: `${r.variant} / ${r.scenario}`, result: r.result })));
  if (partial) {
    log(`isolation incomplete: ${partial.line}`);
    return partial.code;
  }
  if (signal.aborted || done.runs.length < done.planned) {
    log(`isolation interrupted after ${done.runs.length} of ${done.planned} run(s)`);
    return ExitCode.interrupted;
  }
  const { isolationVerdict } = await import('../../report/isolation-rows.js');
  const { describeVerdict } = await import('../../budgets/settings.js');
  const v = isolationVerdict(done.data);
  if (v) for (const line of describeVerdict(v)) log(`isolation ${line}`);
  if (v && v.blocking.length) {
    log(blockingLine(`isolation complete (${done.runs.length} runs)`, v));
    return ExitCode.thresholdFailed;
  }
  log(`isolation complete (${done.runs.length} runs)`);
  return ExitCode.ok;
}
