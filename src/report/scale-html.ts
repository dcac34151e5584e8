/**
 * The scale report as one self-contained HTML page that opens offline (pure function
 * of scale.json): the Markdown report, and per query a chart of p95 against entries,
 * both axes logarithmic (a power law is a straight line; its slope is the growth
 * exponent), one line per variant through its measured points, its fitted line dashed
 * (reaching the production size with --production-entries: a model estimate), and the
 * budget as a horizontal line.
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
      // The fitted line itself (dashed), across the sizes measured and out to the production size: not a measurement.
      const fit = f.fits.find((x) => x.variant === variant && x.scenario === scenario);
      if (fit && fit.slope !== null && fit.intercept !== null) {
        const { slope, intercept } = fit;
        series.push({ label: `${variant}: fit${fit.production ? ' and model estimate' : ''}`, variant, dash: true, spanGaps: true });
        data.push(xs.map((x) => Math.exp(intercept + slope * Math.log(x))));
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
