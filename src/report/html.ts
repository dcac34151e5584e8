/**
 * The HTML report: one self-contained file that opens offline. uPlot (MIT, from
 * node_modules) is inlined with its CSS, the data is embedded as JSON, and the page
 * holds the whole Markdown report as HTML, the answer first (the verdict block), with a
 * short table of contents (in-page links only), then the tables, then the charts, then
 * the server evidence. Charts: latency percentile curves
 * per scenario (before vs after), p95 and throughput over time, errors and drops over
 * time, capacity per variant (when results carry it) and migration times.
 * Pure function of the report data (the library is read from disk once).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { CLIENT_SCRIPT } from './html-client.js';
import { buildCharts, type HtmlCharts } from './html-data.js';
import { markdownToHtml } from './markdown-html.js';
import { renderMarkdown } from './markdown.js';
import type { ReportData } from './model.js';

let uplot: { js: string; css: string } | undefined;

/** uPlot's browser build and stylesheet, read from node_modules. */
function uplotAssets(): { js: string; css: string } {
  if (!uplot) {
    const require = createRequire(import.meta.url);
    uplot = {
      js: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
      css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
    };
  }
  return uplot;
}

/** JSON safe inside a <script> element. */
function scriptJson(x: unknown): string {
  return JSON.stringify(x).replace(/</g, '\\u003c');
}

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px; color: #1b1b1b; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; } h3 { font-size: 14px; margin: 18px 0 4px; }
table { border-collapse: collapse; margin: 6px 0 12px; font-size: 13px; }
th, td { border: 1px solid #d0d0d0; padding: 3px 8px; text-align: left; vertical-align: top; }
pre { background: #f6f6f6; padding: 6px 8px; overflow-x: auto; font-size: 12px; }
th { background: #f3f3f3; } code { background: #f3f3f3; padding: 0 3px; border-radius: 3px; }
#charts { display: flex; flex-wrap: wrap; gap: 4px 24px; }
.chart h3 { margin-top: 10px; }
.fail { color: #b00020; font-weight: 600; }
#toc ul { margin: 8px 0; padding-left: 18px; columns: 2; font-size: 13px; }
`;

/** Renders the report page. */
export function renderHtml(data: ReportData): string {
  return htmlPage(renderMarkdown(data), buildCharts(data));
}

/**
 * A self-contained page: the Markdown as HTML, the charts (drawn by uPlot, inlined)
 * after its first paragraph. Shared by the report and the scale report.
 */
export function htmlPage(md: string, charts: HtmlCharts): string {
  const { js, css } = uplotAssets();
  const [title, ...rest] = markdownToHtml(md).split('\n');
  // Charts after the tables, before the evidence (or at the end without any).
  let at = rest.findIndex((l) => l.startsWith('<h2 id="server-evidence'));
  if (at < 0) at = rest.length;
  const body = [...rest.slice(0, at), '<h2 id="charts-section">Charts</h2>', '<div id="charts"></div>', ...rest.slice(at)];
  const toc = body.flatMap((l) => {
    const m = /^<h2 id="([^"]+)">(.*)<\/h2>$/.exec(l);
    return m ? [`<li><a href="#${m[1]}">${m[2]}</a></li>`] : [];
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>ledger-bench report</title>
<style>${css}</style><style>${STYLE}</style>
</head><body>
${title}
${body[0] ?? ''}
<nav id="toc"><ul>${toc.join('')}</ul></nav>
${body.slice(1).join('\n')}
<script id="report-data" type="application/json">${scriptJson(charts)}</script>
<script>${js}</script>
<script>${CLIENT_SCRIPT}</script>
</body></html>
`;
}
