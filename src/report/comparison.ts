/**
 * The comparison of variants as text: per-scenario p95 beside the review's claims
 * with the budget verdict, service times, achieved rates, migrations and MV
 * staleness. A pure function of the comparison (results + migration reports).
 */
import { warmupPhrase, warmupSuffix } from './warmup-note.js';
import { buildTable, type Comparison } from '../result/comparison.js';
import { formatP95Table } from './p95-table.js';
import type { BudgetVerdict } from '../budgets/evaluate.js';
import { budgetCell, countsText, policyText } from './verdicts.js';

/** A variant's budgets in one line: every scenario passed, or each scenario's FAIL / inconclusive checks. */
function scenarioVerdicts(v: BudgetVerdict, variant: string, scenarios: readonly string[]): string {
  const cells = scenarios.map((s) => ({ s, cell: budgetCell(v, variant, s, false) })).filter((x) => x.cell !== '-');
  if (!cells.length) return 'no budget checks';
  const bad = cells.filter((x) => x.cell !== 'pass' && x.cell !== '(within)');
  if (!bad.length) return v.variants.includes(variant) ? `every scenario passed (${cells.length})` : 'every scenario within (not judged)';
  return bad.map((x) => `${x.s} ${x.cell}`).join('; ');
}

export { serverThroughput } from './throughput.js';
import { serverThroughput } from './throughput.js';

/**
 * Renders a comparison for people (Markdown, readable as plain text). `lead` (the verdict
 * block, src/report/verdict-block.ts) comes first; `verdict` gives the budget section
 * (without it, the budgets are not shown).
 */
export function renderComparison(cmp: Pick<Comparison, 'runs' | 'claims'>, o: { mix: Record<string, number>; verdict?: BudgetVerdict; lead?: readonly string[] }): string {
  const variants = cmp.runs.map((r) => r.variant);
  const first = cmp.runs[0]?.result;
  const out: string[] = [...(o.lead ?? [])];
  const target = first ? `${first.target.rate} TPS, ${first.target.durationSec} s measured ${warmupPhrase(first)}` : '';
  out.push(`## p95 latency (ms) from the intended start, at ${target}`, '');
  out.push(formatP95Table(buildTable(cmp.runs, o.mix, cmp.claims), variants), '');
  out.push('Each p95 with its 95% interval; after the comma the improvement on the baseline (baseline p95 / variant p95, with the ratio\'s interval; "no significant difference" when it contains 1, "not decided" when it reaches 1 only through an interval open above: a run that was not steady).', '');
  if (o.verdict) {
    out.push('## Budget verdicts', '');
    for (const r of cmp.runs) out.push(`- ${r.variant}: ${scenarioVerdicts(o.verdict, r.variant, r.result.scenarios.map((s) => s.name))}`);
    out.push('', `Checks: ${countsText(o.verdict)}; ${policyText(o.verdict)}.`);
  }
  out.push('', '## p95 service time (ms): sent -> done, without schedule lag (what a closed-loop tool would report)', '');
  out.push(formatP95Table(buildTable(cmp.runs, o.mix, cmp.claims, 'serviceMs'), variants), '');
  out.push('## Achieved rate, errors, retries, dropped', '');
  for (const r of cmp.runs) {
    const s = r.result.scenarios;
    const sum = (f: (x: (typeof s)[number]) => number) => s.reduce((a, x) => a + f(x), 0);
    const reached = r.result.reachedTarget ? 'target reached' : 'TARGET NOT REACHED';
    const capacity = serverThroughput(r.result);
    out.push(
      `- ${r.variant}: ${r.result.achievedRate.toFixed(0)} of ${r.result.target.rate} tx/s (${reached}), errors ${sum((x) => x.errors)}, ` +
        `retries ${sum((x) => x.retries)}, dropped ${sum((x) => x.dropped)}${r.result.partial ? ' [PARTIAL]' : ''}${warmupSuffix(r.result)}` +
        (capacity !== undefined && !r.result.reachedTarget ? `; the server completed ${capacity.toFixed(0)} tx/s of any age during the window` : ''),
    );
  }
  const migrated = cmp.runs.filter((r) => r.migration);
  if (migrated.length) {
    out.push('', '## Migration (clone + steps + ANALYZE)', '');
    out.push('| variant | clone s | steps s | analyze s | total s | indexes built (concurrently) | index MB |', '|---|---|---|---|---|---|---|');
    for (const r of migrated) {
      const m = r.migration!;
      const steps = m.steps.reduce((a, x) => a + x.ms, 0);
      const conc = m.indexes.filter((i) => i.concurrently).length;
      // Per-partition indexes are counted in their parent's size: skip them here.
      const mb = m.indexes.filter((i) => !/_(\d{4}_\d{2}|default|active|completed)$/.test(i.index)).reduce((a, i) => a + i.sizeBytes, 0) / 2 ** 20;
      out.push(`| ${r.variant} | ${(m.cloneMs / 1000).toFixed(1)} | ${(steps / 1000).toFixed(1)} | ${(m.analyzeMs / 1000).toFixed(1)} | ${(m.totalMs / 1000).toFixed(1)} | ${m.indexes.length} (${conc}) | ${mb.toFixed(1)} |`);
    }
  }
  const stale = cmp.runs.flatMap((r) => r.staleness.map((s) => ({ variant: r.variant, s })));
  if (stale.length) {
    out.push('', '## Materialized view staleness under the write load', '');
    for (const { variant, s } of stale) {
      out.push(
        `- ${variant} / ${s.view}: ${s.refreshes} refreshes, refresh ${s.refreshMs.mean.toFixed(0)} ms mean / ${s.refreshMs.max.toFixed(0)} ms max; ` +
          `worst age of an unreflected posting ${s.maxUnreflectedAgeMs.p95.toFixed(0)} ms p95 / ${s.maxUnreflectedAgeMs.max.toFixed(0)} ms max`,
      );
    }
  }
  return out.join('\n') + '\n';
}
