import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { cli, hasStackTrace, lastLines } from '../helpers/cli.js';
import { scratchDatabase } from '../helpers/db.js';
import { resultSchema } from '../../src/result/schema.js';
import { tempDir } from '../helpers/temp-dir.js';

test('run --sql-file: a pgbench script at a fixed rate, result JSON on stdout and on disk, budget gate', { timeout: 120_000 }, async () => {
  const db = await scratchDatabase('runcli');
  const dir = tempDir('run');
  try {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    await c.query('CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t SELECT g, g FROM generate_series(1, 1000) g');
    await c.end();
    const script = join(dir, 'q.sql');
    writeFileSync(script, '\\set id random(1, 1000)\nSELECT v\n  FROM t WHERE id = :id;\n');
    const out = join(dir, 'out');
    // The gate, both ways and deterministic on a loaded machine: a budget every run meets
    // exits 0, one no real query can meet (1 µs) exits 99.
    const r = await cli(['run', '--sql-file', script, '--database-url', db.url, '--rate', '100', '--duration', '2s', '--warmup', '0.5s', '--budget', 'p(95)<60000', '--json', '--quiet', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /budgets met: 1 check on sql-file:q.sql/);
    const result = resultSchema.parse(JSON.parse(r.stdout));
    assert.equal(result.scenarios.length, 1);
    const s = result.scenarios[0]!;
    assert.ok(s.count > 150 && s.count <= 200, `count ${s.count}`);
    assert.equal(s.errors, 0);
    assert.ok(s.latencyMs.p50 > 0 && s.latencyMs.p50 <= s.latencyMs.p95 && s.latencyMs.p95 <= s.latencyMs.max);
    assert.equal(result.target.rate, 100);
    assert.ok(JSON.stringify(result.config).includes('<redacted>'), 'the database URL is not in the result');
    const files = readdirSync(out);
    assert.equal(files.length, 1);
    assert.deepEqual(JSON.parse(readFileSync(join(out, files[0]!), 'utf8')).scenarios[0].count, s.count);

    // ~50 samples: too few for a p95 interval (59), so a p95 budget is not decided: exit 99 by
    // default (strict), 0 with --inconclusive pass; a median budget no query can meet is a decided FAIL.
    const gate = (...extra: string[]) => cli(['run', '--sql-file', script, '--database-url', db.url, '--rate', '50', '--duration', '1s', '--warmup', '0s', '--quiet', '--out', out, ...extra]);
    const open = await gate('--budget-ms', '0.001');
    assert.equal(open.code, 99, open.stderr);
    assert.match(open.stdout, /inconclusive p\(95\)<0.001: [\d.]+ \(59 samples needed for a p95 interval, \d+ measured\)/);
    assert.match(open.stderr, /budgets not decided: 0 pass, 0 fail, 1 inconclusive/);
    assert.deepEqual(lastLines(open.stderr, 2), ['run complete: 1 not decided (inconclusive; --inconclusive pass lets them through)', 'ledger-bench run: exit 99 (a budget failed or was not decided)']);
    const lenient = await gate('--budget-ms', '0.001', '--inconclusive', 'pass');
    assert.equal(lenient.code, 0, lenient.stderr);
    assert.match(lenient.stderr, /budgets met: 1 check on sql-file:q.sql: 0 pass, 0 fail, 1 inconclusive \(1 inconclusive counted as pass: --inconclusive pass\)/);
    const gated = await gate('--budget', 'med<0.001');
    assert.equal(gated.code, 99, gated.stderr);
    assert.match(gated.stdout, /FAIL med<0.001: [\d.]+ \[[\d.]+, [\d.]+\]/);
    assert.match(gated.stderr, /budgets failed: 0 pass, 1 fail, 0 inconclusive\n  sql-file:q.sql \/ q: med<0.001 FAIL \(measured [\d.]+ \[[\d.]+, [\d.]+\]\)/);
  } finally {
    await db.drop();
  }
});

test('run: bad script and missing database are user errors', async () => {
  const dir = tempDir('run');
  const bad = join(dir, 'bad.sql');
  writeFileSync(bad, '\\set x random(1,\nSELECT 1;\n');
  const r1 = await cli(['run', '--sql-file', bad, '--database-url', process.env.DATABASE_URL!]);
  assert.equal(r1.code, 2, r1.stderr);
  assert.match(r1.stderr, /--sql-file .*bad\.sql: line 1/);
  assert.equal(hasStackTrace(r1.stderr), false);
  const r2 = await cli(['run', '--sql-file', join(dir, 'none.sql')]);
  assert.equal(r2.code, 2);
  assert.match(r2.stderr, /none\.sql does not exist/);
  const r3 = await cli(['run', '--variant', 'baseline', '--db-prefix', 'lb_nothing_here', '--database-url', process.env.DATABASE_URL!]);
  assert.equal(r3.code, 2, r3.stderr);
  assert.match(r3.stderr, /database "lb_nothing_here_baseline" does not exist .*run `ledger-bench seed` first/);
});

test('two segments of one schedule, run at once, merge into one result', { timeout: 120_000 }, async () => {
  const db = await scratchDatabase('merge');
  const dir = tempDir('merge');
  try {
    const script = join(dir, 'q.sql');
    writeFileSync(script, '\\set x random(1, 100)\nSELECT :x::int + 1;\n');
    // A budget no run misses, decided on the point value (a p95 budget on a segment's few samples would be inconclusive):
    // this is about merging segments, not about speed on a busy machine.
    const common = ['run', '--sql-file', script, '--database-url', db.url, '--rate', '100', '--duration', '2s', '--warmup', '0.5s', '--budget', 'avg<60000', '--quiet'];
    const [a, b] = await Promise.all([
      cli([...common, '--segment', '1/2', '--out', join(dir, 'a')]),
      cli([...common, '--segment', '2/2', '--out', join(dir, 'b')]),
    ]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const files = ['a', 'b'].map((d) => join(dir, d, readdirSync(join(dir, d))[0]!));
    const parts = files.map((f) => resultSchema.parse(JSON.parse(readFileSync(f, 'utf8'))));
    assert.deepEqual(parts.map((p) => p.target.segment), [{ index: 0, count: 2 }, { index: 1, count: 2 }]);
    const m = await cli(['merge', '--json', '--out', join(dir, 'merged'), ...files]);
    assert.equal(m.code, 0, m.stderr);
    const merged = resultSchema.parse(JSON.parse(m.stdout));
    assert.equal(merged.target.segment, null, 'all segments present: the merged result covers the whole schedule');
    assert.equal(merged.scenarios[0]!.count, parts[0]!.scenarios[0]!.count + parts[1]!.scenarios[0]!.count);
    assert.ok(Math.abs(merged.scenarios[0]!.count - 200) <= 4, `count ${merged.scenarios[0]!.count}`);

    const same = await cli(['merge', '--out', join(dir, 'x'), files[0]!, files[0]!]);
    assert.equal(same.code, 2);
    assert.match(same.stderr, /two results ran the same segment/);
  } finally {
    await db.drop();
  }
});

test('run --sql-file: a statement the server rejects is bad input before the clock starts, with its line; nothing runs', { timeout: 60_000 }, async () => {
  const db = await scratchDatabase('runprep');
  const dir = tempDir('run');
  const c = new pg.Client({ connectionString: db.url });
  c.on('error', () => {}); // the drop below ends it when an assertion failed first
  try {
    await c.connect();
    await c.query('CREATE TABLE t (id int PRIMARY KEY, v int)');
    const script = join(dir, 'q.sql');
    // The INSERT is valid and comes first: it must not run either.
    writeFileSync(script, '\\set id random(1, 1000)\nINSERT INTO t VALUES (:id, 1) ON CONFLICT DO NOTHING;\nSELEC v\n  FROM t WHERE id = :id;\nSELECT nope FROM t;\n');
    const out = join(dir, 'out');
    const r = await cli(['run', '--sql-file', script, '--database-url', db.url, '--rate', '20', '--duration', '1s', '--warmup', '0s', '--quiet', '--out', out]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /2 problems/);
    assert.match(r.stderr, /--sql-file .*q\.sql line 3: syntax error at or near "SELEC" \(SQLSTATE 42601\)/);
    assert.match(r.stderr, /--sql-file .*q\.sql line 5: column "nope" does not exist \(SQLSTATE 42703\)/);
    assert.equal(hasStackTrace(r.stderr), false, r.stderr);
    assert.doesNotMatch(r.stderr, /running pgbench script/, 'no schedule started');
    assert.equal((await c.query('SELECT count(*)::int AS n FROM t')).rows[0].n, 0, 'nothing was executed');
    assert.equal(existsSync(out), false, 'no result written');

    // Transaction control and :variables prepare fine: the same check lets a good script run.
    writeFileSync(script, '\\set id random(1, 1000)\nBEGIN;\nINSERT INTO t VALUES (:id, 1) ON CONFLICT DO NOTHING;\nEND;\n');
    // (A budget no run misses, decided on the point value: 20 samples are too few for a p95 interval.
    // This is about the check, not about speed on a busy machine.)
    const ok = await cli(['run', '--sql-file', script, '--database-url', db.url, '--rate', '20', '--duration', '1s', '--warmup', '0s', '--budget', 'avg<60000', '--quiet', '--out', out]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.ok((await c.query('SELECT count(*)::int AS n FROM t')).rows[0].n > 0);

    // The check parses what the engine will send: untyped bind parameters in prepared
    // mode (where `$1 + $2` fails on every try), literals in simple mode (where it runs).
    writeFileSync(script, '\\set a random(1, 10)\n\\set b random(1, 10)\nSELECT :a + :b;\n');
    const common = ['run', '--sql-file', script, '--database-url', db.url, '--rate', '20', '--duration', '1s', '--warmup', '0s', '--quiet', '--out', out];
    const prepared = await cli([...common, '--query-mode', 'prepared']);
    assert.equal(prepared.code, 2, prepared.stderr);
    assert.match(prepared.stderr, /line 3: operator is not unique: unknown \+ unknown \(SQLSTATE 42725\)/);
    const simple = await cli([...common, '--query-mode', 'simple', '--budget', 'avg<60000']);
    assert.equal(simple.code, 0, simple.stderr);
  } finally {
    await c.end().catch(() => {});
    await db.drop();
  }
});
