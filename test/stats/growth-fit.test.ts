import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitGrowth, growthClass, predictGrowth, GROWTH_THRESHOLDS } from '../../src/stats/growth-fit.js';
import { studentTCdf, studentTQuantile } from '../../src/stats/student-t.js';

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

test("Student's t quantiles equal the tables' (R qt(0.975, df))", () => {
  const table: Array<[number, number]> = [[1, 12.706204736174703], [2, 4.302652729749464], [3, 3.182446305284263], [4, 2.7764451051977987], [10, 2.2281388519649385], [30, 2.0422724563012373]];
  for (const [df, q] of table) close(studentTQuantile(0.975, df), q);
  close(studentTQuantile(0.025, 3), -3.182446305284263);
  close(studentTCdf(0, 5), 0.5);
  // df = 1 is the Cauchy distribution: P(T <= 1) = 3/4.
  close(studentTCdf(1, 1), 0.75);
});

test('a pure power law fits exactly: p95 = 2 ms x (entries/1000)^0.7, the interval collapses on it', () => {
  const f = fitGrowth([1e3, 1e4, 1e5].map((e) => ({ entries: e, p95Ms: 2 * (e / 1e3) ** 0.7 })))!;
  close(f.slope, 0.7);
  close(f.slopeCi!.low, 0.7, 1e-6);
  close(f.slopeCi!.high, 0.7, 1e-6);
  assert.equal(f.growth, 'linear');
  close(predictGrowth(f, 1e7).p95Ms, 2 * 1e4 ** 0.7);
});

test('three noisy points: slope, its t-interval (1 degree of freedom) and the prediction interval, worked by hand', () => {
  // ln entries = 1, 2, 3 and ln p95 = 1, 2, 4: mean x 2, Sxx 2, Sxy 3 -> slope 1.5, intercept -2/3;
  // residuals 1/6, -1/3, 1/6 -> SSE 1/6, s = sqrt(1/6); se(slope) = s / sqrt(2); t(0.975, 1) = 12.7062...
  const f = fitGrowth([1, 2, 3].map((k, i) => ({ entries: Math.E ** k, p95Ms: Math.E ** [1, 2, 4][i]! })))!;
  close(f.slope, 1.5);
  close(f.intercept, -2 / 3);
  close(f.residualSd!, Math.sqrt(1 / 6));
  close(f.slopeCi!.low, 1.5 - 3.6679653624044812);
  close(f.slopeCi!.high, 1.5 + 3.6679653624044812);
  assert.equal(f.growth, 'worse');
  // At ln x0 = 4: y = 16/3, half-width t * s * sqrt(1 + 1/3 + (4 - 2)^2 / 2) = 9.470645842038806.
  const p = predictGrowth(f, Math.E ** 4);
  close(p.p95Ms, 207.1272488898345);
  close(p.interval!.low, Math.exp(16 / 3 - 9.470645842038806));
  close(p.interval!.high, Math.exp(16 / 3 + 9.470645842038806));
});

test('two sizes: the slope, and no interval (a line fits two points exactly)', () => {
  const f = fitGrowth([{ entries: 5000, p95Ms: 1 }, { entries: 100_000, p95Ms: 20 }])!;
  close(f.slope, 1);
  assert.equal(f.slopeCi, null);
  assert.equal(predictGrowth(f, 1e6).interval, null);
  close(predictGrowth(f, 1e6).p95Ms, 200);
});

test('fewer than two sizes with a positive p95 fit nothing', () => {
  assert.equal(fitGrowth([{ entries: 5000, p95Ms: 3 }]), undefined);
  assert.equal(fitGrowth([{ entries: 5000, p95Ms: 3 }, { entries: 5000, p95Ms: 4 }]), undefined);
  assert.equal(fitGrowth([{ entries: 5000, p95Ms: 3 }, { entries: 50_000, p95Ms: 0 }]), undefined);
});

test('growth classes change exactly at the documented thresholds', () => {
  assert.deepEqual(GROWTH_THRESHOLDS, { flatBelow: 0.15, logarithmicBelow: 0.5, linearUpTo: 1.2 });
  assert.equal(growthClass(-0.3), 'flat');
  assert.equal(growthClass(0.1499), 'flat');
  assert.equal(growthClass(0.15), 'logarithmic-ish');
  assert.equal(growthClass(0.4999), 'logarithmic-ish');
  assert.equal(growthClass(0.5), 'linear');
  assert.equal(growthClass(1.2), 'linear');
  assert.equal(growthClass(1.2001), 'worse');
});
