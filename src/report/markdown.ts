/**
 * The report for people, as Markdown: per candidate variant the review's table shape
 * (Query Type | Before | After | Improvement) with measured p50/p95/p99 beside the
 * review's claims, then budget verdicts, achieved rates, capacity, service times,
 * migrations and MV staleness. A pure function of the report data (result JSON only).
 */
import { targetSection } from './target-section.js';
import { warmupNoteLines, warmupPhrase } from './warmup-note.js';
import type { BudgetVerdict } from '../budgets/evaluate.js';
import { budgetCell, countsText, mixVerdict, policyText, verdictWord } from './verdicts.js';
import { describeMeasured } from '../budgets/settings.js';
import { verdictBlock } from './verdict-block.js';
import { claimSupport } from './claims.js';
import { fmtEstimate } from './interval-format.js';
import { formatBudgetSet } from '../config/budget-grammar.js';
import type { ScenarioResult } from '../result/types.js';
import { beforeRun, fmtPercentiles, fmtRange, improvementOf, scenarioNames, topLevelIndexes, type ReportData, type ReportRun } from './model.js';
import { serverThroughput, throughputStdDev } from './throughput.js';
import { evidenceSection } from './evidence.js';
import { capacitySection } from './capacity-rows.js';
import { capacityTableRow, isolationNote, isolationSection, isolationTableRows } from './isolation-rows.js';

const pct = fmtPercentiles;
const find = (r: ReportRun | undefined, name: string) => r?.result.scenarios.find((s) => s.name === name);

/** Whether a run's figures are k6's own end-of-test summary statistics (src/result/from-k6-summary.ts). */
export const isK6Run = (r: ReportRun | undefined): boolean => r?.result.tool.name === 'k6';

/** The label of k6 figures wherever they are shown. */
export const K6_FIGURES =
  "k6's own end-of-test summary statistics (http_req_duration, sent -> received, failed requests included; no schedule lag: k6 drops late iterations instead), not ledger-bench histograms";

/** One line describing the runs' shared target and server. */
export function targetLine(data: ReportData): string {
  const r = data.runs[0]?.result;
  if (!r) return data.isolation || data.capacity ? 'No mixed run among the inputs: the capacity and isolation summaries only.' : 'no results';
  if (isK6Run(data.runs[0])) return `${r.target.rate} req/s target (k6 constant-arrival-rate), ${r.target.durationSec} s measured after ${r.target.warmupSec} s warm-up, run by k6 (Math.random draws, no seed), ended ${r.endedAt}`;
  const server = r.server ? `PostgreSQL ${r.server.version.split(' ')[0]}` : 'server unknown';
  return `${r.target.rate} tx/s target, ${r.target.durationSec} s measured ${warmupPhrase(r)}, ${r.target.arrival} arrivals, seed ${r.seed}, ${server}, started ${r.startedAt}`;
}

/** The review's table for one after-variant against the before-run. */
function comparisonTable(data: ReportData, before: ReportRun | undefined, after: ReportRun, v: BudgetVerdict): string[] {
  const out = [
    `## ${before ? `${before.variant} -> ${after.variant}` : after.variant}`,
    '',
    '| Query Type | Before (claimed) | After (claimed) | Before p50 / p95 / p99 | After p50 / p95 / p99 | Improvement (p95) | Claim (after) | Budgets |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const name of scenarioNames(data)) {
    const claim = data.claims[name];
    const b = find(before, name);
    const a = find(after, name);
    out.push(`| ${name} | ${fmtRange(claim?.beforeMs)} | ${fmtRange(claim?.afterMs)} | ${before ? pct(b) : '-'} | ${pct(a)} | ${improvementOf(b, a).text} | ${claimSupport(claim?.afterMs, a)} | ${budgetCell(v, after.variant, name)} |`);
  }
  // Beside the mixed figures: each claimed query alone, and the mix's capacity (when among the inputs).
  out.push(...isolationTableRows(data, before?.variant, after.variant), ...capacityTableRow(data, before?.variant, after.variant));
  const k6 = [before, after].filter(isK6Run).map((r) => r!.variant);
  const k6Line = `Figures of ${k6.join(' and ')}: ${K6_FIGURES}; of the measured scenario (warm-up excluded) when the summary has its {scenario:...} sub-metric, as the scenarios/k6 scripts' do, else of the whole test.`;
  out.push('', 'Each percentile with its 95% interval `[lo, hi]` (docs/reports.md); improvement = before p95 / after p95 with the ratio\'s interval, "no significant difference" when it contains 1; claim (after): the after-claim against the measured p95 interval.');
  out.push('', k6.length ? `Latency in ms. ${k6Line}${k6.length < (before ? 2 : 1) ? ' Other figures: from the intended start (coordinated-omission correct), warm-up excluded.' : ''} Claimed: the review's numbers.` : 'Latency in ms from the intended start (coordinated-omission correct), warm-up excluded. Claimed: the review\'s numbers.', '');
  out.push(...isolationNote(data));
  return out;
}

/** Renders the whole report as Markdown. */
export function renderMarkdown(data: ReportData): string {
  const v = mixVerdict(data);
  const before = beforeRun(data);
  const afters = data.runs.filter((r) => r !== before);
  // The answer first (issue 19): the verdict and the capacities, then the tables, then evidence.
  const out: string[] = ['# ledger-bench report', '', targetLine(data), '', ...verdictBlock(data)];
  // A run on an existing database (--target): which query ran there and why.
  out.push(...targetSection(data));
  const partial = data.runs.filter((r) => r.result.partial);
  if (partial.length) out.push(`**Partial results**: ${partial.map((r) => `${r.variant} (${r.result.partialReason ?? 'ended early'})`).join(', ')}.`, '');
  if (data.pending?.length) out.push(`**Not run** (comparison interrupted): ${data.pending.join(', ')}.`, '');
  out.push(...warmupNoteLines(data.runs));
  for (const r of afters.length ? afters : data.runs) out.push(...comparisonTable(data, before, r, v));

  // Without runs (an isolation or capacity summary alone) there is nothing for the run sections to say.
  if (!data.runs.length) return [...out, ...capacitySection(data.capacity ?? []), ...isolationSection(data)].join('\n');
  out.push('## Budgets', '');
  const judged = v.variants.length ? v.variants.join(', ') : 'none';
  out.push(`Budgets: ${formatBudgetSet(data.budgets).map((b) => `\`${b}\``).join(', ') || 'none'}; judged variants: ${judged}${before && !v.variants.includes(before.variant) ? ` (${before.variant} reported beside them)` : ''}.`, '');
  out.push(`Verdict: ${overallVerdict(v)}. Checks: ${countsText(v)}; ${policyText(v)}.`, '');
  if (v.checks.length) {
    out.push('| variant | scenario | budget | measured [95% interval] | verdict |', '|---|---|---|---|---|');
    for (const c of v.checks) {
      const j = v.variants.includes(c.variant);
      const word = !j ? `${c.verdict === 'pass' ? 'within' : c.verdict === 'fail' ? 'over' : 'undecided'} (not judged)` : !v.judged ? 'not judged' : c.verdict === 'fail' ? '**FAIL**' : verdictWord(c);
      out.push(`| ${c.variant} | ${c.scenario} | \`${c.expr}\` | ${describeMeasured(c)} | ${word} |`);
    }
    out.push('', 'pass: the whole 95% interval meets the budget; FAIL: the whole interval misses it; inconclusive: the interval straddles the threshold, or too few samples for one (docs/reports.md). avg, min, max, rate and errors are judged on the measured value.', '');
  }

  out.push('## Achieved rate, errors, drops', '', '| variant | target tx/s | achieved tx/s | target reached | completed tx/s (any age) | errors | retries | dropped | complete |', '|---|---|---|---|---|---|---|---|---|');
  for (const r of data.runs) {
    const s = r.result.scenarios;
    const sum = (f: (x: ScenarioResult) => number) => s.reduce((a, x) => a + f(x), 0);
    const thr = serverThroughput(r.result);
    const sd = throughputStdDev(r.result);
    out.push(
      `| ${r.variant} | ${r.result.target.rate} | ${r.result.achievedRate.toFixed(1)} | ${r.result.reachedTarget ? 'yes' : '**no**'} | ${thr === undefined ? '-' : `${thr.toFixed(1)}${sd === undefined ? '' : ` ± ${sd.toFixed(1)}`}`} | ${sum((x) => x.errors)} | ${sum((x) => x.retries)} | ${sum((x) => x.dropped)} | ${r.result.partial ? '**partial**' : 'yes'} |`,
    );
  }
  out.push('', 'Completed tx/s (any age): completions per second in the window whatever their due time (mean ± sample standard deviation over the seconds), i.e. what the server did when the target was not reached.', '');

  out.push(...capacitySection(data.capacity ?? []), ...isolationSection(data));
  const capacity = data.capacity?.length ? [] : data.runs.filter((r) => capacityOf(r));
  if (capacity.length) {
    out.push('## Capacity', '', '| variant | capacity |', '|---|---|');
    for (const r of capacity) out.push(`| ${r.variant} | ${Object.entries(capacityOf(r)!).map(([k, x]) => `${k} ${x}`).join(', ')} |`);
    out.push('');
  }

  out.push('## p95 service time (ms): sent -> done, without schedule lag', '', 'No interval: the result keeps no per-batch histograms of service time, and an interval assuming independent samples would be too narrow under load.', '', `| scenario | ${data.runs.map((r) => r.variant).join(' | ')} |`, `|---|${data.runs.map(() => '---').join('|')}|`);
  for (const name of scenarioNames(data)) out.push(`| ${name} | ${data.runs.map((r) => { const s = find(r, name); return s && s.count > 0 ? fmtEstimate(s.serviceMs.p95, null, s.count) : '-'; }).join(' | ')} |`);
  out.push('');

  const migrated = data.runs.filter((r) => r.migration);
  if (migrated.length) {
    out.push('## Migration (clone + steps + ANALYZE)', '', '| variant | clone s | steps s | analyze s | total s | indexes built (concurrently) | index MB |', '|---|---|---|---|---|---|---|');
    for (const r of migrated) {
      const m = r.migration!;
      const steps = m.steps.reduce((a, x) => a + x.ms, 0);
      const mb = topLevelIndexes(m).reduce((a, i) => a + i.sizeBytes, 0) / 2 ** 20;
      out.push(`| ${r.variant} | ${(m.cloneMs / 1000).toFixed(1)} | ${(steps / 1000).toFixed(1)} | ${(m.analyzeMs / 1000).toFixed(1)} | ${(m.totalMs / 1000).toFixed(1)} | ${m.indexes.length} (${m.indexes.filter((i) => i.concurrently).length}) | ${mb.toFixed(1)} |`);
    }
    out.push('');
  }
  const stale = data.runs.flatMap((r) => (r.staleness ?? []).map((s) => ({ variant: r.variant, s })));
  if (stale.length) {
    out.push('## Materialized view staleness under the write load', '', '| variant | view | refreshes | refresh ms mean / max | unreflected age ms p95 / max |', '|---|---|---|---|---|');
    for (const { variant, s } of stale) out.push(`| ${variant} | ${s.view} | ${s.refreshes} | ${s.refreshMs.mean.toFixed(0)} / ${s.refreshMs.max.toFixed(0)} | ${s.maxUnreflectedAgeMs.p95.toFixed(0)} / ${s.maxUnreflectedAgeMs.max.toFixed(0)} |`);
    out.push('');
  }
  for (const r of data.runs) out.push(...evidenceSection(r));
  return out.join('\n');
}

/** The verdict of the judged budgets in one word: **FAILED**, **NOT DECIDED**, **passed** or **not judged**. */
export function overallVerdict(v: BudgetVerdict): string {
  if (!v.judged) return '**not judged** (a judged run is partial; budgets are judged on complete runs only)';
  if (!v.variants.length) return 'no variant judged';
  if (v.failed.length) return '**FAILED**';
  if (v.blocking.length) return '**NOT DECIDED**';
  return '**passed**';
}

/** Numeric capacity fields a result carries (from a capacity search), if any. */
export function capacityOf(r: ReportRun): Record<string, number> | undefined {
  const c = (r.result as { capacity?: unknown }).capacity;
  if (!c || typeof c !== 'object') return undefined;
  const nums = Object.entries(c as Record<string, unknown>).filter((e): e is [string, number] => typeof e[1] === 'number');
  return nums.length ? Object.fromEntries(nums) : undefined;
}
