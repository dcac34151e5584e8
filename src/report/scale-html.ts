/**
 * The scale report as one self-contained HTML page that opens offline (pure function
 * of scale.json): the Markdown report, and per query a chart of p95 against entries,
 * both axes logarithmic (a power law is a straight line; its slope is the growth
 * exponent), one line per variant, the budget as a horizontal line, and with
 * --production-entries a dashed line from the largest size measured to the estimate
 * (labelled a model estimate).
 */
import type { ScaleFile } from '../result/scale-schema.js';
import type { HtmlCharts, SeriesChart } from './html-data.js';
import { htmlPage } from './html.js';
import { pointAt } from './scale-rows.js';
import { renderScaleMarkdown } from './scale-markdown.js';

/** Colour of the budget line (no variant uses it). */
const BUDGET_COLOR = '#444444';

/** The charts: one per query. */
export function scaleCharts(f: ScaleFile): HtmlCharts {
  const measured = [...new Set(f.sizes.map((s) => s.entries))].sort((a, b) => a - b);
  const xs = f.productionEntries && !measured.includes(f.productionEntries) ? [...measured, f.productionEntries].sort((a, b) => a - b) : measured;
  const charts = f.scenarios.map((scenario): SeriesChart => {
    const series: SeriesChart['series'] = [];
    const data: SeriesChart['data'] = [xs];
    for (const variant of f.variants) {
      const byEntries = new Map(f.sizes.map((s) => [s.entries, pointAt(f, s.label, variant, scenario)?.p95Ms ?? null]));
      series.push({ label: variant, variant });
      data.push(xs.map((x) => byEntries.get(x) ?? null));
      const est = f.fits.find((x) => x.variant === variant && x.scenario === scenario)?.production;
      const last = [...measured].reverse().find((x) => (byEntries.get(x) ?? null) !== null);
      if (est && last !== undefined) {
        series.push({ label: `${variant}: model estimate`, variant, dash: true, spanGaps: true });
        data.push(xs.map((x) => (x === est.entries ? est.p95Ms : x === last ? byEntries.get(x)! : null)));
      }
    }
    series.push({ label: `budget ${f.budgetMs} ms`, variant: 'budget', color: BUDGET_COLOR, dash: true });
    data.push(xs.map(() => f.budgetMs));
    return { title: `${scenario}: p95 against entries (log-log)`, xLabel: 'journal entries', yLabel: 'p95 (ms)', xKind: 'entries', logX: true, logY: true, series, data };
  });
  return { variants: [...f.variants], charts };
}

/** Renders the page. */
export function renderScaleHtml(f: ScaleFile): string {
  return htmlPage(renderScaleMarkdown(f), scaleCharts(f));
}
