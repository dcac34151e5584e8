import { test } from 'node:test';
import assert from 'node:assert/strict';
import { roundRate, searchCapacity } from '../../src/capacity/search.js';

/** A system that holds every rate up to `capacity` (inclusive) and fails above. */
function fakeProbe(capacity: number, calls: number[] = []) {
  return async (rate: number) => {
    calls.push(rate);
    return { holds: rate <= capacity, measured: rate };
  };
}

test('steps x2 until a step fails, then bisects to the precision', async () => {
  const calls: number[] = [];
  const r = await searchCapacity(fakeProbe(700, calls), { startRate: 100, maxRate: 10_000, precision: 0.1 });
  // 100, 200, 400 hold; 800 fails; bisect 600 holds, 700 holds, 750 fails; (750-700)/700 <= 0.1.
  assert.deepEqual(calls, [100, 200, 400, 800, 600, 700, 750]);
  assert.equal(r.maxRateWithinBudget, 700);
  assert.equal(r.firstFailingRate, 750);
  assert.equal(r.stoppedBy, 'converged');
  assert.deepEqual(r.probes.map((p) => [p.rate, p.phase, p.holds]), [
    [100, 'step', true], [200, 'step', true], [400, 'step', true], [800, 'step', false],
    [600, 'bisect', true], [700, 'bisect', true], [750, 'bisect', false],
  ]);
  // What the probe returned is kept with each record.
  assert.equal(r.probes[3]!.measured, 800);
});

test('a start rate that fails steps down until one holds, then bisects', async () => {
  const calls: number[] = [];
  const r = await searchCapacity(fakeProbe(130, calls), { startRate: 1000, maxRate: 1000, precision: 0.2 });
  // 1000, 500, 250 fail; 125 holds; bisect 188 fails, 157 fails, 141 fails; (141-125)/125 <= 0.2.
  assert.deepEqual(calls, [1000, 500, 250, 125, 188, 157, 141]);
  assert.equal(r.maxRateWithinBudget, 125);
  assert.equal(r.firstFailingRate, 141);
  assert.equal(r.stoppedBy, 'converged');
});

test('maxRate holding ends the search with no failing rate', async () => {
  const calls: number[] = [];
  const r = await searchCapacity(fakeProbe(1e9, calls), { startRate: 100, maxRate: 500 });
  assert.deepEqual(calls, [100, 200, 400, 500]);
  assert.equal(r.maxRateWithinBudget, 500);
  assert.equal(r.firstFailingRate, null);
  assert.equal(r.stoppedBy, 'max-rate');
});

test('nothing holds down to minRate: no capacity', async () => {
  const calls: number[] = [];
  const r = await searchCapacity(fakeProbe(0, calls), { startRate: 100, maxRate: 100, minRate: 20 });
  assert.deepEqual(calls, [100, 50, 25, 20]);
  assert.equal(r.maxRateWithinBudget, null);
  assert.equal(r.firstFailingRate, 20);
  assert.equal(r.stoppedBy, 'min-rate');
});

test('the number of probes is bounded', async () => {
  const calls: number[] = [];
  const r = await searchCapacity(fakeProbe(1234, calls), { startRate: 1, maxRate: 1e6, precision: 0.001, maxProbes: 15 });
  assert.equal(calls.length, 15);
  assert.equal(r.stoppedBy, 'max-probes');
  // 1..1024 held, 2048 failed; bisecting narrowed it around the true capacity.
  assert.ok(r.maxRateWithinBudget! <= 1234 && r.firstFailingRate! > 1234, JSON.stringify(r));
  assert.ok(r.maxRateWithinBudget! > 1024);
});

test('bisection stops when 3 significant digits leave no rate between the bounds', async () => {
  const calls: number[] = [];
  const r = await searchCapacity(fakeProbe(1003, calls), { startRate: 1000, maxRate: 1e6, precision: 1e-9 });
  // 1000 holds, 2000 fails, then bisection down to 1010, the next rate above 1000 at 3 digits.
  assert.equal(r.stoppedBy, 'converged');
  assert.equal(r.maxRateWithinBudget, 1000);
  assert.equal(r.firstFailingRate, 1010);
  assert.equal(new Set(calls).size, calls.length, 'no rate probed twice');
});

test('a partial probe stops the search without a verdict on its rate', async () => {
  const calls: number[] = [];
  const r = await searchCapacity(async (rate) => (calls.push(rate), rate >= 400 ? { holds: false, partial: true } : { holds: true }), { startRate: 100, maxRate: 10_000 });
  assert.deepEqual(calls, [100, 200, 400]);
  assert.equal(r.stoppedBy, 'partial');
  assert.equal(r.maxRateWithinBudget, 200);
  assert.equal(r.firstFailingRate, null);
  assert.equal(r.probes.at(-1)!.partial, true);
});

test('an aborted signal stops before the next probe', async () => {
  const ac = new AbortController();
  const calls: number[] = [];
  const r = await searchCapacity(async (rate) => (calls.push(rate), rate >= 200 && ac.abort(), { holds: true }), { startRate: 100, maxRate: 10_000, signal: ac.signal });
  assert.deepEqual(calls, [100, 200]);
  assert.equal(r.stoppedBy, 'partial');
  assert.equal(r.maxRateWithinBudget, 200);
});

test('rates are probed at 3 significant digits; bad options throw', async () => {
  assert.equal(roundRate(1234.5), 1230);
  assert.equal(roundRate(0.012345), 0.0123);
  await assert.rejects(searchCapacity(fakeProbe(1), { startRate: 10, maxRate: 5 }), /startRate <= maxRate/);
  await assert.rejects(searchCapacity(fakeProbe(1), { startRate: 10, maxRate: 50, factor: 1 }), /factor must be > 1/);
});
