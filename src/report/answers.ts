/**
 * The lines `bench` ends with, the ones a user acts on (pure, from the report data):
 * first the verdict block (src/report/verdict-block.ts: does the claim hold, per
 * variant, and the capacities), then per variant the max TPS within budget (or the lowest rate probed and what failed
 * there), the steady p95 side by side at a rate every variant held (else, labelled, at
 * the highest rate every variant sustained; else a line saying there is none), and each
 * claimed query alone, before beside after (p95 with its 95% interval, and the
 * improvement with the ratio's interval).
 */
import { capacityText, formatCommonRate } from './capacity-rows.js';
import { type ReportData } from './model.js';
import { fmtPercentile, improvementOf } from './interval-format.js';
import { verdictBlock } from './verdict-block.js';
import { capacityHeadline, type HeadlineCapacity } from './capacity-headline.js';
import { floorBoundLines } from './capacity-floor-rows.js';
import type { FloorInfo } from './capacity-figures.js';

/** The answers, as Markdown (readable as plain text). */
export function benchAnswers(data: ReportData): string {
  const out = ['## The answers', '', ...verdictBlock(data, { heading: false, capacity: false })];
  const cap = data.capacity ?? [];
  if (cap.length) {
    // Floor-bound queries first (over budget at any rate, with their plan), then the capacities in words.
    const floors = cap.flatMap((c) => (c as unknown as { floors?: FloorInfo[] }).floors ?? []);
    const unique = floors.filter((f, i) => floors.findIndex((g) => g.variant === f.variant && g.scenario === f.scenario) === i);
    out.push(...floorBoundLines(unique));
    const words = capacityHeadline(cap as unknown as HeadlineCapacity[], data.isolation);
    if (words) out.push(`Capacity: ${words}.`, '');
    const w = Math.max(...cap.map((c) => c.variant.length));
    out.push(`Max TPS within budget (the whole mix; ${cap[0]!.budgets.join(', ')}):`, '');
    for (const c of cap) out.push(`- ${c.variant.padEnd(w)}  ${capacityText(c)}`);
    out.push('', formatCommonRate(cap), '');
  } else out.push('No capacity search (--bench-probes 0): no max TPS within budget.', '');
  const iso = data.isolation;
  if (iso?.runs.length) {
    const variants = [...new Set(iso.runs.map((r) => r.variant))];
    const scenarios = [...new Set(iso.runs.map((r) => r.scenario))];
    out.push(`p95 (ms) of each query alone @ the rate it ran at (from ${iso.rate}/s, halved while not held; ${iso.durationSec} s each; "not held": even the lowest rate tried fell behind, the figure is queueing):`, '');
    const base = variants.includes('baseline') ? 'baseline' : undefined;
    const afters = variants.filter((v) => v !== base);
    const alone = (v: string, name: string) => {
      const r = iso.runs.find((x) => x.variant === v && x.scenario === name);
      return { r, s: r?.result.scenarios.find((x) => x.name === name) };
    };
    const gain = base ? afters.map((v) => `${base} -> ${v}`) : [];
    out.push(`| scenario | ${[...variants.map((v) => `${v} p95`), ...gain].join(' | ')} |`, `|---|${[...variants, ...gain].map(() => '---|').join('')}`);
    for (const name of scenarios) {
      const cells = variants.map((v) => {
        const { r, s } = alone(v, name);
        if (!r) return '-';
        return `${fmtPercentile(s, 'p95')} @ ${r.result.target.rate}/s${r.held ? '' : ' (not held)'}`;
      });
      const gains = base ? afters.map((v) => improvementOf(alone(base, name).s, alone(v, name).s).text) : [];
      out.push(`| ${name} | ${[...cells, ...gains].join(' | ')} |`);
    }
    out.push('');
  } else out.push('No isolation step (--isolate-sec 0): no per-query p95 alone.', '');
  return out.join('\n');
}
