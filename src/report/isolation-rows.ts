/**
 * Each scenario alone (isolation.json's runs), for people: extra rows of the review's
 * table (the scenario's p50/p95/p99 alone, before and after, beside the mixed figures),
 * the capacity row of that table, and a section with every isolated run. Pure
 * functions of the report data.
 */
import type { ScenarioResult } from '../result/types.js';
import { capacityRatio, capacityText } from './capacity-rows.js';
import { checkResult, judgedVariants, type BudgetVerdict, verdictOf } from '../budgets/evaluate.js';
import { fmtPercentiles, fmtRange, improvementOf, type IsolatedRunInfo, type ReportData } from './model.js';
import { budgetCell, countsText } from './verdicts.js';
import { claimSupport } from './claims.js';

/** The isolated run of `scenario` on `variant`, if any. */
export function isolatedRun(data: ReportData, variant: string | undefined, scenario: string): IsolatedRunInfo | undefined {
  return data.isolation?.runs.find((r) => r.variant === variant && r.scenario === scenario);
}

const alone = (r: IsolatedRunInfo | undefined): ScenarioResult | undefined => r?.result.scenarios.find((s) => s.name === r.scenario);
const pct = fmtPercentiles;
const heldText = (r: IsolatedRunInfo) => (r.held ? `held ${r.result.target.rate}/s` : `**not held** (${r.result.achievedRate.toFixed(1)} of ${r.result.target.rate}/s)`);

/**
 * Rows of the review's table for the scenarios run alone on `after` (and on `before`
 * when it ran them too), in the table's 8 columns: name, claims, before, after,
 * improvement, the claim's standing, and whether each side held its rate.
 */
export function isolationTableRows(data: ReportData, before: string | undefined, after: string): string[] {
  if (!data.isolation) return [];
  const names = [...new Set(data.isolation.runs.filter((r) => r.variant === after).map((r) => r.scenario))];
  return names.map((name) => {
    const b = isolatedRun(data, before, name);
    const a = isolatedRun(data, after, name)!;
    const claim = data.claims[name];
    const held = [b ? `before ${heldText(b)}` : undefined, `after ${heldText(a)}`].filter(Boolean).join(', ');
    return `| ${name} (alone) | ${fmtRange(claim?.beforeMs)} | ${fmtRange(claim?.afterMs)} | ${b ? pct(alone(b)) : '-'} | ${pct(alone(a))} | ${improvementOf(alone(b), alone(a)).text} | ${claimSupport(claim?.afterMs, alone(a))} | ${held} |`;
  });
}

/**
 * The budgets judged on the isolated runs (each on its one scenario), on the variants
 * `budgetVariants` names (default: every variant but the baseline). Pure.
 */
export function isolationVerdict(data: ReportData): BudgetVerdict | undefined {
  const runs = data.isolation?.runs;
  if (!runs?.length) return undefined;
  const variants = judgedVariants([...new Set(runs.map((r) => r.variant))], data.budgetVariants);
  const checks = runs.flatMap((r) => checkResult(r.variant, r.result, data.budgets));
  const judged = !runs.some((r) => variants.includes(r.variant) && r.result.partial);
  return verdictOf(checks, variants, judged, data.inconclusive ?? 'fail');
}

/** The row "max TPS within budget (mix)" of the review's table, when both sides have a capacity search. */
export function capacityTableRow(data: ReportData, before: string | undefined, after: string): string[] {
  const b = data.capacity?.find((c) => c.variant === before);
  const a = data.capacity?.find((c) => c.variant === after);
  if (!a) return [];
  return [`| max TPS within budget (mix) | - | - | ${b ? capacityText(b).replace(/\|/g, '\\|') : '-'} | ${capacityText(a).replace(/\|/g, '\\|')} | ${capacityRatio(b, a)} | - | budgets: ${a.budgets.join(', ')} |`];
}

/** The note under the review's table explaining the extra rows (empty without them). */
export function isolationNote(data: ReportData): string[] {
  const out: string[] = [];
  if (data.isolation?.runs.length) out.push(`Rows "(alone)": the scenario run alone at ${data.isolation.rate}/s or, where that did not hold, half of it (see "Each query alone"); their last column gives each side's rate and whether it held (a p95 of a run that did not is queueing, not the query).`);
  if (data.capacity?.length) out.push('Row "max TPS within budget (mix)": the highest rate at which the whole mix held every budget (see "Capacity"); improvement = after / before.');
  return out.length ? [out.join(' '), ''] : [];
}

/** The Markdown section: the review's table of the queries alone per after-variant, then every isolated run with its budgets. */
export function isolationSection(data: ReportData): string[] {
  const iso = data.isolation;
  if (!iso?.runs.length) return [];
  const variants = [...new Set(iso.runs.map((r) => r.variant))];
  const before = variants.includes('baseline') ? 'baseline' : undefined;
  const out = [
    '## Each query alone',
    '',
    `Each scenario alone (the mix is that scenario only) at ${iso.rate}/s, halved while a run does not hold its rate, ${iso.durationSec} s measured after ${iso.warmupSec} s warm-up, on a pre-warmed clone of the variant (a fresh one for each write scenario): the query's own latency, without the queueing of a mixed run. Latency in ms from the intended start.`,
    '',
  ];
  for (const after of variants.filter((v) => v !== before)) {
    out.push(`### ${before ? `${before} -> ` : ''}${after}, alone`, '', '| Query Type | Before (claimed) | After (claimed) | Before p50 / p95 / p99 | After p50 / p95 / p99 | Improvement (p95) | Claim (after) | Held |', '|---|---|---|---|---|---|---|---|');
    out.push(...isolationTableRows(data, before, after), '');
  }
  const v = isolationVerdict(data)!;
  out.push('| scenario | variant | n | p50 / p95 / p99 | achieved tx/s | held | errors | budgets |', '|---|---|---|---|---|---|---|---|');
  for (const r of iso.runs) {
    const s = alone(r);
    const budget = budgetCell(v, r.variant, r.scenario);
    out.push(`| ${r.scenario} | ${r.variant} | ${s?.count ?? 0} | ${pct(s)} | ${r.result.achievedRate.toFixed(1)} of ${r.result.target.rate} | ${r.held ? 'yes' : r.result.partial ? '**partial**' : '**no**'} | ${s?.errors ?? 0} | ${budget} |`);
  }
  out.push('', `Budgets judged on ${v.variants.join(', ') || 'no variant'}: ${countsText(v)}; held: >= 99% of the offered slots completed.`, '');
  return out;
}
