/**
 * The latency-throughput curve of the HTML report (pure): per variant, the whole mix's
 * p95 against the offered rate of each capacity probe, with its interval drawn as a band
 * (the lower and upper bounds as thin lines, the space between filled). One line per
 * variant; probes of different variants sit at different rates, so lines span the gaps.
 */
import type { CurvePoint } from './capacity-figures.js';
import type { SeriesChart } from './chart-types.js';

/** The chart, or undefined when no capacity search recorded a curve. */
export function capacityCurveChart(capacity: ReadonlyArray<{ variant: string; curve?: CurvePoint[] }>): SeriesChart | undefined {
  const withCurve = capacity.filter((c) => c.curve?.length);
  if (!withCurve.length) return undefined;
  const xs = [...new Set(withCurve.flatMap((c) => c.curve!.map((p) => p.rate)))].sort((a, b) => a - b);
  const series: SeriesChart['series'] = [];
  const cols: Array<Array<number | null>> = [];
  const bands: Array<[number, number]> = [];
  for (const c of withCurve) {
    const at = (pick: (p: CurvePoint) => number | null) => xs.map((x) => {
      const p = c.curve!.find((q) => q.rate === x);
      return p ? pick(p) : null;
    });
    // Series indexes in uPlot count the x column as 0.
    const first = series.length + 1;
    series.push({ label: `${c.variant} p95`, variant: c.variant }, { label: `${c.variant} lower`, variant: c.variant }, { label: `${c.variant} upper`, variant: c.variant });
    // An interval unbounded above (hi null: above the largest sample) is drawn up to the p95 itself.
    cols.push(at((p) => p.p95.value), at((p) => p.p95.lo ?? p.p95.value), at((p) => p.p95.hi ?? p.p95.value));
    bands.push([first + 2, first + 1]);
  }
  return {
    title: 'latency-throughput curve: the mix\'s p95 (band: its interval) against the offered rate',
    xLabel: 'offered tx/s',
    yLabel: 'p95 ms (log)',
    xKind: 'rate',
    logY: true,
    spanGaps: true,
    points: true,
    bands,
    series,
    data: [xs, ...cols],
  };
}
