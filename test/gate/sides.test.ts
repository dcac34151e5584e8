/** What --base/--head name, the blocks a result file holds, and one side's runs pooled (pure). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blockOfRun, blocksOfResult, classifySide } from '../../src/gate/sides.js';
import { poolSequentialRuns } from '../../src/gate/pool-runs.js';
import { blockOrder } from '../../src/gate/run-blocks.js';
import { resultSchema } from '../../src/result/schema.js';
import { result, scenario } from '../helpers/result-fixture.js';

test('a side is a known variant, else an existing file; anything else says what is accepted', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lb-gate-side-'));
  const file = join(dir, 'r.json');
  writeFileSync(file, '{}');
  assert.deepEqual(classifySide('--base', 'indexes', ['baseline', 'indexes']), { side: { kind: 'variant', name: 'indexes' } });
  assert.deepEqual(classifySide('--head', file, ['baseline']), { side: { kind: 'result', path: file } });
  assert.match((classifySide('--base', '', ['baseline']) as { problem: string }).problem, /--base is required/);
  assert.match((classifySide('--base', join(dir, 'nope.json'), ['baseline']) as { problem: string }).problem, /no such file/);
  assert.match((classifySide('--head', 'origin/no-such-branch', ['baseline']) as { problem: string }).problem, /nor a git ref of the repository in .*git fetch/);
});

test('a plain result is one block; a pooled gate side keeps its blocks and averages its rates', () => {
  const a = result('x', [scenario('s', [1, 2, 3, 4]), scenario('t', [5])]);
  const b = result('x', [scenario('s', [10, 20, 30, 40]), scenario('t', [6])]);
  assert.deepEqual(blocksOfResult(a), [{ s: { p95: a.scenarios[0]!.latencyMs.p95, count: 4 }, t: { p95: a.scenarios[1]!.latencyMs.p95, count: 1 } }]);
  const blocks = [blockOfRun(a), blockOfRun(b)];
  const pooled = poolSequentialRuns([a, b], blocks);
  resultSchema.parse(pooled);
  assert.deepEqual(blocksOfResult(pooled), blocks);
  const s = pooled.scenarios.find((x) => x.name === 's')!;
  assert.equal(s.count, 8, 'counts add up');
  assert.equal(s.achievedRate, 10, 'rates are the mean over sequential blocks, not their sum');
  assert.equal(s.targetRate, 10);
  assert.equal(pooled.achievedRate, 10);
  assert.equal(pooled.target.durationSec, 20);
  assert.ok(s.latencyMs.max >= 40 && s.latencyMs.p50 < 10, 'percentiles of every transaction of the side');
});

test('the order of the sides is reproducible from the seed and differs between blocks', () => {
  const orders = Array.from({ length: 12 }, (_, i) => blockOrder(42, i).join());
  assert.deepEqual(orders, Array.from({ length: 12 }, (_, i) => blockOrder(42, i).join()));
  assert.equal(new Set(orders).size, 2);
});

test('pooled intervals batch by block: each block cut into ceil(10 / blocks) parts, in block order; a block without the scenario adds empty batches', async () => {
  const { blockBatches } = await import('../../src/gate/pool-runs.js');
  const { countEncoded } = await import('../../src/stats/histogram.js');
  // Block b's 20 batches: batch i holds b + 1 samples when i is even, none when odd.
  const block = (b: number): string[] => Array.from({ length: 20 }, (_, i) => (i % 2 ? '' : scenario('s', Array(b + 1).fill(5 + i)).histogram));
  const two = blockBatches([block(0), block(1)])!;
  assert.equal(two.length, 10, '5 parts per block');
  assert.deepEqual(two.map((e) => (e ? countEncoded(e) : 0)), [2, 2, 2, 2, 2, 4, 4, 4, 4, 4]);
  const ten = blockBatches(Array.from({ length: 10 }, (_, b) => block(b)))!;
  assert.deepEqual(ten.map(countEncoded), Array.from({ length: 10 }, (_, b) => 10 * (b + 1)), 'one batch per block');
  assert.deepEqual(blockBatches([block(0), null]), [...two.slice(0, 5), '', '', '', '', '']);
  assert.equal(blockBatches([block(0), undefined]), undefined, 'a block without batch histograms: no batches at all');
});
