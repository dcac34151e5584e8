/** The pure parts of the evidence: plan summaries, SQL normalisation, counter deltas. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarizePlan, PLAN_TEXT_LINES } from '../../src/compare/plan-summary.js';
import { indexDeltas, normalizeSql, statementDelta, type IndexCounters, type StatementCounters } from '../../src/compare/server-counters.js';

test('summarizePlan walks the tree: top node, times, buffers, every index once, a text rendering', () => {
  const plan = summarizePlan({
    'Planning Time': 0.2,
    'Execution Time': 1.5,
    Plan: {
      'Node Type': 'Nested Loop', 'Actual Total Time': 1.4, 'Actual Rows': 3, 'Actual Loops': 1, 'Shared Hit Blocks': 10, 'Shared Read Blocks': 2,
      Plans: [
        { 'Node Type': 'Index Scan', 'Index Name': 'a_idx', 'Relation Name': 'a', 'Actual Total Time': 0.1, 'Actual Rows': 3, 'Actual Loops': 1 },
        { 'Node Type': 'Index Only Scan', 'Index Name': 'b_idx', 'Relation Name': 'b', Plans: [{ 'Node Type': 'Index Scan', 'Index Name': 'a_idx' }] },
        { 'Node Type': 'Seq Scan', 'Relation Name': 'c' },
      ],
    },
  }, { x: 1 });
  assert.equal(plan.topNode, 'Nested Loop');
  assert.equal(plan.executionMs, 1.5);
  assert.equal(plan.planningMs, 0.2);
  assert.deepEqual([plan.sharedHit, plan.sharedRead], [10, 2]);
  assert.deepEqual(plan.indexes, ['a_idx', 'b_idx']);
  assert.deepEqual(plan.nodeTypes, ['Nested Loop', 'Index Scan', 'Index Only Scan', 'Seq Scan']);
  assert.deepEqual(plan.params, { x: 1 });
  assert.equal(plan.text.split('\n')[1], '-> Index Scan using a_idx on a (actual 0.100 ms, rows 3, loops 1)');
  assert.equal(plan.text.split('\n')[3], '  -> Index Scan using a_idx');
});

test('summarizePlan truncates a long plan', () => {
  let node = { 'Node Type': 'Seq Scan' } as { 'Node Type': string; Plans?: unknown[] };
  for (let i = 0; i < 50; i++) node = { 'Node Type': 'Append', Plans: [node] };
  const plan = summarizePlan({ Plan: node as never });
  assert.equal(plan.text.split('\n').length, PLAN_TEXT_LINES + 1);
  assert.match(plan.text, /\.\.\. 21 more nodes$/);
});

test('normalizeSql matches pg_stat_statements text to the scenario SQL', () => {
  const ours = `SELECT id FROM journal_entries\n WHERE date >= $1 AND source = $2 AND status = 'Posted'\n LIMIT 200`;
  const pgss = 'SELECT id FROM journal_entries\n WHERE date >= $1 AND source = $2 AND status = $3\n LIMIT $4';
  assert.equal(normalizeSql(ours), normalizeSql(pgss));
  assert.notEqual(normalizeSql(ours), normalizeSql(pgss.replace('source', 'status')));
});

const counters = (queryid: string, query: string, calls: number, total: number): StatementCounters => ({ queryid, query, calls, totalExecMs: total, rows: calls, sharedBlksHit: calls * 2, sharedBlksRead: 0, blkReadMs: 0 });

test('statementDelta: by query id, else by normalized text; none when it did not run', () => {
  const before = new Map([['1', counters('1', 'SELECT $1', 10, 5)]]);
  const after = new Map([['1', counters('1', 'SELECT $1', 30, 15)], ['2', counters('2', 'SELECT a FROM t WHERE b = $1', 4, 2)]]);
  assert.deepEqual(statementDelta(before, after, { queryid: '1', sql: 'x' }), { calls: 20, totalExecMs: 10, meanExecMs: 0.5, rows: 20, sharedBlksHit: 40, sharedBlksRead: 0, blkReadMs: 0 });
  assert.equal(statementDelta(before, after, { sql: 'select a from t where b = 7' })?.calls, 4);
  assert.equal(statementDelta(before, after, { queryid: '3', sql: 'SELECT $1' }), undefined);
  assert.equal(statementDelta(after, after, { queryid: '1', sql: 'x' }), undefined);
});

test('indexDeltas folds partitions into their root and sorts by scans', () => {
  const idx = (index: string, scans: number, partition = false): IndexCounters => ({ index, table: 't', scans, sizeBytes: 100, unique: false, primary: false, partition });
  const before = new Map([['1', idx('p_idx', 5, true)], ['2', idx('p_idx', 0, true)], ['3', idx('plain', 7)]]);
  const after = new Map([['1', idx('p_idx', 9, true)], ['2', idx('p_idx', 3, true)], ['3', idx('plain', 7)], ['4', idx('new', 1)]]);
  assert.deepEqual(indexDeltas(before, after), [
    { index: 'p_idx', table: 't', sizeBytes: 200, idxScanDelta: 7, partitions: 2, unique: false, primary: false },
    { index: 'new', table: 't', sizeBytes: 100, idxScanDelta: 1, unique: false, primary: false },
    { index: 'plain', table: 't', sizeBytes: 100, idxScanDelta: 0, unique: false, primary: false },
  ]);
});

test('attachEvidence: none for a partial run; a failure is a note, never a failed run', async () => {
  const { attachEvidence } = await import('../../src/compare/evidence.js');
  const { result } = await import('../helpers/result-fixture.js');
  let asked = 0;
  const failing = { finish: () => { asked++; return Promise.reject(new Error('connection refused')); } };
  const partial = result('x', [], { partial: true });
  await attachEvidence(partial, failing);
  assert.equal(asked, 0, 'a partial run is not asked for evidence');
  assert.equal(partial.evidence, undefined);
  const complete = result('x', []);
  await attachEvidence(complete, failing);
  assert.equal(complete.evidence, undefined);
  assert.deepEqual(complete.notes, ['server evidence not collected: connection refused']);
});
