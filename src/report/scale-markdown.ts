/**
 * The scale report in Markdown (pure function of scale.json): the answer first (the
 * budget verdict on the measured points, each query's growth and estimate), then the
 * sizes and what each cost, one table per query (size x variant p95, the growth exponent with its interval
 * and class, the extrapolated p95 labelled a model estimate), and how to read the figures.
 */
import type { ScaleFile } from '../result/scale-schema.js';
import { estimateText, fitOf, growthText, pointAt, pointText, scaleVerdict, type ScaleCheck } from './scale-rows.js';

const int = (n: number) => n.toLocaleString('en-US');
const sec = (x: number | null | undefined) => (x === null || x === undefined ? '-' : `${x.toFixed(1)} s`);

/** The status line: complete, or partial and why. */
export function scaleStatus(f: ScaleFile): string {
  return f.partial ? `**PARTIAL** (${f.partialReason ?? 'incomplete'}): the figures below are what was measured before it stopped` : 'complete';
}

/** One table per query: rows are variants, columns the sizes, then the growth and the estimate. */
export function scaleQueryTables(f: ScaleFile): string[] {
  const est = f.productionEntries ? [`p95 at ${int(f.productionEntries)} entries (model estimate, 95% PI)`] : [];
  const head = ['variant', ...f.sizes.map((s) => `${s.label} (${int(s.entries)})`), `growth exponent [95% CI], class`, ...est];
  return f.scenarios.flatMap((scenario) => [
    `### ${scenario}`,
    '',
    `p95 (ms) of the query alone, by entries:`,
    '',
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...f.variants.map((v) => {
      const fit = fitOf(f, v, scenario);
      const cells = [v, ...f.sizes.map((s) => pointText(pointAt(f, s.label, v, scenario))), growthText(fit), ...(f.productionEntries ? [estimateText(fit)] : [])];
      return `| ${cells.join(' | ')} |`;
    }),
    '',
  ]);
}

/** Renders the report. */
export function renderScaleMarkdown(f: ScaleFile): string {
  const v = scaleVerdict(f);
  const iso = f.isolation;
  const lines = [
    '# ledger-bench scale: how each query grows with the data',
    '',
    `Status: ${scaleStatus(f)}. Started ${f.startedAt}. Each query ran alone at ${iso.rate}/s (halved where it did not hold) for ${iso.durationSec} s after ${iso.warmupSec} s warm-up, on ${f.variants.join(', ')}.`,
    '',
    // The answer first: the budget verdict, then how each query grows (and where it lands at production size).
    '## The answer',
    '',
    ...budgetLines(f, v),
    '',
    ...growthAnswer(f),
    '## Sizes',
    '',
    '| size | entries | accounts | baseline | seeded in | variants built in | size total |',
    '|---|---|---|---|---|---|---|',
    ...f.sizes.map((s) => {
      const built = Object.entries(s.buildSec).map(([name, x]) => `${name} ${sec(x)}`).join(', ') || '-';
      return `| ${s.label} | ${int(s.entries)} | ${int(s.accounts)} | ${s.baselineDatabase} | ${s.reused ? 'reused' : sec(s.seedSec)} | ${built} | ${sec(s.totalSec)} |`;
    }),
    '',
    '## p95 by size, growth, and estimate',
    '',
    ...scaleQueryTables(f),
    '## How to read it',
    '',
    ...howToRead(f),
    '',
  ];
  return lines.join('\n');
}

/** Per query, each variant's growth exponent and class (and its model estimate at --production-entries). */
function growthAnswer(f: ScaleFile): string[] {
  if (!f.scenarios.length) return [];
  const at = f.productionEntries ? `, and its p95 (ms) at ${int(f.productionEntries)} entries (a model estimate from the fit, not a measurement)` : '';
  return [
    `How each query's p95 grows with the data (exponent b, p95 ~ entries^b, with its 95% interval and class)${at}:`,
    '',
    ...f.scenarios.map((scenario) => `- ${scenario}: ${f.variants.map((v) => {
      const fit = fitOf(f, v, scenario);
      return `${v} ${growthText(fit)}${f.productionEntries ? `; ${estimateText(fit)}` : ''}`;
    }).join('; ')}`),
    '',
  ];
}

function budgetLines(f: ScaleFile, v: ReturnType<typeof scaleVerdict>): string[] {
  const what = `p95 under ${f.budgetMs} ms on every measured point of ${f.budgetVariants.join(', ') || 'no variant'}`;
  if (!v.judged) return [`${what}: not judged (the job is partial; budgets are judged on complete jobs only).`];
  if (f.budgetVariants.length === 0) return [`${what}: no variant judged.`];
  const counts = `${v.checks.length - v.failed.length - v.inconclusive.length} pass, ${v.failed.length} fail, ${v.inconclusive.length} inconclusive`;
  if (v.failed.length === 0 && v.inconclusive.length === 0) return [`${what}: met (${counts}).`];
  const word = (c: ScaleCheck) => (c.verdict === 'fail' ? '**FAIL**' : 'inconclusive');
  return [`${what}: **${v.failed.length ? 'failed' : 'not decided'}** (${counts}):`, '', ...[...v.failed, ...v.inconclusive].map((c) => `- ${word(c)} ${c.point.variant} / ${c.point.scenario} at ${c.point.scale}: ${pointText(c.point)} ms`)];
}

/** The reading notes: classes and their thresholds, the intervals, the estimate's nature. */
export function howToRead(f: ScaleFile): string[] {
  const t = f.thresholds;
  const pct = Math.round(f.confidence * 100);
  return [
    `- The growth exponent b is the slope of a least-squares line through (log entries, log p95): p95 grows like entries^b. ` +
      `Classes: flat b < ${t.flatBelow}, logarithmic-ish ${t.flatBelow} <= b < ${t.logarithmicBelow}, linear ${t.logarithmicBelow} <= b <= ${t.linearUpTo}, worse b > ${t.linearUpTo}.`,
    `- [low, high] after the exponent is its ${pct}% t-interval (n - 2 degrees of freedom). With two sizes a line fits them exactly and there is no interval; with three, t has one degree of freedom (12.7) and the interval is wide: more sizes narrow it.`,
    `- A point "not held" ran below its offered rate even after halving it: its p95 includes queueing, an upper bound on the query's own.`,
    ...(f.productionEntries
      ? [`- The p95 at ${int(f.productionEntries)} entries is a **model estimate**, not a measurement: the fitted power law carried beyond the sizes measured, with its ${pct}% prediction interval. It assumes the growth stays the same shape (the plan does not change, the data keeps the seeded proportions).`]
      : []),
  ];
}
