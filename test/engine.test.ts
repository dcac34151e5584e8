/**
 * Engine against a real server. Timing assertions are deliberately loose (the machine
 * is shared): they check structure and ordering, not tight milliseconds.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { runLoad } from '../src/engine/run-load.js';
import { ENGINE_APPLICATION_NAME, EngineConn } from '../src/engine/connection.js';
import { resultSchema, writeResultAtomic, mergeResults, readResult } from '../src/result/index.js';
import { countEncoded } from '../src/stats/histogram.js';
import type { Workload } from '../src/workload/types.js';
import { scratchDatabase } from './helpers/db.js';

let db: Awaited<ReturnType<typeof scratchDatabase>>;
let admin: pg.Client;
const silent = (): { write(s: string): boolean; text: string } => {
  const o = { text: '', write: (s: string) => ((o.text += s), true) };
  return o;
};

before(async () => {
  db = await scratchDatabase('engine');
  admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  await admin.query(`
    CREATE TABLE counter (id int PRIMARY KEY, v bigint NOT NULL);
    INSERT INTO counter VALUES (1, 0);
    CREATE SEQUENCE flaky_seq;
    -- Odd calls fail with a serialization failure; sequences are not rolled back, so the
    -- retry (an even call) succeeds. With one connection: exactly one retry per transaction.
    CREATE FUNCTION flaky() RETURNS int LANGUAGE plpgsql AS $$
    BEGIN
      IF nextval('flaky_seq') % 2 = 1 THEN
        RAISE EXCEPTION 'forced serialization failure' USING ERRCODE = '40001';
      END IF;
      RETURN 1;
    END $$;
    CREATE TABLE pgbench_accounts (aid int PRIMARY KEY, abalance int NOT NULL DEFAULT 0);
    INSERT INTO pgbench_accounts (aid) SELECT g FROM generate_series(1, 1000) g;
  `);
});

after(async () => {
  await admin?.end();
  await db?.drop();
});

const sqlWorkload = (name: string, text: string): Workload => ({
  transactions: [{ name, weight: 1, execute: async (conn) => void (await conn.query(text, [], name)) }],
});

test('a 1 s lock stall shows up in the high percentiles of a fixed-rate run', async () => {
  const out = silent();
  const workload: Workload = {
    transactions: [
      { name: 'bump', weight: 1, execute: async (c) => void (await c.query('UPDATE counter SET v = v + 1 WHERE id = 1', [], 'bump')) },
    ],
  };
  const blocker = new pg.Client({ connectionString: db.url });
  await blocker.connect();
  const stall = (async () => {
    await new Promise((r) => setTimeout(r, 1500));
    await blocker.query('BEGIN');
    await blocker.query('UPDATE counter SET v = v WHERE id = 1');
    await new Promise((r) => setTimeout(r, 1000));
    await blocker.query('COMMIT');
  })();
  const r = await runLoad({ databaseUrl: db.url, workload, rate: 100, durationSec: 4, warmupSec: 0.5, connections: 4, output: out });
  await stall;
  await blocker.end();
  const s = r.scenarios[0]!;
  assert.equal(s.offered, 400, 'slots due in the window come from t0 + i/rate');
  assert.equal(s.dropped, 0);
  assert.equal(s.errors, 0);
  assert.ok(s.count >= 380, `count ${s.count}`);
  // Coordinated omission: transactions due during the stall waited ~1 s and that is their latency.
  assert.ok(s.latencyMs.max >= 700, `max ${s.latencyMs.max}`);
  assert.ok(s.latencyMs.p99 >= 300, `p99 ${s.latencyMs.p99}`);
  assert.ok(s.latencyMs.p50 < 100, `p50 ${s.latencyMs.p50}`);
  // Those beyond the 4 blocked connections waited in the backlog: schedule lag, not service time.
  assert.ok(s.lagMs && s.lagMs.max >= 500, `lag max ${s.lagMs?.max}`);
  assert.ok(s.serviceMs.p50 < s.latencyMs.p99);
  assert.ok(r.reachedTarget, out.text);
  assert.match(out.text, /\[ +1s (warmup|run)\] offered 100\/s achieved/);
  assert.ok((r.timeline ?? []).length >= 3);
});

test('tiny pool + slow query: backlog fills, the rest is dropped, warned once, target missed', async () => {
  const out = silent();
  const r = await runLoad({
    databaseUrl: db.url,
    workload: sqlWorkload('slow', 'SELECT pg_sleep(0.05)'),
    rate: 100,
    durationSec: 2,
    warmupSec: 0,
    connections: 1,
    backlog: 3,
    quiet: true,
    output: out,
  });
  const s = r.scenarios[0]!;
  assert.ok(s.dropped >= 100, `dropped ${s.dropped}`);
  assert.ok(s.count <= 45, `count ${s.count}`); // one connection, 50 ms each
  assert.equal(s.offered, 200);
  assert.equal(r.reachedTarget, false);
  assert.equal(out.text.match(/warning: dropping/g)?.length, 1, out.text);
  assert.match(out.text, /target NOT reached/);
  // Backlogged transactions count their wait: latency well above the 50 ms service time.
  assert.ok(s.latencyMs.p95 > 100, `p95 ${s.latencyMs.p95}`);
});

test('40001 is retried up to maxTries, retries are counted, latency includes them', async () => {
  const workload = sqlWorkload('flaky', 'SELECT flaky()');
  const r = await runLoad({ databaseUrl: db.url, workload, rate: 50, durationSec: 1.5, warmupSec: 0, connections: 1, maxTries: 3, quiet: true, output: silent() });
  const s = r.scenarios[0]!;
  assert.equal(s.errors, 0);
  assert.ok(s.count >= 60, `count ${s.count}`);
  assert.equal(s.retries, s.count);
  const once = await runLoad({ databaseUrl: db.url, workload, rate: 50, durationSec: 1, warmupSec: 0, connections: 1, maxTries: 1, quiet: true, output: silent() });
  const o = once.scenarios[0]!;
  assert.equal(o.retries, 0);
  assert.ok((o.errorsByCode['40001'] ?? 0) >= 20, JSON.stringify(o.errorsByCode));
  assert.equal(o.errors, o.errorsByCode['40001']);
  // A pgbench script runs through the callback path (TransactionType.start, Conn.send):
  // its failed first try goes on in the retry loop, with the same count of retries.
  const dir = await mkdtemp(join(tmpdir(), 'lb-flaky-'));
  await writeFile(join(dir, 'flaky.sql'), 'SELECT flaky();\n');
  const script = await runLoad({ databaseUrl: db.url, workload: { kind: 'pgbench-script', path: join(dir, 'flaky.sql') }, rate: 50, durationSec: 1.5, warmupSec: 0, connections: 1, maxTries: 3, quiet: true, output: silent() });
  const p = script.scenarios[0]!;
  assert.equal(p.errors, 0, JSON.stringify(p.errorsByCode));
  assert.ok(p.count >= 60, `count ${p.count}`);
  assert.equal(p.retries, p.count);
});

test('a terminated backend is replaced and counted; the run goes on', async () => {
  const out = silent();
  const killer = (async () => {
    await new Promise((r) => setTimeout(r, 1200));
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`, [ENGINE_APPLICATION_NAME]);
  })();
  const r = await runLoad({ databaseUrl: db.url, workload: sqlWorkload('nap', 'SELECT pg_sleep(0.02)'), rate: 40, durationSec: 3, warmupSec: 0, connections: 2, quiet: true, output: out });
  await killer;
  const s = r.scenarios[0]!;
  assert.ok((r.connectionsReplaced ?? 0) >= 1, `replaced ${r.connectionsReplaced}`);
  const lost = Object.entries(s.errorsByCode).filter(([k]) => k.startsWith('57P') || k === 'CONNECTION_LOST');
  assert.ok(lost.length >= 1, JSON.stringify(s.errorsByCode));
  assert.ok(s.count >= 80, `count ${s.count}`);
  assert.equal(r.partial, false);
  assert.match(out.text, /lost .*replacing/);
});

test('exitOnAbort ends the run on a lost connection and flags it partial; AbortSignal too', async () => {
  const killer = (async () => {
    await new Promise((r) => setTimeout(r, 800));
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`, [ENGINE_APPLICATION_NAME]);
  })();
  const r = await runLoad({ databaseUrl: db.url, workload: sqlWorkload('nap2', 'SELECT pg_sleep(0.02)'), rate: 40, durationSec: 5, warmupSec: 0, connections: 2, exitOnAbort: true, quiet: true, output: silent() });
  await killer;
  assert.equal(r.partial, true);
  assert.match(r.partialReason ?? '', /connection lost/);
  assert.ok((r.measuredSec ?? 5) < 4);

  const ac = new AbortController();
  setTimeout(() => ac.abort(), 700);
  const t = performance.now();
  const a = await runLoad({ databaseUrl: db.url, workload: sqlWorkload('one', 'SELECT 1'), rate: 50, durationSec: 10, warmupSec: 0, signal: ac.signal, quiet: true, output: silent() });
  assert.ok(performance.now() - t < 5000);
  assert.equal(a.partial, true);
  assert.ok(a.scenarios[0]!.count > 10);
});

test('segments of one run merge into the whole run; the result validates and is written atomically', async () => {
  const common = { databaseUrl: db.url, workload: sqlWorkload('sel', 'SELECT 1'), rate: 200, durationSec: 1.5, warmupSec: 0.3, quiet: true, output: silent() } as const;
  const [a, b] = await Promise.all([runLoad({ ...common, segment: { index: 0, count: 2 } }), runLoad({ ...common, segment: { index: 1, count: 2 } })]);
  assert.equal(a.scenarios[0]!.offered, 150);
  assert.equal(b.scenarios[0]!.offered, 150);
  const m = mergeResults([a, b]);
  assert.equal(m.target.segment, null);
  assert.equal(m.target.rate, 200);
  const s = m.scenarios[0]!;
  assert.equal(s.count, a.scenarios[0]!.count + b.scenarios[0]!.count);
  assert.equal(countEncoded(s.histogram), s.count);
  assert.ok(Math.abs(m.achievedRate - 200) < 10, `achieved ${m.achievedRate}`);
  resultSchema.parse(m);
  const dir = await mkdtemp(join(tmpdir(), 'lb-result-'));
  const path = await writeResultAtomic(dir, { ...m, variant: 'baseline', config: { rate: 200 } });
  const back = await readResult(path);
  assert.equal(back.variant, 'baseline');
  assert.deepEqual(back.scenarios[0]!.latencyMs, s.latencyMs);
  assert.ok(back.server && back.server.versionNum >= 130000 && 'shared_buffers' in back.server.settings);
  assert.throws(() => resultSchema.parse({ ...m, scenarios: [{ name: 'x' }] }));
});

test('a pgbench script runs end to end in worker threads (Poisson arrivals)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lb-pgb-'));
  const path = join(dir, 'tx.sql');
  await writeFile(
    path,
    ['\\set aid random(1, 1000)', '\\set delta random(1, 10)', 'BEGIN;', 'UPDATE pgbench_accounts SET abalance = abalance + :delta', '  WHERE aid = :aid;', 'SELECT abalance FROM pgbench_accounts WHERE aid = :aid;', 'END;', ''].join('\n'),
  );
  const r = await runLoad({ databaseUrl: db.url, workload: { kind: 'pgbench-script', path }, rate: 200, durationSec: 2, warmupSec: 0.5, workers: 2, arrival: 'poisson', quiet: true, output: silent() });
  const s = r.scenarios[0]!;
  assert.equal(s.name, 'tx');
  assert.equal(s.errors, 0, JSON.stringify(s.errorsByCode));
  assert.ok(s.count >= 300, `count ${s.count}`);
  assert.equal(r.target.workers, 2);
  const sum = await admin.query<{ n: string }>('SELECT sum(abalance)::text AS n FROM pgbench_accounts');
  assert.ok(Number(sum.rows[0]!.n) > 0);
  assert.ok((await readFile(path, 'utf8')).includes(':aid'), 'the script file is used unchanged');
});

test('Conn.send runs a query without a promise or rows: done once, after the call, with the SQLSTATE error; all query modes', async () => {
  const sendP = (c: EngineConn, text: string, values: unknown[] | undefined, name: string | undefined): Promise<Error | undefined> =>
    new Promise((resolve) => {
      let returned = false;
      let calls = 0;
      c.send(text, values, name, (err) => {
        calls++;
        assert.equal(returned, true, 'done is never called from inside send');
        setImmediate(() => {
          assert.equal(calls, 1, 'done is called once');
          resolve(err);
        });
      });
      returned = true;
    });
  for (const mode of ['prepared', 'extended', 'simple'] as const) {
    const c = new EngineConn(db.url, mode, 0);
    await c.connect();
    try {
      await admin.query('UPDATE counter SET v = 0 WHERE id = 1');
      for (let i = 0; i < 3; i++) assert.equal(await sendP(c, 'UPDATE counter SET v = v + $1 WHERE id = 1', [2], 'bump2'), undefined, mode);
      assert.equal((await admin.query('SELECT v FROM counter WHERE id = 1')).rows[0].v, '6', `${mode}: each send ran once`);
      const err = await sendP(c, 'SELECT $1::int', ['nope'], 'bad-int');
      assert.equal((err as { code?: string } | undefined)?.code, '22P02', mode);
      // The connection goes on, and sends and queries interleave in order.
      const [, r] = await Promise.all([sendP(c, 'SELECT pg_sleep(0.01)', undefined, 'nap'), c.query<{ k: number }>('SELECT $1::int AS k', [9], 'k')]);
      assert.deepEqual(r.rows, [{ k: 9 }]);
      assert.equal(c.transactionStatus(), 'I');
    } finally {
      await c.close();
    }
    // After close: an error, still never from inside the call.
    const gone = await sendP(c, 'SELECT 1', undefined, 'one');
    assert.ok(gone instanceof Error, mode);
  }
  // The node-pg driver has it too (through its promise).
  const viaPg = new EngineConn(db.url, 'prepared', 0, 'pg');
  await viaPg.connect();
  try {
    assert.equal(await sendP(viaPg, 'SELECT $1::int', [1], 'pg-one'), undefined);
    assert.equal(((await sendP(viaPg, 'SELECT 1/0', undefined, undefined)) as { code?: string } | undefined)?.code, '22012');
  } finally {
    await viaPg.close();
  }
});

test('engine connections return what node-pg would: typed rows, SQLSTATE errors, transaction status, all query modes', async () => {
  const c = new EngineConn(db.url, 'prepared', 7);
  await c.connect();
  try {
    assert.equal(c.directReads, true, 'a clear-text connection reads straight into the shared buffer');
    const sql = `SELECT $1::int AS i, $2::bigint AS b, $3::text AS t, $4::bool AS ok, NULL::int AS n,
      $5::timestamptz AS ts, $6::jsonb AS j, $7::int[] AS arr, $8::bytea AS raw, 'é' AS u`;
    const ts = new Date('2024-05-06T07:08:09.123Z');
    const values = [42, '9007199254740993', "it's", true, ts, { a: [1, 2] }, [3, 4], Buffer.from([0, 255])];
    const want = (await admin.query({ text: sql, values })).rows[0] as Record<string, unknown>;
    for (let i = 0; i < 2; i++) {
      // First call parses + describes the named statement, the second only binds and executes.
      const r = await c.query<Record<string, unknown>>(sql, values, 'typed');
      assert.equal(r.rowCount, 1);
      assert.deepEqual(r.rows[0], want);
    }
    // A failing bind on a prepared statement: SQLSTATE, and the statement stays usable.
    await assert.rejects(c.query('SELECT $1::int AS v', ['x'], 'bad-input'), (e: { code?: string }) => e.code === '22P02');
    assert.deepEqual((await c.query('SELECT $1::int AS v', [5], 'bad-input')).rows, [{ v: 5 }]);
    // A statement that does not parse fails the same way every time (never "does not exist").
    for (let i = 0; i < 2; i++) await assert.rejects(c.query('SELEC 1', [], 'syntax'), (e: { code?: string }) => e.code === '42601');
    // Transaction status drives the engine's rollback.
    await c.query('BEGIN');
    assert.equal(c.transactionStatus(), 'T');
    await assert.rejects(c.query('SELECT 1/0'), (e: { code?: string }) => e.code === '22012');
    assert.equal(c.transactionStatus(), 'E');
    await c.query('ROLLBACK');
    assert.equal(c.transactionStatus(), 'I');
    // rowCount of writes, empty results, several statements in one simple query.
    const u = await c.query('UPDATE counter SET v = v WHERE id = $1', [1], 'touch');
    assert.equal(u.rowCount, 1);
    assert.deepEqual((await c.query('SELECT 1 AS x WHERE false', [], 'none')).rows, []);
    const multi = (await c.query('SELECT 1 AS a; SELECT 2 AS b')) as unknown as Array<{ rows: unknown[] }>;
    assert.deepEqual(multi.map((r) => r.rows), [[{ a: 1 }], [{ b: 2 }]]);
    // Answers larger than one read (64 KiB): messages split across reads reassemble,
    // though every read lands in the same reused buffer (direct-socket.ts).
    const big = await c.query<{ s: string }>("SELECT repeat('ab', 150000) || $1::text AS s", ['!'], 'big');
    assert.equal(big.rows[0]!.s, 'ab'.repeat(150000) + '!');
    const rows = await c.query<{ g: number; t: string }>("SELECT g, md5(g::text) AS t FROM generate_series(1, $1::int) g", [20000], 'rows');
    assert.equal(rows.rowCount, 20000);
    assert.deepEqual(rows.rows[19999], { g: 20000, t: (await admin.query("SELECT md5('20000') AS t")).rows[0].t });
    assert.ok(rows.rows.every((r, i) => r.g === i + 1 && r.t.length === 32));
    // Numbers go out as node-pg sends them (their String()): integers are written as
    // digits straight into the message, anything else through node-pg's serialisation.
    const nums = [0, -0, 7, -123, 1000000, 9007199254740991, -9007199254740991, 9007199254740993, 1.5, -2.25e-7, 1e21, NaN];
    for (const v of nums) {
      const got = await c.query<{ t: string }>('SELECT $1::text AS t', [v], 'num');
      assert.equal(got.rows[0]!.t, String(v), `parameter ${v}`);
    }
    // Queries issued without waiting are answered in order.
    const many = await Promise.all([1, 2, 3].map((k) => c.query<{ k: number }>('SELECT $1::int AS k', [k], 'order')));
    assert.deepEqual(many.map((r) => r.rows[0]!.k), [1, 2, 3]);
  } finally {
    await c.close();
  }
  for (const mode of ['extended', 'simple'] as const) {
    const m = new EngineConn(db.url, mode, 0);
    await m.connect();
    try {
      const r = await m.query<{ s: string; i: number }>('SELECT $1::text AS s, $2::int AS i', ["o'k", 3], 'ignored');
      assert.deepEqual(r.rows, [{ s: "o'k", i: 3 }], mode);
      await assert.rejects(m.query('SELECT $1::int', ['nope'], 'ignored'), (e: { code?: string }) => e.code === '22P02');
    } finally {
      await m.close();
    }
  }
});
