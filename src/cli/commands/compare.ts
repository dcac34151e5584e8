/** `ledger-bench compare`: the same mixed workload on several variants, same data, same seed, same schedule. */
import { maxWarmupSec, warmupProblems, warmupText } from '../warmup-settings.js';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ExitCode, UserError } from '../../errors.js';
import { requireSeededBaseline } from '../baseline-check.js';
import { redactSettings, type Source } from '../../config/load.js';
import { defineCommand } from '../command.js';
import { BUDGET_EXIT_MEANINGS, blockingLine } from '../exit-line.js';
import { engineSettings } from '../engine-settings.js';
import { mixProblems, variantListProblems } from '../list-problems.js';
import { parseMix, parseVariantList } from '../parse-lists.js';
import { partialOutcome } from '../run-outcome.js';
import { openServer } from '../server-session.js';
import { printReportJson, progressLog } from '../output-flags.js';
import type { BudgetSet } from '../../config/budget-grammar.js';
import type { BudgetVerdict } from '../../budgets/evaluate.js';
import type { Comparison } from '../../result/comparison.js';

/** Where the budget settings came from (for messages and for folding in --budget-ms). */
export type BudgetSources = { budgetMs: Source; budgets: Source };
const DEFAULT_SOURCES: BudgetSources = { budgetMs: 'default', budgets: 'default' };

export const compareCommand = defineCommand({
  name: 'compare',
  summary: 'run the same mixed workload on several variants and print the p95 table beside the review\'s claims',
  usage: 'compare [--variants LIST|all] [options]',
  description: `
For each variant in turn: a fresh clone of the seeded baseline (the baseline runs on a
clone of itself, so no run's writes leak into the next), the variant's migration, then
the same open-model run (same --seed, same schedule, same mix) at --rate. The baseline
runs the queries the review calls "before", every other variant its "after" queries.
Writes one result JSON per variant plus comparison.json and comparison.md to --out,
each as soon as it is known, and prints the p95 table with the review's claimed numbers,
the budget verdicts, migration times and the measured staleness of materialized views.
Then writes report.md, report.json, junit.xml and report.html beside them (and appends
report.md to $GITHUB_STEP_SUMMARY when set). Budgets (--budget, k6 threshold syntax;
default p(95) under --budget-ms) judge every variant but the baseline unless
--budget-variants says otherwise. Around each run, outside its timed window, it collects
server evidence into the result (one EXPLAIN (ANALYZE, BUFFERS) per read scenario,
pg_stat_statements deltas, index sizes and idx_scan deltas; --no-evidence skips it).
Exits 99 when one fails, or is not decided (its 95% interval straddles the threshold;
--inconclusive pass lets that through), on complete runs. If a run does not finish, no further
variant starts; the exit code is then 130 (interrupted) or 1 (the run broke, e.g. the
server stayed away past --reconnect-timeout), never 0 or 99.`,
  keys: [
    'databaseUrl', 'db', 'containerImage', 'dataDir', 'dbPrefix', 'force', 'variants', 'variantsDir', 'mix', 'rate', 'durationSec', 'warmupSec', 'connections', 'workers',
    'maxTries', 'seed', 'budgetMs', 'budgets', 'budgetVariants', 'inconclusive', 'refreshIntervalSec', 'reconnectTimeoutSec',
    'engineTimer', 'engineDriver', 'evidence', 'quiet', 'json', 'out', 'maxWarmupSec',
  ],
  measures: true,
  exitMeanings: BUDGET_EXIT_MEANINGS,
  examples: [
    'ledger-bench compare --variants baseline,indexes,matviews,event-sourced,partitioned,optimized --rate 1000 --duration 30s',
    'ledger-bench compare --variants indexes --mix journal-entry-search=1 --rate 200',
    'ledger-bench compare --variants-dir my --variants baseline,idx   # my/idx.sql is variant idx',
    "ledger-bench compare --variants indexes,optimized --budget 'p(95)<50' --budget 'journal-entry-search:p(99)<120' --budget-variants optimized",
  ],
  validate: ({ settings: s, sources }) => compareProblems(s, sources),
  async run({ settings: s, sources, log, signal }) {
    const done = await compareAndPrint(s, log, signal, undefined, sources);
    if (s.json) printReportJson(s.out);
    return comparisonOutcome(done, log, signal);
  },
});

/** Problems of `compare`'s (and `bench`'s) lists, found without a database. */
export async function compareProblems(
  s: Pick<CompareSettings, 'variants' | 'variantsDir' | 'mix' | 'budgets' | 'budgetMs' | 'budgetVariants'> & Partial<Pick<CompareSettings, 'warmupSec' | 'maxWarmupSec'>>,
  src: BudgetSources = DEFAULT_SOURCES,
): Promise<string[]> {
  const variantProblems = await variantListProblems(s.variants, '--variants', true, s.variantsDir);
  const problems = [...variantProblems, ...(await mixProblems(s.mix)), ...(s.maxWarmupSec !== undefined && s.warmupSec !== undefined ? warmupProblems({ warmupSec: s.warmupSec, maxWarmupSec: s.maxWarmupSec }, {}) : [])];
  // Budgets name variants: check them against the list only once the list itself is good.
  if (variantProblems.length === 0) {
    const { listVariants } = await import('../../../variants/registry.js');
    const names = parseVariantList(s.variants, (await listVariants({ variantsDir: s.variantsDir })).map((v) => v.name));
    problems.push(...(await compareBudgets(s, names, src)).problems);
  }
  return problems;
}

/** Settings `compare` (and `bench`) needs. */
export interface CompareSettings {
  /** Most stages of an isolation run or capacity probe (sequential sampling); absent: the default. */
  sequentialLooks?: number;
  /** p95 thresholds (ms) the capacity within budget is also given at; absent: the default. */
  capacityBudgetsMs?: readonly number[];
  databaseUrl: string;
  dataDir: string;
  dbPrefix: string;
  force: boolean;
  variants: string;
  variantsDir: string;
  mix: string;
  rate: number;
  durationSec: number;
  warmupSec: number;
  /** Longest warm-up (--max-warmup; absent: fixed, e.g. capacity, which shares these settings). */
  maxWarmupSec?: 'auto' | number;
  connections: number;
  workers: number;
  maxTries: number;
  reconnectTimeoutSec: number;
  engineTimer: 'ticker' | 'spin';
  engineDriver: 'wire' | 'pg';
  seed: number;
  budgetMs: number;
  budgets: BudgetSet;
  budgetVariants: string;
  /** --inconclusive (absent: 'fail'; capacity shares these settings without it). */
  inconclusive?: 'fail' | 'pass';
  refreshIntervalSec: number;
  evidence: boolean;
  quiet: boolean;
  /** stdout carries JSON (the command prints it): no tables there. */
  json: boolean;
  out: string;
}

/** The budgets compare judges, with every problem in them (unknown scenarios or variants); no database needed. */
export async function compareBudgets(s: Pick<CompareSettings, 'budgets' | 'budgetMs' | 'budgetVariants'>, variants: readonly string[], src: BudgetSources = DEFAULT_SOURCES) {
  const { SCENARIOS } = await import('../../../scenarios/registry.js');
  const { effectiveBudgets, budgetScenarioProblems, budgetVariantProblems } = await import('../../budgets/settings.js');
  const budgets = effectiveBudgets(s, src.budgetMs);
  const all = variants.includes('baseline') ? [...variants] : ['baseline', ...variants];
  return { budgets, problems: [...budgetScenarioProblems(budgets, SCENARIOS.map((x) => x.name), src.budgets), ...budgetVariantProblems(s.budgetVariants, all)] };
}

/**
 * What a job over several variants (compare, capacity) starts from: its variant list,
 * mix and budgets (bad input throws UserError, nothing touched), and the server with a
 * seeded baseline (`serverUrl`, or one it opens).
 */
export async function openVariantsJob(
  s: Pick<CompareSettings, 'variants' | 'variantsDir' | 'mix' | 'budgets' | 'budgetMs' | 'budgetVariants' | 'databaseUrl' | 'dataDir' | 'dbPrefix'> & Parameters<typeof openServer>[0],
  log: (line: string) => void,
  serverUrl?: string,
  src: BudgetSources = DEFAULT_SOURCES,
): Promise<{ names: string[]; mix: Record<string, number>; budgets: BudgetSet; url: string }> {
  const { listVariants } = await import('../../../variants/registry.js');
  const { SCENARIOS } = await import('../../../scenarios/registry.js');
  const { DEFAULT_MIX } = await import('../../../scenarios/mix.js');
  const names = parseVariantList(s.variants, (await listVariants({ variantsDir: s.variantsDir })).map((v) => v.name));
  const mix = s.mix ? parseMix(s.mix, SCENARIOS.map((x) => x.name)) : { ...DEFAULT_MIX };
  const { budgets, problems } = await compareBudgets(s, names, src);
  if (problems.length) throw new UserError(problems);
  let url = serverUrl;
  if (!url) {
    const server = await openServer(s, log);
    await requireSeededBaseline(server.url, s.dbPrefix, server.label);
    url = server.url;
  }
  return { names, mix, budgets, url };
}

/**
 * Validates, runs the comparison on `serverUrl` (or a server it opens), prints it, writes
 * the reports (report.md also to the step summary `summaryEnv` names), and returns the
 * comparison with its budget verdict (see comparisonOutcome).
 */
export async function compareAndPrint(
  s: CompareSettings,
  log: (line: string) => void,
  signal: AbortSignal,
  serverUrl?: string,
  src: BudgetSources = DEFAULT_SOURCES,
  summaryEnv: NodeJS.ProcessEnv = process.env,
): Promise<ComparisonDone> {
  const { names, mix, budgets, url } = await openVariantsJob(s, log, serverUrl, src);
  const { SCENARIOS } = await import('../../../scenarios/registry.js');
  const { compareVariants, runDatabase } = await import('../../compare/compare-variants.js');
  // Before anything is replaced: every database the comparison rebuilds must be ours.
  const { assertReplaceable } = await import('../../db/readiness.js');
  await assertReplaceable(url, names.map((n) => runDatabase(s.dbPrefix, n)), false);
  const outDir = resolve(s.out);
  mkdirSync(outDir, { recursive: true });
  const { renderComparison } = await import('../../report/comparison.js');
  // No race against Ctrl-C here: the engine ends the current run itself and its
  // partial result is still written; no further variant starts.
  // Without --max-warmup (capacity shares these settings) the warm-up is fixed.
  const warm = { warmupSec: s.warmupSec, maxWarmupSec: s.maxWarmupSec ?? s.warmupSec };
  const cmp = await compareVariants({
      serverUrl: url,
      prefix: s.dbPrefix,
      variants: names,
      variantsDir: s.variantsDir,
      rate: s.rate,
      durationSec: s.durationSec,
      warmupSec: s.warmupSec,
      maxWarmupSec: maxWarmupSec(warm),
      seed: s.seed,
      mix,
      outDir,
      refreshIntervalSec: s.refreshIntervalSec,
      ...engineSettings(s),
      quiet: s.quiet,
      evidence: s.evidence,
      signal,
      // The budgets recorded are the ones judged (--budget-ms folded in), so reports re-judge the same.
      config: redactSettings({ command: 'compare', ...s, budgets }),
      onVariant: (v, phase) => progressLog(log, s.quiet)(`compare: ${phase === 'migrate' ? 'building' : `running ${s.rate}/s for ${s.durationSec}s (+${warmupText(warm)} warm-up, pre-warmed) on`} ${v}`),
    });
  const { writeReports } = await import('../../report/write-reports.js');
  const { mixVerdict } = await import('../../report/verdicts.js');
  const { verdictBlock } = await import('../../report/verdict-block.js');
  const { describeVerdict } = await import('../../budgets/settings.js');
  const claims = Object.fromEntries(SCENARIOS.flatMap((x) => (x.claim ? [[x.name, x.claim]] : [])));
  const runs = cmp.runs.map((r) => ({ variant: r.variant, result: r.result, file: r.resultFile, ...(r.migration ? { migration: r.migration } : {}), staleness: r.staleness }));
  const planned = names.includes('baseline') ? names : ['baseline', ...names];
  const pending = planned.filter((v) => !runs.some((r) => r.variant === v));
  const data = { runs, claims, budgets, budgetVariants: s.budgetVariants, inconclusive: s.inconclusive, ...(pending.length ? { pending } : {}) };
  const verdict = mixVerdict(data);
  // The answer first: the verdict block, then the tables.
  if (!s.json) process.stdout.write('\n' + renderComparison(cmp, { mix, verdict, lead: verdictBlock(data) }));
  const files = await writeReports(outDir, data, summaryEnv);
  // comparison.md grows with each variant (the p95 table, kept if interrupted); once all is known it holds the whole report.
  const reportMd = files.find((f) => f.endsWith('report.md'))!;
  copyFileSync(reportMd, join(outDir, 'comparison.md'));
  log(`results: ${outDir} (one JSON per variant, comparison.json, comparison.md, report.md, report.json, junit.xml, report.html)`);
  for (const line of describeVerdict(verdict)) log(line);
  return { comparison: cmp, verdict, pending, markdown: readFileSync(reportMd, 'utf8') };
}

/** What compareAndPrint did: the comparison, its budget verdict, the planned variants that never ran, and its report.md. */
export interface ComparisonDone {
  comparison: Comparison;
  verdict: BudgetVerdict;
  pending: string[];
  markdown: string;
}

/**
 * The exit code of a comparison, with its outcome line (main.ts's exit line follows): a partial run
 * never exits 0 or 99 (130 interrupted, 1 broke), nor does a comparison that stopped
 * before running every variant; budgets fail (99) only on a complete comparison.
 */
export function comparisonOutcome(done: ComparisonDone, log: (line: string) => void, signal: AbortSignal): number {
  const runs = done.comparison.runs;
  const partial = partialOutcome(runs.map((r) => ({ label: r.variant, result: r.result })));
  if (partial) {
    log(`comparison incomplete: ${partial.line}`);
    return partial.code;
  }
  if (signal.aborted || done.pending.length > 0) {
    log(`comparison interrupted after ${runs.length} run(s)`);
    return ExitCode.interrupted;
  }
  if (done.verdict.blocking.length > 0) {
    log(blockingLine(`comparison complete (${runs.length} runs)`, done.verdict));
    return ExitCode.thresholdFailed;
  }
  log(`comparison complete (${runs.length} runs)`);
  return ExitCode.ok;
}
