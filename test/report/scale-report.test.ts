/** The scale reports, pure functions of scale.json: tables, labels, verdict, JUnit counts, and the HTML chart drawn in chromium. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScaleFile, SCALE_KIND } from '../../src/result/scale-schema.js';
import { scaleFixture } from '../helpers/scale-fixture.js';
import { renderScaleMarkdown } from '../../src/report/scale-markdown.js';
import { renderScaleJson } from '../../src/report/scale-json.js';
import { renderScaleJunit } from '../../src/report/scale-junit.js';
import { renderScaleHtml, scaleCharts } from '../../src/report/scale-html.js';
import { chartCounts, chromiumSkip, headless } from '../helpers/chromium.js';
import { tempDir } from '../helpers/temp-dir.js';

test('scale.json: the fixture is valid, and a foreign file is refused with where and what', () => {
  assert.equal(parseScaleFile(JSON.parse(JSON.stringify(scaleFixture()))).ok, true);
  const bad = parseScaleFile({ kind: SCALE_KIND, scaleVersion: 1, sizes: 'x' });
  assert.equal(bad.ok, false);
  assert.ok(!bad.ok && bad.problems.some((p) => p.startsWith('sizes:')), JSON.stringify(bad));
});

test('markdown: a table per query (size x variant p95, exponent with its interval and class, the estimate labelled), the budget verdict', () => {
  const md = renderScaleMarkdown(scaleFixture());
  assert.match(md, /### balance-history\n/);
  assert.match(md, /\| variant \| tiny \(5,000\) \| small \(100,000\) \| medium \(1,000,000\) \| growth exponent \[95% CI\], class \| p95 at 50,000,000 entries \(model estimate, 95% PI\) \|/);
  // Exactly linear: slope 1.00 with a collapsed interval; at 50M entries 50,000 ms.
  assert.match(md, /\| baseline \| 5\.00 \[[\d.]+, [\d.]+\] \| 100 \[[\d.]+, [\d.]+\] \| 1000 \[[\d.]+, [\d.]+\] \| 1\.00 \[1\.00, 1\.00\], linear \| ~50000 \[50000, 50000\] \(model estimate\) \|/);
  assert.match(md, /\| baseline \| 1\.50 \[[\d.]+, [\d.]+\] \| 1\.50 \[[\d.]+, [\d.]+\] \| 1\.50 \[[\d.]+, [\d.]+\] \| 0\.00 \[0\.00, 0\.00\], flat \|/);
  assert.match(md, /\| optimized \| [\d.]+ \[[\d.]+, [\d.]+\] \| [\d.]+ \[[\d.]+, [\d.]+\] \| [\d.]+ \[[\d.]+, [\d.]+\] \| 0\.30 \[0\.30, 0\.30\], logarithmic-ish \|/);
  assert.match(md, /\| small \| 100,000 \| 10,000 \| lb_small_baseline \| reused \|/);
  // optimized's history at medium: 0.2 * 1e6^0.3 = 12.6 ms [11.4, 13.9], under 50: met on all 6 judged points.
  assert.match(md, /p95 under 50 ms on every measured point of optimized: met \(6 pass, 0 fail, 0 inconclusive\)/);
  assert.match(md, /is a \*\*model estimate\*\*, not a measurement/);
  assert.match(md, /flat b < 0\.15, logarithmic-ish 0\.15 <= b < 0\.5, linear 0\.5 <= b <= 1\.2, worse b > 1\.2/);
});

test('two sizes (a partial job): no interval, said so; the budget is not judged', () => {
  const f = scaleFixture(true);
  const md = renderScaleMarkdown(f);
  assert.match(md, /Status: \*\*PARTIAL\*\* \(interrupted\)/);
  assert.match(md, /\| baseline \| 5\.00 \[[\d.]+, [\d.]+\] \| 100 \[[\d.]+, [\d.]+\] \| - \| 1\.00 \(no interval: 2 sizes\), linear \| ~50000 \(model estimate, no interval: 2 sizes\) \|/);
  assert.match(md, /not judged \(the job is partial/);
  const junit = renderScaleJunit(f);
  assert.match(junit, /<testsuites name="ledger-bench scale" tests="12" failures="0" skipped="12"/);
});

test('json and junit: the verdict per measured point, estimates reported and never judged', () => {
  const f = scaleFixture();
  // A judged point over budget fails; the baseline's (unjudged) stays a skipped report.
  f.points = f.points.map((p) => (p.variant === 'optimized' && p.scenario === 'balance-history' && p.scale === 'medium' ? { ...p, p95Ms: 75, p95Ci: { low: 60, high: 90 } } : p));
  // One whose interval straddles the budget: inconclusive (a failure under the strict default), never a pass.
  f.points = f.points.map((p) => (p.variant === 'optimized' && p.scenario === 'balance-history' && p.scale === 'small' ? { ...p, p95Ms: 45, p95Ci: { low: 40, high: 55 } } : p));
  const json = JSON.parse(renderScaleJson(f));
  assert.equal(json.budget.passed, false);
  assert.deepEqual(json.budget.failed, [{ scale: 'medium', variant: 'optimized', scenario: 'balance-history', p95Ms: 75 }]);
  assert.deepEqual(json.budget.inconclusive, [{ scale: 'small', variant: 'optimized', scenario: 'balance-history', p95Ms: 45 }]);
  assert.deepEqual(json.budget.counts, { pass: 4, fail: 1, inconclusive: 1 });
  const hist = json.queries.find((q: { scenario: string }) => q.scenario === 'balance-history').variants[0];
  assert.deepEqual(hist.p95Ms, { tiny: 5, small: 100, medium: 1000 });
  assert.equal(hist.growth.class, 'linear');
  assert.equal(hist.estimate.kind, 'model estimate');
  const junit = renderScaleJunit(f);
  // 2 variants x 2 queries x (3 sizes + 1 growth case) = 16 cases; 6 judged on optimized (1 fails, 1 inconclusive); the rest skipped.
  assert.match(junit, /<testsuites name="ledger-bench scale" tests="16" failures="2" skipped="10"/);
  assert.match(junit, /name="balance-history at medium p\(95\)&lt;50"[^]*?<failure message="p\(95\)&lt;50 failed: measured p95 75.0 \[60.0, 90.0\] ms"/);
  assert.match(junit, /name="balance-history at small p\(95\)&lt;50"[^]*?<failure message="p\(95\)&lt;50 inconclusive[^"]*45.0 \[40.0, 55.0\] ms" type="inconclusive"/);
  assert.match(junit, /name="balance-history growth"[^]*?reported, not judged: exponent 1\.00 \[1\.00, 1\.00\], linear; p95 at 50000000 entries ~50000/);
});

test('html: a log-log chart per query, one line per variant, its fit dashed out to the estimate, the budget a line; it draws offline in chromium', (t) => {
  const f = scaleFixture();
  const charts = scaleCharts(f);
  assert.equal(charts.charts.length, 2);
  const hist = charts.charts[1]!;
  assert.equal(hist.logX && hist.logY, true);
  assert.deepEqual(hist.data[0], [5000, 100_000, 1_000_000, 50_000_000]);
  assert.deepEqual(hist.series.map((s) => s.label), ['baseline', 'baseline: fit and model estimate', 'optimized', 'optimized: fit and model estimate', 'budget 50 ms']);
  assert.deepEqual(hist.data[1], [5, 100, 1000, null]);
  // The fitted line: p95 = entries / 1000 exactly, out to the estimate at 50M.
  assert.deepEqual(hist.data[2]!.map((x) => Math.round(x!)), [5, 100, 1000, 50_000]);
  assert.deepEqual(hist.data[5], [50, 50, 50, 50]);
  const html = renderScaleHtml(f);
  assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href=/);
  if (chromiumSkip) return t.skip(chromiumSkip);
  const file = join(tempDir('scale-report'), 'report.html');
  writeFileSync(file, html);
  assert.deepEqual(chartCounts(headless(file)), { expected: 2, drawn: 2, inked: 2 });
});
