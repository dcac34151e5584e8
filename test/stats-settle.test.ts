import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHistogram } from '../src/stats/histogram.js';
import { judgeSettle, settleWindowSec, SETTLE_RULE, type SettleSecond } from '../src/stats/settle.js';
import { SATURATED_SEC, WarmupController, settleMode } from '../src/engine/warmup.js';

/** A second whose completions all took `ms` (n of them), with `backlog` and `dropped`. */
function sec(t: number, ms: number, n: number, backlog = 0, dropped = 0): SettleSecond {
  const hist = createHistogram();
  if (n > 0) hist.recordValueWithCount(Math.round(ms * 1000), n);
  return { t, backlog, dropped, hist };
}

function judge(list: SettleSecond[], rate: number) {
  try {
    return judgeSettle(list, rate);
  } finally {
    for (const s of list) s.hist.destroy();
  }
}

test('settle window: 2 s at high rates, longer at low rates so a window holds 50 completions, at most 10 s', () => {
  assert.equal(settleWindowSec(1000), 2);
  assert.equal(settleWindowSec(25), 2);
  assert.equal(settleWindowSec(10), 5);
  assert.equal(settleWindowSec(3), 10);
  assert.equal(settleWindowSec(0.1), 10);
});

test('settle: steady once backlog is drained and the p95 of the last window matches the one before', () => {
  const v = judge([sec(1, 30, 1000), sec(2, 32, 1000), sec(3, 31, 1000), sec(4, 33, 1000)], 1000);
  assert.equal(v.steady, true, v.reason);
  assert.equal(v.windowSec, 2);
  assert.ok(Math.abs(v.previousP95Ms! - 32) < 0.1 && Math.abs(v.recentP95Ms! - 33) < 0.1, JSON.stringify(v));
});

test('settle: too few seconds to judge is not steady', () => {
  const v = judge([sec(1, 30, 1000), sec(2, 30, 1000), sec(3, 30, 1000)], 1000);
  assert.equal(v.steady, false);
  assert.match(v.reason, /fewer than 4 seconds/);
});

test('settle: a backlog above 1% of the rate at the end of a recent second is not steady; 1% is tolerated', () => {
  let v = judge([sec(1, 30, 1000), sec(2, 30, 1000), sec(3, 30, 1000, 11), sec(4, 30, 1000)], 1000);
  assert.equal(v.steady, false);
  assert.equal(v.reason, 'backlog 11');
  v = judge([sec(1, 30, 1000), sec(2, 30, 1000), sec(3, 30, 1000, 10), sec(4, 30, 1000)], 1000);
  assert.equal(v.steady, true, v.reason);
  // Below 100/s the tolerance rounds down to 0: one waiting slot is a backlog.
  v = judge([sec(1, 30, 50), sec(2, 30, 50), sec(3, 30, 50), sec(4, 30, 50, 1)], 50);
  assert.equal(v.steady, false);
});

test('settle: a drop in the recent window is not steady', () => {
  const v = judge([sec(1, 30, 1000), sec(2, 30, 1000), sec(3, 30, 1000), sec(4, 30, 990, 0, 10)], 1000);
  assert.equal(v.steady, false);
  assert.equal(v.reason, '10 dropped');
});

test('settle: a p95 still falling (a backlog draining) is not steady; a change within 50% is', () => {
  // The user's report: ~1 s latencies while the backlog drains, then 10-40 ms.
  let v = judge([sec(1, 1075, 1000), sec(2, 900, 1000), sec(3, 40, 1000), sec(4, 35, 1000)], 1000);
  assert.equal(v.steady, false);
  assert.match(v.reason, /p95 moving \(1075 -> 40 ms\)/);
  v = judge([sec(1, 40, 1000), sec(2, 40, 1000), sec(3, 21, 1000), sec(4, 21, 1000)], 1000);
  assert.equal(v.steady, true, v.reason); // 40 -> 21: 19 ms <= 50% of 40
  v = judge([sec(1, 40, 1000), sec(2, 40, 1000), sec(3, 19, 1000), sec(4, 19, 1000)], 1000);
  assert.equal(v.steady, false, v.reason); // 21 ms > 20 ms
  // Rising counts too (a server falling behind): 20 -> 41 ms.
  v = judge([sec(1, 20, 1000), sec(2, 20, 1000), sec(3, 41, 1000), sec(4, 41, 1000)], 1000);
  assert.equal(v.steady, false, v.reason);
});

test('settle: millisecond jitter is stable (5 ms floor), more is not', () => {
  let v = judge([sec(1, 0.3, 1000), sec(2, 0.3, 1000), sec(3, 5.2, 1000), sec(4, 5.2, 1000)], 1000);
  assert.equal(v.steady, true, v.reason);
  v = judge([sec(1, 0.3, 1000), sec(2, 0.3, 1000), sec(3, 5.4, 1000), sec(4, 5.4, 1000)], 1000);
  assert.equal(v.steady, false, v.reason);
});

test('settle: at a low rate the window is merged over several seconds, not judged on 3 samples', () => {
  // 10/s: windows of 5 s (50 samples). One slow second among five does not move the merged p95 much...
  const calm = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((t) => sec(t, t === 8 ? 12 : 10, 10));
  const v = judge(calm, 10);
  assert.equal(v.windowSec, 5);
  assert.equal(v.steady, true, v.reason);
  // ...and nine seconds are not enough to judge at all.
  const short = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((t) => sec(t, 10, 10));
  assert.equal(judge(short, 10).steady, false);
  // A window with no completion at all cannot be judged.
  const empty = [1, 2, 3, 4].map((t) => sec(t, 10, t <= 2 ? 1000 : 0));
  assert.equal(judge(empty, 1000).reason, 'no completions to judge');
});

test('warm-up controller: fixed when max <= min; settle mode decides the first steady second, one second after the judged one', () => {
  assert.equal(settleMode(5, 5), false);
  assert.equal(settleMode(0.5, 1), false); // no whole second to judge
  assert.equal(settleMode(1, 5), true);
  const fixed = new WarmupController(0.5, 0.5, 100);
  assert.deepEqual(fixed.decision, { startSec: 0.5, settled: null, reason: 'fixed warm-up of 0.5 s' });

  // Backlog and a falling p95 until second 5, then 20 ms: at 8 the window before (5-6)
  // still holds second 5's 100 ms as its p95; at 9 both windows (6-7, 8-9) are 20 ms.
  const c = new WarmupController(3, 30, 1000);
  const p95 = [500, 400, 300, 200, 100, 20, 20, 20, 20, 20];
  const backlog = [900, 700, 500, 300, 100, 0, 0, 0, 0, 0];
  let decided;
  for (let t = 1; t <= 10 && !decided; t++) {
    const h = createHistogram();
    h.recordValueWithCount(p95[t - 1]! * 1000, 1000);
    decided = c.observe(t, backlog[t - 1]!, 0, h);
    h.destroy();
    if (!decided) assert.equal(c.decision, undefined);
    else assert.equal(t, 9, `decided at ${t}`);
  }
  assert.equal(decided?.startSec, 10);
  assert.equal(decided?.settled, true);
  c.destroy();
});

test('warm-up controller: a run that never settles is measured from the maximum, settled false', () => {
  const c = new WarmupController(2, 6, 1000);
  let decided;
  for (let t = 1; t <= 20 && !decided; t++) {
    const h = createHistogram();
    h.recordValueWithCount(100_000 * t, 1000); // p95 keeps growing: a saturated server
    decided = c.observe(t, 500 * t, 0, h);
    h.destroy();
    if (decided) assert.equal(t, 5);
  }
  assert.deepEqual({ startSec: decided?.startSec, settled: decided?.settled }, { startSec: 6, settled: false });
  assert.match(decided!.reason, /^never settled by 6 s \(backlog 2500\): measuring anyway$/);
  assert.equal(SETTLE_RULE.relBand, 0.5);
});

test('warm-up controller: a run evidently saturated (drops every second, behind the rate) ends its warm-up early, unsettled', () => {
  const feed = (c: WarmupController, completions: (t: number) => number, dropped: (t: number) => number, until: number) => {
    let decided;
    for (let t = 1; t <= until && !decided; t++) {
      const h = createHistogram();
      h.recordValueWithCount(100_000 * t, completions(t));
      decided = c.observe(t, 2000, dropped(t), h);
      h.destroy();
    }
    return decided;
  };
  assert.equal(SATURATED_SEC, 5);
  // 750 of 1000/s done, slots dropped from second 3 on: saturated at the end of second 7 (drops in 3..7).
  const c = new WarmupController(5, 30, 1000);
  const d = feed(c, () => 750, (t) => (t >= 3 ? 250 : 0), 30);
  assert.deepEqual({ startSec: d?.startSec, settled: d?.settled, saturated: d?.saturated }, { startSec: 8, settled: false, saturated: true });
  assert.match(d!.reason, /^saturated at 8 s: slots dropped in each of the last 5 s/);
  // Drops with completions keeping up (a burst being shed, not a server behind): not saturated; the maximum decides.
  const keeping = feed(new WarmupController(5, 12, 1000), () => 1000, () => 10, 30);
  assert.deepEqual({ startSec: keeping?.startSec, settled: keeping?.settled, saturated: keeping?.saturated }, { startSec: 12, settled: false, saturated: undefined });
  // A second without drops resets the count: 4 in a row are not enough.
  const gaps = feed(new WarmupController(5, 12, 1000), () => 750, (t) => (t % 5 === 0 ? 0 : 250), 30);
  assert.equal(gaps?.saturated, undefined);
  assert.equal(gaps?.startSec, 12);
});
