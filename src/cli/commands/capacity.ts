/** `ledger-bench capacity`: the highest offered rate at which each variant's mix holds its budgets. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { redactSettings } from '../../config/load.js';
import { ExitCode } from '../../errors.js';
import { defineCommand } from '../command.js';
import { engineSettings } from '../engine-settings.js';
import { partialOutcome } from '../run-outcome.js';
import { compareProblems, openVariantsJob, type BudgetSources, type CompareSettings } from './compare.js';
import { STANDALONE, type StepOutput } from '../step-output.js';
import { printReportJson, progressLog } from '../output-flags.js';
import type { CapacityProbe, VariantCapacity } from '../../capacity/variant-capacity.js';
import type { FloorInfo } from '../../report/capacity-figures.js';
import { DEFAULTS } from '../../config/defaults.js';

/** A probe on one line: its budget verdict (three-valued), whether it sustained the rate, its stages. */
export function probeLine(p: Omit<CapacityProbe, 'result'>): string {
  if (p.partial) return 'did not finish';
  const verdict = p.holds ? 'holds' : p.verdict === 'inconclusive' ? `inconclusive (${(p.inconclusive ?? []).join('; ')})` : `fails (${p.failed.join('; ')})`;
  const seq = p.sequential ? `; ${p.sequential.looks} of ${p.sequential.maxLooks} stage(s) at ${(100 * p.sequential.conf).toFixed(1)}%` : '';
  const excluded = `${p.excluded?.length ? `; floor-bound, not judged: ${p.excluded.join(', ')}` : ''}${p.excludedUndecided?.length ? `; floor undecided alone, not judged: ${p.excludedUndecided.join(', ')}` : ''}`;
  return `${verdict}; ${p.sustained ? 'sustained' : 'NOT sustained'}, achieved ${p.achievedRate.toFixed(1)}/s${seq}${excluded}${p.backlogAtStart ? `; began with a backlog of ${p.backlogAtStart}` : ''}`;
}

export const capacityCommand = defineCommand({
  name: 'capacity',
  summary: 'capacity search: the highest rate at which each variant holds its budgets',
  usage: 'capacity [--variants LIST|all] [options]',
  description: `
For each variant: builds it once, then probes offered rates, each probe a fixed-rate
run of the mix (--step-sec after --step-warmup) on a fresh, pre-warmed clone (pg_prewarm when
the server has it, else a read pass over every table). The search climbs on whether a
probe SUSTAINED its rate (>= 99% of the offered slots completed, none dropped, the
backlog at the end bounded): from --start-rate it doubles while they are sustained
(halves while not), then bisects to --precision, never above --max-rate: the max
sustained rate, where the server saturates. Each probe is also judged against the
budgets (--budget, default p(95) under --budget-ms on every scenario, plus the mix's
rate >= 0.99), three-valued on the p95's confidence interval: it holds only when every
check passed (decided), fails on a decided fail, else it is inconclusive (never held;
the record says what was not decided and why, e.g. too few samples). A probe is sized
by samples: while a check is undecided and more data could decide it, another stage of
--step-sec runs on the same clone, at most --looks stages, each look judged at
1 - 0.05/--looks confidence (all looks together decide wrongly <= 5%). The max rate
within budget is the highest probed rate that held (when none held, the search steps
down while probes remain); from the same probes, the capacity within each p95 of
--capacity-budgets and the latency-throughput curve (the HTML report draws it). Prints
the headline in words, then report.md's capacity section; writes <variant>.json (the
run at capacity with a "capacity" object holding every probe), capacity.json,
report.md, report.json, junit.xml and report.html to --out. See docs/capacity.md.
Exits 99 when a variant's max rate within budget is below --min-rate (if given), 130
when interrupted, 1 when a probe broke. With --target URL every probe runs on that
existing database as it is (read-only sessions, no build, no clone, no pre-warm,
nothing created; the default mix its read scenarios; docs/target.md), recorded as
variant "target".`,
  keys: [
    'databaseUrl', 'db', 'containerImage', 'dataDir', 'dbPrefix', 'force', 'variants', 'variantsDir', 'mix', 'startRate', 'maxRate', 'stepSec', 'precision', 'minRate',
    'stepWarmupSec', 'connections', 'workers', 'maxTries', 'seed', 'budgetMs', 'budgets', 'sequentialLooks', 'capacityBudgetsMs', 'refreshIntervalSec', 'reconnectTimeoutSec', 'engineTimer', 'engineDriver', 'evidence', 'quiet', 'json', 'out',
    'target', 'allowWrites',
  ],
  measures: true,
  examples: [
    'ledger-bench capacity --variants baseline,optimized',
    'ledger-bench capacity --variants all --start-rate 200 --step-sec 5s --step-warmup 2s --precision 0.1',
    "ledger-bench capacity --variants optimized --budget 'p(99)<100' --min-rate 1000   # a capacity gate for CI",
    'ledger-bench capacity --target postgres://me@db.staging/ledger --max-rate 500   # an existing database, read-only',
  ],
  async validate({ settings: s, sources }) {
    const problems = await compareProblems({ ...s, budgetVariants: '' }, sources);
    if (s.startRate > s.maxRate) problems.push(`--start-rate ${s.startRate} is above --max-rate ${s.maxRate}: lower --start-rate or raise --max-rate`);
    const { targetProblems, mixScenarios } = await import('../target-settings.js');
    problems.push(...(await targetProblems(s, sources, await mixScenarios(s.mix), '--mix', sources.variants !== 'default' ? { '--variants': 'the target is measured as it is, not as variants' } : {})));
    return problems;
  },
  async run({ settings: s, sources, log, signal }) {
    const done = await capacityAndPrint(s, log, signal, undefined, sources);
    if (s.json) printReportJson(s.out);
    return capacityOutcome(done, s.minRate, log, signal);
  },
});

/** Settings the capacity search needs. */
export type CapacitySettings = Omit<CompareSettings, 'rate' | 'durationSec' | 'budgetVariants' | 'warmupSec'> & {
  startRate: number;
  maxRate: number;
  stepSec: number;
  /** Each probe's warm-up (the mixed runs' --warmup does not apply to probes). */
  stepWarmupSec: number;
  precision: number;
  minRate: number;
  /** An existing database to measure as it is ('' = the harness's variants; bench has none). */
  target?: string;
  allowWrites?: boolean;
};

/** Searches each variant's capacity on `serverUrl` (or a server it opens), prints the report's capacity section (as a step of bench, `output`: a line of what it found), writes the results and reports (report.md also to the step summary `output` names). */
export async function capacityAndPrint(
  s: CapacitySettings,
  log: (line: string) => void,
  signal: AbortSignal,
  serverUrl?: string,
  src?: BudgetSources,
  maxProbes?: number,
  output: StepOutput = STANDALONE,
  opts: { floors?: readonly FloorInfo[]; reuseBuilt?: boolean } = {},
): Promise<VariantCapacity[]> {
  // On a target: that database as it is, one "variant"; nothing to build, clone or replace.
  const { openTargetVariantsJob } = await import('../target-settings.js');
  const targetJob = s.target ? await openTargetVariantsJob({ ...s, target: s.target, allowWrites: s.allowWrites ?? false, budgetVariants: '' }, s.mix, log, src) : undefined;
  const { names, mix, budgets, url } = targetJob ?? (await openVariantsJob({ ...s, budgetVariants: '' }, log, serverUrl, src));
  const target = targetJob?.target;
  const progress = progressLog(log, s.quiet);
  const { SCENARIOS } = await import('../../../scenarios/registry.js');
  const { variantCapacity, probeDatabase } = await import('../../capacity/variant-capacity.js');
  const { assertReplaceable } = await import('../../db/readiness.js');
  if (!target) await assertReplaceable(url, names.map((n) => probeDatabase(s.dbPrefix, n)), s.force);
  const outDir = resolve(s.out);
  mkdirSync(outDir, { recursive: true });
  const { writeResultAtomic } = await import('../../result/write.js');
  const found: VariantCapacity[] = [];
  for (const variant of names) {
    if (signal.aborted) break;
    progress(`capacity: ${variant}: ${target ? `probing ${target.database} as it is` : 'building, then probing'} from ${s.startRate}/s (${s.stepSec}s each after ${s.stepWarmupSec}s warm-up${target ? '' : ', fresh clone each'})`);
    const c = await variantCapacity({
      serverUrl: url,
      prefix: s.dbPrefix,
      variant,
      ...(s.variantsDir ? { variantsDir: s.variantsDir } : {}),
      mix,
      budgets,
      startRate: s.startRate,
      maxRate: s.maxRate,
      precision: s.precision,
      // Below the gate nothing is worth probing: the gate fails either way.
      ...(s.minRate > 0 ? { minRate: Math.min(s.minRate, s.startRate) } : {}),
      ...(maxProbes !== undefined ? { maxProbes } : {}),
      stepSec: s.stepSec,
      warmupSec: s.stepWarmupSec,
      seed: s.seed,
      refreshIntervalSec: s.refreshIntervalSec,
      ...engineSettings(s),
      config: redactSettings({ command: 'capacity', ...s, budgets }),
      signal,
      ...(target ? { target } : {}),
      maxLooks: s.sequentialLooks ?? DEFAULTS.sequentialLooks,
      thresholdsMs: s.capacityBudgetsMs ?? DEFAULTS.capacityBudgetsMs,
      ...(opts.floors ? { floors: opts.floors } : {}),
      ...(opts.reuseBuilt ? { reuseBuilt: true } : {}),
      onProbe: (p) => progress(`capacity: ${variant} at ${p.rate}/s: ${probeLine(p)}`),
    });
    found.push(c);
    const { atCapacity, ...summary } = c;
    if (atCapacity) await writeResultAtomic(outDir, { ...atCapacity, capacity: summary } as typeof atCapacity, `${variant}.json`);
    writeFileSync(join(outDir, 'capacity.json'), JSON.stringify(found.map(({ atCapacity: _a, ...rest }) => rest), null, 2) + '\n');
  }
  if (target) {
    const { targetWarnings } = await import('../target-settings.js');
    for (const w of new Set(found.flatMap((c) => (c.atCapacity ? targetWarnings(c.atCapacity) : [])))) log(w);
  }
  // The report's own capacity section: stdout and report.md say the same, from one formatter.
  // As a step of bench: what it found, and where the tables are (bench's answers print them once).
  const { capacityLine, capacitySection } = await import('../../report/capacity-rows.js');
  const { REPORT_FILES, writeReports } = await import('../../report/write-reports.js');
  // A search that stopped stops bench too: no answers follow then.
  const complete = found.length === names.length && !found.some((c) => c.probes.some((p) => p.partial));
  const { capacityHeadline } = await import('../../report/capacity-headline.js');
  const { floorBoundLines } = await import('../../report/capacity-floor-rows.js');
  const headline = capacityHeadline(found);
  const brief = [`capacity: ${headline}`, `capacity (max TPS within budget): ${capacityLine(found)}`, `  ${complete ? 'the p95 side by side: "The answers" below; ' : ''}every probe: ${join(outDir, REPORT_FILES.md)}`];
  const floorBound = floorBoundLines(found.flatMap((c) => c.floors ?? []));
  if (!s.json) process.stdout.write('\n' + [...floorBound, ...(output.tables ? [`Capacity: ${headline}`, '', ...capacitySection(found)] : brief)].join('\n') + '\n');
  const claims = Object.fromEntries(SCENARIOS.flatMap((x) => (x.claim ? [[x.name, x.claim]] : [])));
  const runs = found.flatMap((c) => (c.atCapacity ? [{ variant: c.variant, result: { ...c.atCapacity, capacity: { maxRateWithinBudget: c.maxRateWithinBudget, firstFailingRate: c.firstFailingRate } } as typeof c.atCapacity }] : []));
  const pending = names.filter((v) => !found.some((c) => c.variant === v));
  const capacity = found.map(({ atCapacity: _a, ...rest }) => rest);
  await writeReports(outDir, { runs, claims, budgets, budgetVariants: 'all', ...(pending.length ? { pending } : {}), ...(capacity.length ? { capacity } : {}) }, output.summaryEnv);
  log(`results: ${outDir} (<variant>.json at capacity, capacity.json, report.md, report.json, junit.xml, report.html)`);
  return found;
}

/** Exit code of a capacity search: partial probes 130/1; below --min-rate 99; else 0. The last line says which. */
export function capacityOutcome(found: readonly VariantCapacity[], minRate: number, log: (line: string) => void, signal: AbortSignal): number {
  const partial = partialOutcome(found.flatMap((c) => c.probes.filter((p) => p.partial).map((p) => ({ label: `${c.variant} at ${p.rate}/s`, result: { ...p, partial: true } }))));
  // Stopped between probes (Ctrl-C after one ended): nothing partial, but the search is not complete.
  if (partial || signal.aborted || found.some((c) => c.stoppedBy === 'partial')) {
    const code = partial?.code ?? ExitCode.interrupted;
    log(`capacity search incomplete (${found.length} variant(s) searched): exit ${code}`);
    return code;
  }
  const below = minRate > 0 ? found.filter((c) => (c.maxRateWithinBudget ?? 0) < minRate) : [];
  if (below.length) {
    log(`capacity below --min-rate ${minRate}: ${below.map((c) => `${c.variant} ${c.maxRateWithinBudget ?? 'none'}`).join(', ')}: exit ${ExitCode.thresholdFailed}`);
    return ExitCode.thresholdFailed;
  }
  log(`capacity search complete (${found.length} variant(s)): exit ${ExitCode.ok}`);
  return ExitCode.ok;
}
