/** Floor-bound, capacity within budget, the curve and the headline, from hand-made probes and floors (pure, exact). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { floorBoundAt, floorUndecidedAt, floorsOf, latencyCurve, maxSustainedRate, withinBudgets, type P95Ci, type ProbeFigures } from '../../src/report/capacity-figures.js';
import { capacityHeadline } from '../../src/report/capacity-headline.js';
import { floorBoundLines } from '../../src/report/capacity-floor-rows.js';
import { parseBudgetSpec } from '../../src/config/budget-grammar.js';
import type { IsolationInfo } from '../../src/report/model.js';
import { result, scenario } from '../helpers/result-fixture.js';

const ci = (value: number, lo: number, hi: number | null, n = 200): P95Ci => ({ value, lo, hi, n, conf: 0.95 });
const none = (n: number): P95Ci => ({ value: n ? 5 : null, lo: null, hi: null, n, conf: 0.95 });
const probe = (rate: number, sustained: boolean, p95Ci: Record<string, P95Ci>): ProbeFigures => ({ rate, sustained, achievedRate: sustained ? rate : rate * 0.8, p95Ci, mixP95: ci(rate / 100, rate / 120, rate / 80) });

/** A run of `scenario` alone with its latencyCi's p95 as given. */
function alone(variant: string, name: string, p95: number, lo: number, hi: number): IsolationInfo['runs'][number] {
  const s = scenario(name, Array.from({ length: 100 }, () => p95));
  const r = result(variant, [{ ...s, latencyMs: { ...s.latencyMs, p95 }, latencyCi: { conf: 0.95, p50: { lo, hi, method: 'order-statistic' }, p90: { lo, hi, method: 'order-statistic' }, p95: { lo, hi, method: 'order-statistic' }, p99: { lo, hi, method: 'order-statistic' } } }]);
  return { variant, scenario: name, held: true, result: r };
}
const isolation: IsolationInfo = { rate: 20, durationSec: 5, warmupSec: 1, runs: [alone('optimized', 'history', 46, 38, 57), alone('optimized', 'lookup', 1.5, 1.3, 1.8), alone('baseline', 'history', 78, 60, 95)] };

test('floor-bound: decided over the budget alone; at a threshold, the floor interval entirely above it', () => {
  const budgets = parseBudgetSpec(['p(95)<50']);
  assert.ok(budgets.ok);
  // The fixture's histogram holds the figure itself: 78 ms alone on the baseline is over 50 whatever the interval.
  const floors = floorsOf(isolation, budgets.value);
  assert.deepEqual(floors.map((f) => [f.variant, f.scenario, f.floorBound]), [['optimized', 'history', false], ['optimized', 'lookup', false], ['baseline', 'history', true]]);
  assert.deepEqual(floorBoundAt(floors, 'optimized', 25), ['history'], '38 ms at the least: over 25 at any rate');
  assert.deepEqual(floorBoundAt(floors, 'optimized', 50), [], '[38, 57] straddles 50: not floor-bound');
  assert.deepEqual(floorBoundAt(floors, 'baseline', 50), ['history']);
  assert.match(floorBoundLines(floors).join('\n'), /^Floor-bound \(over budget at any rate[^\n]*\n- baseline \/ history: p95 78 ms \[60, 95\] alone at 10\/s \(p\(95\)<50 FAIL, measured /);
  // [38, 57] straddles 50: floor-undecided (its own cost leaves the verdict open), named after the floor-bound ones.
  assert.deepEqual(floors.map((f) => [f.variant, f.scenario, f.floorUndecided]), [['optimized', 'history', true], ['optimized', 'lookup', false], ['baseline', 'history', false]]);
  assert.deepEqual(floorUndecidedAt(floors, 'optimized', 50), ['history']);
  assert.deepEqual(floorUndecidedAt(floors, 'optimized', 25), [], 'decided over 25: floor-bound there, not undecided');
  assert.deepEqual(floorUndecidedAt(floors, 'optimized', 100), [], 'decided under 100');
  assert.deepEqual(floorBoundLines(floors.filter((f) => f.variant === 'optimized')), [
    'Floor-undecided (alone, at a low rate, its interval straddles the budget: its own cost, not the load, leaves the verdict open; not judged in the capacity probes):',
    '- optimized / history: p95 46 ms [38, 57] alone at 10/s (p(95)<50 inconclusive, measured 46.0 [38.0, 57.0])',
    '',
  ]);
  // Too few samples for an interval, or an interval open above, is not floor-undecided: the probes still judge it.
  assert.deepEqual(floorUndecidedAt([{ ...floors[0]!, p95: { value: 16, lo: 14, hi: null, n: 100, conf: 0.95 } }], 'optimized', 50), []);
  const openAbove = alone('optimized', 'search', 16, 14, 15);
  openAbove.result.scenarios[0]!.latencyCi!.p95.hi = null;
  assert.deepEqual(floorsOf({ ...isolation, runs: [openAbove] }, budgets.value).map((f) => [f.floorBound, f.floorUndecided]), [[false, false]]);
  assert.deepEqual(floorUndecidedAt([{ ...floors[0]!, p95: { value: 46, lo: null, hi: null, n: 40, conf: 0.95 } }], 'optimized', 50), []);
});

test('capacity within budget: the highest probed rate where every judged scenario is decided under the threshold', () => {
  const probes = [
    probe(100, true, { lookup: ci(2, 1.8, 2.3), history: ci(48, 40, 58) }),
    probe(200, true, { lookup: ci(3, 2.5, 3.5), history: ci(50, 41, 60) }),
    probe(400, true, { lookup: ci(9, 8, 12), history: ci(55, 45, 66), rare: none(3) }),
    probe(800, false, { lookup: ci(300, 250, 400), history: ci(400, 300, 500) }),
  ];
  const floorBound = (t: number) => (t <= 25 ? ['history'] : []);
  const [t10, t25, t50] = withinBudgets(probes, floorBound, [10, 25, 50]);
  // Within 10 ms: lookup is under 10 at 100 and 200 (400's interval reaches 12: not decided); history is floor-bound there.
  assert.deepEqual(t10, { thresholdMs: 10, rate: 200, undecidedRate: 400, undecided: ['lookup (200 samples)', 'rare (3 samples)'], floorBound: ['history'], failsAt: { rate: 800, scenarios: ['lookup'] } });
  // Within 25 ms: lookup passes at 400 too, but the rare scenario's 3 samples decide nothing there: 200, not 400.
  assert.deepEqual([t25!.rate, t25!.undecidedRate, t25!.undecided], [200, 400, ['rare (3 samples)']]);
  // Within 50 ms history straddles at every rate: no rate decided; nothing decided over below 800.
  assert.equal(t50!.rate, null);
  assert.equal(t50!.undecidedRate, 400);
  assert.deepEqual(t50!.failsAt, { rate: 800, scenarios: ['lookup', 'history'] });
  assert.equal(maxSustainedRate(probes), 400);
  // With history floor-undecided at 50 (its floor straddles it), lookup alone decides: 400 held, except that the
  // rare scenario's 3 samples there decide nothing: 200, with 400 undecided.
  const [u50] = withinBudgets(probes, () => [], [50], (t) => (t === 50 ? ['history'] : []));
  assert.deepEqual(u50, { thresholdMs: 50, rate: 200, undecidedRate: 400, undecided: ['rare (3 samples)'], floorBound: [], floorUndecided: ['history'], failsAt: { rate: 800, scenarios: ['lookup'] } });
  assert.deepEqual(latencyCurve([probes[2]!, probes[0]!]).map((p) => [p.rate, p.p95.value, p.sustained]), [[100, 1, true], [400, 4, true]]);
});

test('the headline says it in words, numbers from the data', () => {
  const cap = (variant: string, sustained: number | null, rate: number | null, floorBound: string[], stoppedBy = 'converged') => ({
    variant, stoppedBy, probes: [{ rate: 100 }], maxSustainedRate: sustained, withinBudgets: [{ thresholdMs: 50, rate, floorBound }],
  });
  assert.equal(
    capacityHeadline([cap('baseline', 750, 400, ['history']), cap('optimized', 1300, 1000, ['history'])], isolation),
    'optimized sustains 1,300/s (baseline 750/s); within 50 ms it holds 1,000/s for every query except history, which is floor-bound at 46 ms [38, 57] alone (baseline 400/s for every query except history, which is floor-bound at 78 ms [60, 95] alone)',
  );
  assert.equal(capacityHeadline([cap('optimized', 6400, null, [], 'max-rate')]), 'optimized sustains at least 6,400/s; within 50 ms it holds none of the rates probed for every query');
  assert.equal(capacityHeadline([cap('baseline', null, null, [])]), 'baseline sustains no rate probed (down to 100/s); within 50 ms it holds none of the rates probed for every query');
  assert.equal(capacityHeadline([]), '');
  // Without the isolation runs, the floors the search recorded give the floor.
  const recorded = { ...cap('optimized', 1300, 1000, ['history']), floors: [{ variant: 'optimized', scenario: 'history', p95: ci(46, 38, 57) }] };
  assert.match(capacityHeadline([recorded]), /except history, which is floor-bound at 46 ms \[38, 57\] alone$/);
  // A floor-undecided query is named as such, with its floor alone.
  const undecided = { ...cap('optimized', 1300, 1000, []), withinBudgets: [{ thresholdMs: 50, rate: 1000, floorBound: [], floorUndecided: ['history'] }] };
  assert.equal(capacityHeadline([undecided], isolation), 'optimized sustains 1,300/s; within 50 ms it holds 1,000/s for every query except history, whose floor of 46 ms [38, 57] alone is not decided within 50 ms');
});
