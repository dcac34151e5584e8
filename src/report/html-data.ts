/**
 * The numbers the HTML report charts, computed from result JSON (pure): latency
 * percentile curves decoded from each scenario's HDR histogram, per-second series from
 * the timelines (aligned on seconds since each run's start), migration times and
 * capacity. Timeline fields other engines versions add (offered, achieved, p50Ms,
 * p99Ms) are read when present.
 */
import { decodeHistogram } from '../stats/histogram.js';
import { capacityOf } from './markdown.js';
import { capacityCurveChart } from './capacity-curve.js';
import { scenarioNames, type ReportData } from './model.js';
import type { HtmlCharts, SeriesChart } from './chart-types.js';

/** Percentile levels of the curves, as "nines" x = -log10(1 - q): 0 (p0) to 4 (p99.99), 10 points per nine. */
export const CURVE_NINES: readonly number[] = Array.from({ length: 41 }, (_, k) => k / 10);

export type { HtmlCharts, SeriesChart } from './chart-types.js';

function curve(encoded: string): Array<number | null> {
  const h = decodeHistogram(encoded);
  try {
    if (h.totalCount === 0) return CURVE_NINES.map(() => null);
    return CURVE_NINES.map((x) => h.getValueAtPercentile(100 * (1 - 10 ** -x)) / 1000);
  } finally {
    h.destroy();
  }
}

type Point = NonNullable<ReportData['runs'][number]['result']['timeline']>[number] & Record<string, unknown>;

/** Per-second series of every run (x = seconds since the run started), one column per run. */
function timeSeries(data: ReportData, pick: (p: Point) => number | undefined): { x: number[]; cols: Array<Array<number | null>> } {
  const xs = [...new Set(data.runs.flatMap((r) => (r.result.timeline ?? []).map((p) => p.t)))].sort((a, b) => a - b);
  const cols = data.runs.map((r) => {
    const byT = new Map((r.result.timeline ?? []).map((p) => [p.t, pick(p as Point)]));
    return xs.map((t) => {
      const v = byT.get(t);
      return typeof v === 'number' && Number.isFinite(v) ? v : null;
    });
  });
  return { x: xs, cols };
}

const num = (v: unknown) => (typeof v === 'number' ? v : undefined);

/** Builds every chart of the report. */
export function buildCharts(data: ReportData): HtmlCharts {
  const variants = data.runs.map((r) => r.variant);
  const charts: SeriesChart[] = [];
  for (const name of scenarioNames(data)) {
    const runs = data.runs.filter((r) => r.result.scenarios.some((s) => s.name === name && s.count > 0));
    if (!runs.length) continue;
    charts.push({
      title: `${name}: latency by percentile`,
      xLabel: 'percentile',
      yLabel: 'ms (log)',
      xKind: 'nines',
      logY: true,
      series: runs.map((r) => ({ label: r.variant, variant: r.variant })),
      data: [[...CURVE_NINES], ...runs.map((r) => curve(r.result.scenarios.find((s) => s.name === name)!.histogram))],
    });
  }
  if (data.runs.some((r) => r.result.timeline?.length)) {
    const each = (label: string, pick: (p: Point) => number | undefined) => {
      const t = timeSeries(data, pick);
      return { series: data.runs.map((r) => ({ label: `${r.variant} ${label}`, variant: r.variant })), cols: t.cols, x: t.x };
    };
    const p95 = each('p95', (p) => (p.completed > 0 ? p.p95Ms : undefined));
    charts.push({ title: 'p95 latency over time (per second, warm-up included)', xLabel: 's', yLabel: 'ms', xKind: 'seconds', series: p95.series, data: [p95.x, ...p95.cols] });
    const thr = each('completed/s', (p) => num(p.achieved) ?? p.completed);
    charts.push({ title: 'throughput over time (completions per second)', xLabel: 's', yLabel: 'tx/s', xKind: 'seconds', series: thr.series, data: [thr.x, ...thr.cols] });
    const err = each('errors', (p) => p.errors);
    const drop = each('dropped', (p) => p.dropped);
    charts.push({
      title: 'errors and drops over time (per second)',
      xLabel: 's',
      yLabel: 'tx',
      xKind: 'seconds',
      series: [...err.series, ...drop.series],
      data: [err.x, ...err.cols, ...drop.cols],
    });
  }
  const capacity = data.runs.map((r) => ({ r, c: capacityOf(r) })).filter((x) => x.c);
  if (capacity.length) {
    const fields = [...new Set(capacity.flatMap((x) => Object.keys(x.c!)))];
    charts.push({
      title: 'capacity per variant',
      xLabel: 'variant',
      yLabel: 'value',
      xKind: 'category',
      bars: true,
      categories: capacity.map((x) => x.r.variant),
      series: fields.map((f) => ({ label: f, variant: f })),
      data: [capacity.map((_, i) => i), ...fields.map((f) => capacity.map((x) => x.c![f] ?? null))],
    });
  }
  const rateCurve = capacityCurveChart(data.capacity ?? []);
  if (rateCurve) charts.push(rateCurve);
  const migrated = data.runs.filter((r) => r.migration);
  if (migrated.length) {
    const s = (f: (m: NonNullable<(typeof migrated)[number]['migration']>) => number) => migrated.map((r) => f(r.migration!) / 1000);
    charts.push({
      title: 'migration time per variant',
      xLabel: 'variant',
      yLabel: 's',
      xKind: 'category',
      bars: true,
      categories: migrated.map((r) => r.variant),
      series: [
        { label: 'clone', variant: 'clone' },
        { label: 'steps', variant: 'steps' },
        { label: 'analyze', variant: 'analyze' },
      ],
      data: [migrated.map((_, i) => i), s((m) => m.cloneMs), s((m) => m.steps.reduce((a, x) => a + x.ms, 0)), s((m) => m.analyzeMs)],
    });
  }
  return { variants, charts };
}
