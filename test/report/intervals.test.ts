/**
 * The interval text every report prints, the ratio interval and the verdict block (pure,
 * exact): `51.0 [38.2, 66.9]`, never a bare percentile; ratios on the log scale with the
 * two sides' half-widths in quadrature; "no significant difference" when the ratio's
 * interval contains 1; the verdict block naming what failed or was not decided.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ratioInterval, ratioSignificant } from '../../src/stats/ratio-ci.js';
import { fmtEstimate, improvement } from '../../src/stats/interval-format.js';
import { fmtPercentile, scenarioCi } from '../../src/report/interval-format.js';
import { verdictBlock } from '../../src/report/verdict-block.js';
import { claimStanding } from '../../src/report/claims.js';
import { renderHtml } from '../../src/report/html.js';
import { parseBudgetSpec } from '../../src/config/budget-grammar.js';
import type { ReportData } from '../../src/report/model.js';
import { result, scenario } from '../helpers/result-fixture.js';

const close = (a: number | null, b: number, what: string) => assert.ok(a !== null && Math.abs(a - b) < 1e-12, `${what}: ${a} != ${b}`);

test('ratio interval: exact values of the log-scale formula, reciprocal, unbounded and missing sides', () => {
  // Symmetric on the log scale: each side +/- ln 1.25, so the ratio's half-width is sqrt(2) ln 1.25.
  const a = { value: 100, lo: 80, hi: 125 };
  const b = { value: 50, lo: 40, hi: 62.5 };
  const ri = ratioInterval(a, b)!;
  close(ri.ratio, 2, 'ratio');
  close(ri.lo, 2 * 1.25 ** -Math.SQRT2, 'lo');
  close(ri.hi, 2 * 1.25 ** Math.SQRT2, 'hi');
  // Asymmetric: lower = r exp(-sqrt(ln(a/a_lo)^2 + ln(b_hi/b)^2)), upper = r exp(sqrt(ln(a_hi/a)^2 + ln(b/b_lo)^2)).
  const c = ratioInterval({ value: 60, lo: 50, hi: 90 }, { value: 30, lo: 20, hi: 40 })!;
  close(c.lo, 2 * Math.exp(-Math.hypot(Math.log(1.2), Math.log(4 / 3))), 'asymmetric lo');
  close(c.hi, 2 * 1.5 ** Math.SQRT2, 'asymmetric hi');
  // b / a is the reciprocal interval.
  const back = ratioInterval(b, a)!;
  close(back.lo, 1 / ri.hi!, 'reciprocal lo');
  close(back.hi, 1 / ri.lo, 'reciprocal hi');
  // An upper bound above the largest sample leaves the ratio unbounded on that side; no interval, no ratio interval.
  assert.equal(ratioInterval({ value: 100, lo: 80, hi: null }, b)!.hi, null);
  assert.equal(ratioInterval(a, { value: 50, lo: 40, hi: null })!.lo, 0);
  assert.equal(ratioInterval({ value: 100, lo: null, hi: null }, b), null);
  assert.equal(ratioSignificant(ri), true);
  assert.equal(ratioSignificant({ ratio: 1.3, lo: 0.8, hi: 2.1 }), false);
});

test('improvement words: faster / slower with the interval, "no significant difference" when it contains 1, no interval said', () => {
  assert.equal(improvement({ value: 100, lo: 80, hi: 125 }, { value: 50, lo: 40, hi: 62.5 }).text, '2.0x faster [1.5, 2.7]');
  assert.equal(improvement({ value: 50, lo: 40, hi: 62.5 }, { value: 100, lo: 80, hi: 125 }).text, '2.0x slower [1.5, 2.7]');
  // Issue 17's case: 42.0 vs 54.9, intervals overlapping widely: not "1.3x slower".
  const same = improvement({ value: 42, lo: 35, hi: 57 }, { value: 54.9, lo: 38, hi: 66 });
  assert.equal(same.significant, false);
  assert.equal(same.text, 'no significant difference (0.77x [0.59, 1.2])');
  assert.equal(improvement({ value: 42, lo: null, hi: null }, { value: 21, lo: 20, hi: 22 }).text, '2.0x faster (no interval)');
  assert.equal(improvement(null, { value: 21, lo: 20, hi: 22 }).text, '-');
  // A saturated run's p95 open above (bench on 2 cores, 1,000 TPS): 3246 [3181, >max] vs 164 [49.8, >max].
  // Its ratio reaches 1 only through the open side: not decided, never "no significant difference".
  const open = improvement({ value: 3246, lo: 3181, hi: null }, { value: 164, lo: 49.8, hi: null });
  assert.equal(open.significant, null);
  assert.equal(open.text, '19.8x faster, not decided (open interval [0.00, ∞])');
});

test('a percentile is never printed bare: interval, too few samples, no interval, >max', () => {
  assert.equal(fmtEstimate(51, { lo: 38.2, hi: 66.9 }, 400), '51.0 [38.2, 66.9]');
  assert.equal(fmtEstimate(51, { lo: 38.2, hi: null }, 400), '51.0 [38.2, >max]');
  assert.equal(fmtEstimate(51, { lo: null, hi: null }, 40), '51.0 (n=40, too few for an interval)');
  assert.equal(fmtEstimate(51, null, 40), '51.0 (no interval)');
  assert.equal(fmtEstimate(null, null, 0), 'no data');
  // A result written before latencyCi: computed from its histogram (order statistics, no batches).
  const old = scenario('q', Array.from({ length: 100 }, (_, i) => 10 + i / 10));
  assert.equal(old.latencyCi, undefined);
  assert.equal(scenarioCi(old)?.p95.method, 'order-statistic');
  assert.equal(fmtPercentile(old, 'p95'), '19.4 [18.9, 19.9]');
  assert.equal(fmtPercentile(old, 'p99'), '19.8 (n=100, too few for an interval)');
  // A k6 summary has no histogram: the figure says it has no interval.
  assert.equal(fmtPercentile({ ...old, histogram: '' }, 'p95'), '19.4 (no interval)');
});

test('claims: the measured p95 interval against the claimed range', () => {
  const s = (lo: number, hi: number) => scenario('q', Array.from({ length: 100 }, (_, i) => lo + ((hi - lo) * i) / 99));
  assert.equal(claimStanding([5, 10], s(2, 8)), 'consistent');
  assert.equal(claimStanding([5, 10], s(1, 3)), 'faster');
  assert.equal(claimStanding([5, 10], s(20, 30)), 'slower');
  assert.equal(claimStanding([5, 10], scenario('q', [1, 2])), 'undecided');
});

const budgets = (() => {
  const r = parseBudgetSpec(['p(95)<50']);
  if (!r.ok) throw new Error(String(r.problems));
  return r.value;
})();
const ramp = (n: number, lo: number, hi: number) => Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
const data = (optimized: number[][], inconclusive?: 'fail' | 'pass'): ReportData => ({
  runs: [
    { variant: 'baseline', result: result('baseline', [scenario('a', ramp(100, 100, 300)), scenario('b', ramp(100, 100, 300))]) },
    { variant: 'optimized', result: result('optimized', [scenario('a', optimized[0]!), scenario('b', optimized[1]!)]) },
  ],
  claims: {},
  budgets,
  budgetVariants: '',
  ...(inconclusive ? { inconclusive } : {}),
});

test('verdict block: passed, FAILED with the queries and their intervals, inconclusive; the counts and the policy', () => {
  const passed = verdictBlock(data([ramp(100, 10, 30), ramp(100, 10, 30)])).join('\n');
  assert.match(passed, /^## The answer\n\nDoes the review's claim hold\? Budgets `p\(95\)<50`, judged on optimized:\n\n- baseline, reported beside them \(not judged\): 0 within, 2 over, 0 undecided\n- optimized: \*\*passed\*\* \(2 checks\)\n\nChecks: 2 pass, 0 fail, 0 inconclusive; an inconclusive check fails the run/);
  const mixed = verdictBlock(data([ramp(100, 60, 90), ramp(100, 20, 52)])).join('\n');
  assert.match(mixed, /- \*\*optimized: FAILED\*\* on a \(p\(95\)<50: 88\.5 \[87\.0, 90\.0\]\); inconclusive on b \(p\(95\)<50: 50\.4 \[48\.8, 52\.0\]\)\n/);
  assert.match(mixed, /Checks: 0 pass, 1 fail, 1 inconclusive;/);
  const open = verdictBlock(data([ramp(100, 10, 30), ramp(100, 20, 52)], 'pass')).join('\n');
  assert.match(open, /- \*\*optimized: inconclusive\*\*: inconclusive on b \(p\(95\)<50: 50\.4 \[48\.8, 52\.0\]\) \(counted as passed: --inconclusive pass\)\n/);
  assert.match(open, /inconclusive checks do not fail the run \(--inconclusive pass\)/);
});

test('HTML: the answer first, a table of contents of in-page links, the charts after the tables', () => {
  const html = renderHtml(data([ramp(100, 60, 90), ramp(100, 20, 52)]));
  const at = (s: string) => html.indexOf(s);
  assert.ok(at('<nav id="toc">') > 0 && at('<nav id="toc">') < at('<h2 id="the-answer">'), 'toc before the answer');
  assert.ok(at('<h2 id="the-answer">') < at('<h2 id="budgets">') && at('<h2 id="budgets">') < at('<div id="charts">'), 'answer, tables, charts');
  assert.match(html, /<li><a href="#the-answer">The answer<\/a><\/li>/);
  assert.match(html, /<li><a href="#charts-section">Charts<\/a><\/li>/);
  // Offline: no link leaves the page.
  assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//);
});

test('the HTML of the verdict block: its per-variant lines are a bullet list, not paragraphs starting with "- "', async () => {
  const { markdownToHtml } = await import('../../src/report/markdown-html.js');
  const html = markdownToHtml("Does the review's claim hold?\n\n- baseline: 3 within\n- **optimized: FAILED** on x\n\nChecks: 1 pass");
  assert.match(html, /<ul><li>baseline: 3 within<\/li><li><(strong|b)>optimized: FAILED<\/(strong|b)> on x<\/li><\/ul>/);
  assert.doesNotMatch(html, /<p>- /);
});
