/**
 * JUnit XML (pure, exact, from hand-made data): beside the mixed runs' budget cases, each
 * scenario alone is a case per budget judged like the mix (judged variant: pass, failure,
 * or inconclusive: a failure of type "inconclusive" under the strict default, a skipped
 * case with --inconclusive pass; the baseline: skipped with its value; a partial run:
 * skipped, not judged), every message carrying the measured value with its interval, and
 * each variant's capacity a skipped case carrying its max TPS within budget and the
 * highest rate it sustained (capacity data holds no pass/fail). The XML is well-formed and
 * its tests/failures/skipped attributes count the cases it holds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderJunit } from '../../src/report/junit.js';
import type { CapacityProbeInfo, ReportData } from '../../src/report/model.js';
import { parseBudgetSpec } from '../../src/config/budget-grammar.js';
import { result, scenario } from '../helpers/result-fixture.js';
import { elements, parseXml, type XmlElement } from '../helpers/xml.js';

const budgets = (() => {
  const r = parseBudgetSpec(['p(95)<50']);
  if (!r.ok) throw new Error(String(r.problems));
  return r.value;
})();

const probe = (rate: number, holds: boolean, sustained: boolean, p95: number, failed: string[] = []): CapacityProbeInfo => ({ rate, holds, sustained, achievedRate: sustained ? rate : rate / 2, p95Ms: { q: p95 }, failed });

/** `n` latencies evenly spread from `lo` to `hi` ms (enough samples for a p95 interval from 59 on). */
const ramp = (n: number, lo: number, hi: number) => Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));

/** Mixed runs, both variants' capacity, and balance-lookup alone on both (optimized's latencies alone given). */
function fixture(optimizedAloneMs: number[], o: { partialAlone?: boolean; inconclusive?: 'fail' | 'pass' } = {}): ReportData {
  const run = (v: string, ms: number[], partial = false) => result(v, [scenario('balance-lookup', ms)], { partial });
  return {
    runs: [{ variant: 'baseline', result: run('baseline', ramp(100, 100, 300)) }, { variant: 'optimized', result: run('optimized', ramp(100, 10, 30)) }],
    claims: {},
    budgets,
    budgetVariants: '',
    ...(o.inconclusive ? { inconclusive: o.inconclusive } : {}),
    capacity: [
      { variant: 'baseline', maxRateWithinBudget: null, firstFailingRate: 100, stoppedBy: 'min-rate', budgets: ['p(95)<50'], stepSec: 5, warmupSec: 5, probes: [probe(100, false, true, 80, ['balance-lookup: p(95)<50 (measured 80.0)'])] },
      { variant: 'optimized', maxRateWithinBudget: 200, firstFailingRate: 400, stoppedBy: 'converged', budgets: ['p(95)<50'], stepSec: 5, warmupSec: 5, probes: [probe(100, true, true, 9), probe(200, true, true, 12), probe(400, false, true, 60, ['balance-lookup: p(95)<50 (measured 60.0)']), probe(800, false, false, 900)] },
    ],
    isolation: {
      rate: 10, durationSec: 5, warmupSec: 5,
      runs: [
        { variant: 'baseline', scenario: 'balance-lookup', held: true, result: run('baseline', ramp(100, 40, 80)) },
        { variant: 'optimized', scenario: 'balance-lookup', held: !o.partialAlone, result: run('optimized', optimizedAloneMs, o.partialAlone) },
      ],
    },
  };
}

/** Parses (throws unless well-formed) and checks every count attribute against the cases it holds. */
function parsed(xml: string): XmlElement {
  const root = parseXml(xml);
  for (const el of [root, ...elements(root, 'testsuite')]) {
    const cases = elements(el, 'testcase');
    const counts = { tests: cases.length, failures: cases.filter((c) => elements(c, 'failure').length).length, skipped: cases.filter((c) => elements(c, 'skipped').length).length };
    assert.deepEqual({ tests: Number(el.attrs.tests), failures: Number(el.attrs.failures), skipped: Number(el.attrs.skipped) }, counts, el.attrs.name);
  }
  return root;
}

/** Each case as `suite | class | name | outcome: text`. */
const outline = (root: XmlElement) =>
  elements(root, 'testsuite').flatMap((s) =>
    s.children.filter((c) => c.name === 'testcase').map((c) => {
      const f = c.children.find((x) => x.name === 'failure' || x.name === 'skipped');
      return `${s.attrs.name} | ${c.attrs.classname} | ${c.attrs.name} | ${f ? `${f.name}: ${f.attrs.message}` : `pass: ${c.children.find((x) => x.name === 'system-out')!.text}`}`;
    }),
  );

test('the XML reader rejects what is not well-formed (so the checks below can fail)', () => {
  for (const bad of ['<a><b></a>', '<a x=1/>', '<a>1 < 2</a>', '<a>R&D</a>', '<a/><b/>', '<a x="1" x="2"/>', '<a>']) assert.throws(() => parseXml(bad), bad);
  assert.deepEqual(parseXml('<a x="&lt;&amp;"><b/>t&gt;</a>').attrs, { x: '<&' });
});

const MIX = [
  'ledger-bench budgets: baseline | ledger-bench.baseline | balance-lookup p(95)<50 | skipped: reported, not judged (measured 290 [280, 300], over)',
  'ledger-bench budgets: optimized | ledger-bench.optimized | balance-lookup p(95)<50 | pass: measured 29.0 [28.0, 30.0]',
];
const CAPACITY = [
  'ledger-bench capacity | ledger-bench.baseline | max TPS within budget | skipped: reported, not judged: max TPS within budget none at or above 100/s (fails first: balance-lookup: p(95)<50 (measured 80.0)); highest rate sustained: 100/s',
  'ledger-bench capacity | ledger-bench.optimized | max TPS within budget | skipped: reported, not judged: max TPS within budget 200/s (breaks at 400/s: balance-lookup: p(95)<50 (measured 60.0)); highest rate sustained: 400/s',
];

/** Renders `data`; expects the mixed and capacity cases above around `alone` (the isolation cases), and the root's counts. */
function expectCases(data: ReportData, alone: [string, string], counts: { failures: number; skipped: number }): XmlElement {
  const root = parsed(renderJunit(data));
  assert.deepEqual(outline(root), [...MIX, ...alone.map((x, i) => `ledger-bench isolation: ${['baseline', 'optimized'][i]} | ledger-bench.${['baseline', 'optimized'][i]} | balance-lookup alone p(95)<50 | ${x}`), ...CAPACITY]);
  assert.deepEqual(root.attrs, { name: 'ledger-bench', tests: '6', failures: String(counts.failures), skipped: String(counts.skipped) });
  return root;
}

const BASE_ALONE = 'skipped: reported, not judged (measured 78.0 [76.0, 80.1], over; alone at 10/s, held)';

test('JUnit: each query alone per budget and each capacity beside the mixed cases; totals count them', () => {
  const root = expectCases(fixture(ramp(100, 2, 8)), [BASE_ALONE, 'pass: measured 7.70 [7.39, 8.00]; alone at 10/s, held'], { failures: 0, skipped: 4 });
  // Capacity: the probes in system-out; the time is the finished probes' measured seconds (capacity.json has no start time).
  const cap = elements(root, 'testsuite').find((s) => s.attrs.name === 'ledger-bench capacity')!;
  assert.deepEqual([cap.attrs.time, cap.attrs.timestamp], ['25.000', undefined]);
  assert.equal(elements(cap, 'system-out')[1]!.text, 'budgets: p(95)<50; probes (5 s each): 100/s held, achieved 100.0/s; 200/s held, achieved 200.0/s; 400/s sustained, achieved 400.0/s; 800/s failed, achieved 400.0/s; search ended: converged');
  // Each judged variant's suite counts its checks by verdict; the baseline's (not judged) does not.
  const props = elements(root, 'property').map((p) => `${p.attrs.name}=${p.attrs.value}`);
  assert.deepEqual(props, ['verdicts=1 pass, 0 fail, 0 inconclusive', 'verdicts=1 pass, 0 fail, 0 inconclusive']);
});

test('JUnit: a judged budget failing alone is a failure (the mix passing), counted in the totals', () => {
  const root = expectCases(fixture(ramp(100, 60, 90)), [BASE_ALONE, 'failure: p(95)<50 failed: measured 88.5 [87.0, 90.0]; alone at 10/s, held'], { failures: 1, skipped: 4 });
  assert.equal(elements(root, 'failure')[0]!.text, 'optimized / balance-lookup alone: p(95)<50 failed, measured 88.5 [87.0, 90.0]; alone at 10/s, held');
  assert.equal(elements(root, 'failure')[0]!.attrs.type, 'budget');
});

test('JUnit: an inconclusive check (interval straddling the budget) is a failure of type "inconclusive" by default, a skipped case with --inconclusive pass', () => {
  const straddling = ramp(100, 20, 52); // p95 50.4 [48.8, 52.0] against < 50
  const strict = expectCases(fixture(straddling), [BASE_ALONE, 'failure: p(95)<50 inconclusive (not decided at 95%; --inconclusive pass lets it through): measured 50.4 [48.8, 52.0]; alone at 10/s, held'], { failures: 1, skipped: 4 });
  assert.equal(elements(strict, 'failure')[0]!.attrs.type, 'inconclusive');
  assert.ok(elements(strict, 'property').some((p) => p.attrs.value === '0 pass, 0 fail, 1 inconclusive'));
  expectCases(fixture(straddling, { inconclusive: 'pass' }), [BASE_ALONE, 'skipped: p(95)<50 inconclusive, counted as passed (--inconclusive pass): measured 50.4 [48.8, 52.0]; alone at 10/s, held'], { failures: 0, skipped: 5 });
  // Too few samples for an interval (a p95 needs 59) is inconclusive too, never a pass on a bare figure.
  expectCases(fixture(ramp(40, 2, 8)), [BASE_ALONE, 'failure: p(95)<50 inconclusive (not decided at 95%; --inconclusive pass lets it through): measured 7.70 (59 samples needed for a p95 interval, 40 measured); alone at 10/s, held'], { failures: 1, skipped: 4 });
});

test('JUnit: a partial isolated run on a judged variant leaves every isolation case skipped, not judged (the mix still judged)', () => {
  expectCases(
    fixture(ramp(100, 60, 90), { partialAlone: true }),
    ['skipped: not judged: a run is partial (measured 78.0 [76.0, 80.1]; alone at 10/s, held)', 'skipped: not judged: a run is partial (measured 88.5 [87.0, 90.0]; alone at 10/s, not held (achieved 10.0/s))'],
    { failures: 0, skipped: 5 },
  );
});
