/**
 * The answer first (issue 19): the block report.md, report.html and the stdout of `bench`
 * and `compare` start with. Does the review's claim hold, per judged variant: passed,
 * FAILED on which queries (with the measured interval), or inconclusive; the same for each
 * query alone when isolated runs are among the data; whether the measured p95 intervals
 * support the review's claimed figures; then the capacities. The tables, charts and
 * evidence follow it. Pure Markdown (readable as plain text).
 */
import type { BudgetCheck, BudgetVerdict } from '../budgets/evaluate.js';
import { formatBudgetSet } from '../config/budget-grammar.js';
import { capacityLine } from './capacity-rows.js';
import { claimStanding, type ClaimStanding } from './claims.js';
import { isolationVerdict } from './isolation-rows.js';
import type { ReportData } from './model.js';
import { checkText, countsText, mixVerdict, policyText } from './verdicts.js';

/** `balance-history (p(95)<50: 57.0 [51.2, 66.0])`, one per check. */
const where = (cs: readonly BudgetCheck[]) => cs.map((c) => `${c.scenario} (${checkText(c)})`).join(', ');

/** One line per variant of a verdict: passed, FAILED on ..., inconclusive on ...; variants not judged summed up beside them. */
export function variantLines(v: BudgetVerdict, label = ''): string[] {
  const variants = [...new Set(v.checks.map((c) => c.variant))];
  return variants.map((variant) => {
    const mine = v.checks.filter((c) => c.variant === variant);
    const failed = mine.filter((c) => c.verdict === 'fail');
    const open = mine.filter((c) => c.verdict === 'inconclusive');
    if (!v.variants.includes(variant)) {
      return `- ${variant}${label}, reported beside them (not judged): ${mine.length - failed.length - open.length} within, ${failed.length} over, ${open.length} undecided`;
    }
    if (!v.judged) return `- ${variant}${label}: **not judged** (a run is partial)`;
    const undecided = open.length ? `inconclusive on ${where(open)}${v.policy === 'pass' ? ' (counted as passed: --inconclusive pass)' : ''}` : '';
    if (failed.length) return `- **${variant}${label}: FAILED** on ${where(failed)}${undecided ? `; ${undecided}` : ''}`;
    if (open.length) return `- **${variant}${label}: inconclusive**: ${undecided}`;
    return `- ${variant}${label}: **passed** (${mine.length} check${mine.length === 1 ? '' : 's'})`;
  });
}

/** Per after-variant, how the measured p95 intervals stand to the review's after-claims (mixed runs, and alone when isolated). */
export function claimLines(data: ReportData): string[] {
  const claimed = Object.keys(data.claims);
  if (!claimed.length) return [];
  const line = (variant: string, label: string, find: (scenario: string) => Parameters<typeof claimStanding>[1] | null) => {
    const by = new Map<ClaimStanding, string[]>();
    for (const name of claimed) {
      const s = find(name);
      if (s === null) continue;
      const k = claimStanding(data.claims[name]!.afterMs, s);
      by.set(k, [...(by.get(k) ?? []), name]);
    }
    if (!by.size) return [];
    const part = (k: ClaimStanding, words: string) => (by.get(k)?.length ? [`${by.get(k)!.length} ${words} (${by.get(k)!.join(', ')})`] : []);
    const parts = [
      ...part('slower', '**not supported**: slower than claimed'),
      ...part('consistent', 'consistent'),
      ...part('faster', 'faster than claimed'),
      ...part('undecided', 'not decided (no interval)'),
      ...part('no data', 'without data'),
    ];
    return [`- ${variant}${label}: ${parts.join('; ')}`];
  };
  const afters = [...new Set([...data.runs.map((r) => r.variant), ...(data.isolation?.runs ?? []).map((r) => r.variant)])].filter((v) => v !== 'baseline');
  const out: string[] = [];
  for (const variant of afters) {
    const run = data.runs.find((r) => r.variant === variant);
    if (run) out.push(...line(variant, ' (mix)', (n) => run.result.scenarios.find((s) => s.name === n) ?? null));
    const alone = (data.isolation?.runs ?? []).filter((r) => r.variant === variant);
    if (alone.length) out.push(...line(variant, ' (alone)', (n) => { const r = alone.find((x) => x.scenario === n); return r ? (r.result.scenarios.find((s) => s.name === n) ?? null) : null; }));
  }
  return out.length ? ["The review's claimed after-latencies against the measured p95 95% intervals:", '', ...out, ''] : [];
}

/**
 * HOOK for the capacity headline (src/report/capacity-headline.ts, `capacityHeadline`,
 * written by the capacity work of issue 17: max sustained rate, capacity within budget,
 * floor-bound queries). Until it is merged: the capacity figures the data holds.
 */
export function capacityHeadlineHook(data: ReportData): string[] {
  if (!data.capacity?.length) return [];
  return [`Capacity, max TPS within budget (the whole mix; ${data.capacity[0]!.budgets.join(', ')}): ${capacityLine(data.capacity)}.`, ''];
}

/**
 * The verdict block (Markdown lines, ending with a blank line). `heading` false leaves out
 * its `## The answer`, `capacity` false its capacity line (bench's answers list it below).
 */
export function verdictBlock(data: ReportData, o: { heading?: boolean; capacity?: boolean } = {}): string[] {
  const out = o.heading === false ? [] : ['## The answer', ''];
  const budgets = formatBudgetSet(data.budgets).map((b) => `\`${b}\``).join(', ') || 'none';
  const mix = data.runs.length ? mixVerdict(data) : undefined;
  const iso = isolationVerdict(data);
  const judged = [...new Set([...(mix?.variants ?? []), ...(iso?.variants ?? [])])];
  out.push(`Does the review's claim hold? Budgets ${budgets}, judged on ${judged.join(', ') || 'no variant'}:`, '');
  if (mix) out.push(...variantLines(mix, data.isolation ? ' (mix)' : ''));
  if (iso) out.push(...variantLines(iso, ' (alone)'));
  const counts = [mix ? `${data.isolation ? 'mix ' : ''}${countsText(mix)}` : '', iso ? `alone ${countsText(iso)}` : ''].filter(Boolean).join('; ');
  const policy = mix ?? iso;
  out.push('', counts ? `Checks: ${counts}; ${policyText(policy!)}.` : 'No budget checks.', '');
  out.push(...claimLines(data), ...(o.capacity === false ? [] : capacityHeadlineHook(data)));
  return out;
}
