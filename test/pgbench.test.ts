import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePgbenchScript } from '../src/workload/pgbench/script.js';
import { compileExpression } from '../src/workload/pgbench/expr.js';
import { randomExponential, randomGaussian, randomUniform, randomZipfian } from '../src/workload/pgbench/random.js';
import { SlotRng } from '../src/random/rng.js';
import { pgbenchTransaction } from '../src/workload/pgbench/workload.js';
import type { Conn } from '../src/workload/types.js';

const noRand = (): number => {
  throw new Error('no draw expected');
};

function evalExpr(src: string, vars: Record<string, number> = {}): number {
  const table = { slots: new Map(Object.keys(vars).map((k, i) => [k, { index: i, isInt: true }])) };
  const c = compileExpression(src, table);
  return c.fn(Float64Array.from(Object.values(vars)), noRand);
}

test('integer arithmetic follows pgbench (C) semantics', () => {
  assert.equal(evalExpr('1 + 2 * 3'), 7);
  assert.equal(evalExpr('(1 + 2) * 3'), 9);
  assert.equal(evalExpr('7 / 2'), 3);
  assert.equal(evalExpr('-7 / 2'), -3);
  assert.equal(evalExpr('-7 % 3'), -1);
  assert.equal(evalExpr('7.0 / 2'), 3.5);
  assert.equal(evalExpr('10 * :scale + 1', { scale: 3 }), 31);
  assert.equal(evalExpr('(1021 * :aid) % (100000 * :scale) + 1', { aid: 200, scale: 1 }), 4201);
  assert.equal(evalExpr('abs(-4) + least(3, 1, 2) + greatest(1, 5)'), 10);
  assert.throws(() => evalExpr('1 / 0'), /division by zero/);
  assert.throws(() => evalExpr(':nope + 1'), /undefined variable/);
  assert.throws(() => evalExpr('1 +'), /unexpected end/);
});

test('random functions: ranges, pgbench parameter checks, shapes', () => {
  const r = new SlotRng(11);
  const u = (): number => r.next();
  const counts = new Map<number, number>();
  for (let i = 0; i < 20000; i++) {
    const v = randomUniform(u, 1, 4);
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  assert.deepEqual([...counts.keys()].sort(), [1, 2, 3, 4]);
  // Exponential with parameter 5: the first tenth of the range gets 1 - e^-0.5 ≈ 39%.
  let low = 0;
  for (let i = 0; i < 20000; i++) if (randomExponential(u, 1, 1000, 5) <= 100) low++;
  assert.ok(Math.abs(low / 20000 - (1 - Math.exp(-0.5)) / (1 - Math.exp(-5))) < 0.02, `low ${low}`);
  // Gaussian with parameter 2: within ±1 sd (middle half of the range) ≈ 0.6827/0.9545.
  let mid = 0;
  for (let i = 0; i < 20000; i++) {
    const v = randomGaussian(u, 1, 1000, 2);
    assert.ok(v >= 1 && v <= 1000);
    if (v > 250 && v <= 750) mid++;
  }
  assert.ok(Math.abs(mid / 20000 - 0.6827 / 0.9545) < 0.02, `mid ${mid}`);
  // Zipfian s=2: P(1)/P(2) = 2^2 = 4.
  let one = 0;
  let two = 0;
  for (let i = 0; i < 40000; i++) {
    const v = randomZipfian(u, 1, 100, 2);
    assert.ok(v >= 1 && v <= 100);
    if (v === 1) one++;
    if (v === 2) two++;
  }
  assert.ok(Math.abs(one / two - 4) < 0.4, `ratio ${one / two}`);
  assert.throws(() => randomUniform(u, 5, 1), /empty range/);
  assert.throws(() => randomGaussian(u, 1, 10, 1.5), /at least 2/);
  assert.throws(() => randomExponential(u, 1, 10, 0), /greater than zero/);
  assert.throws(() => randomZipfian(u, 1, 10, 1.0), /zipfian parameter/);
});

test('script parser: \\set, \\sleep, multi-line SQL with :vars as bind parameters', () => {
  const s = parsePgbenchScript(
    [
      '-- pgbench tpcb-like, trimmed',
      '\\set aid random(1, 100000 * :scale)',
      '\\set delta random(-5000, 5000)',
      '\\sleep 2 ms',
      'BEGIN;',
      'UPDATE pgbench_accounts',
      '   SET abalance = abalance + :delta',
      ' WHERE aid = :aid;',
      "SELECT abalance::text, ':notavar' FROM pgbench_accounts WHERE aid = :aid; END;",
    ].join('\n'),
  );
  const kinds = s.commands.map((c) => c.kind);
  assert.deepEqual(kinds, ['set', 'set', 'sleep', 'sql', 'sql', 'sql', 'sql']);
  const sql = s.commands.filter((c) => c.kind === 'sql');
  assert.deepEqual(
    sql.map((c) => c.text),
    ['BEGIN', 'UPDATE pgbench_accounts\n   SET abalance = abalance + $1\n WHERE aid = $2', "SELECT abalance::text, ':notavar' FROM pgbench_accounts WHERE aid = $1", 'END'],
  );
  assert.deepEqual((sql[1] as { paramNames: string[] }).paramNames, ['delta', 'aid']);
  const sleep = s.commands[2]!;
  assert.equal(sleep.kind === 'sleep' && sleep.micros.fn(new Float64Array(10), noRand), 2000);
  assert.throws(() => parsePgbenchScript('\\gset\nSELECT 1;'), /not supported/);
  assert.throws(() => parsePgbenchScript('SELECT :missing;'), /undefined variable/);
  assert.throws(() => parsePgbenchScript('\\set x 1'), /no SQL/);
});

const SCRIPT = ['\\set a 3', 'SELECT :a;', '\\sleep 20 ms', '\\set b :a * 2 + :client_id', 'SELECT :b, :a;', 'SELECT 0;'].join('\n');
const strip = (log: string[]): string[] => log.map((l) => l.replace(/ @\d+$/, ''));

/**
 * A connection (id 5) that logs each statement with its values and the ms since it was
 * made, answers 1 ms later, checks one query at a time, and fails the statement named
 * by `fail` with SQLSTATE 22012. `withSend`: it answers through `send` and refuses `query`.
 */
function loggingConn(withSend: boolean): { conn: Conn & { id: number }; log: string[]; fail: (text: string | undefined) => void } {
  const log: string[] = [];
  const t0 = performance.now();
  let open = 0;
  let failing: string | undefined;
  const answer = (text: string, values: readonly unknown[] | undefined): Promise<Error | undefined> => {
    assert.equal(open, 0, 'one query at a time');
    open++;
    log.push(`${text} ${JSON.stringify(values ?? [])} @${Math.round(performance.now() - t0)}`);
    return new Promise((r) =>
      setTimeout(() => {
        open--;
        r(text === failing ? Object.assign(new Error('boom'), { code: '22012' }) : undefined);
      }, 1),
    );
  };
  const conn: Conn & { id: number } = withSend
    ? {
        id: 5,
        query: () => {
          throw new Error('query is not used when send exists');
        },
        send: (text, values, _name, done) => void answer(text, values).then(done),
      }
    : {
        id: 5,
        query: async (text: string, values?: readonly unknown[]) => {
          const err = await answer(text, values);
          if (err) throw err;
          return { rows: [], rowCount: 0 };
        },
      } as Conn & { id: number };
  return { conn, log, fail: (t) => (failing = t) };
}

test('a script runs its steps in order: variables, sleeps, each query after the previous one answered, errors reject', async () => {
  const tx = pgbenchTransaction(SCRIPT, { name: 't' });
  const { conn, log, fail } = loggingConn(false);
  const p = tx.execute(conn, new SlotRng(1));
  assert.ok(p instanceof Promise);
  await p;
  assert.deepEqual(strip(log), ['SELECT $1 [3]', 'SELECT $1, $2 [11,3]', 'SELECT 0 []']);
  assert.ok(Number(log[1]!.split('@')[1]) - Number(log[0]!.split('@')[1]) >= 19, `the sleep comes before the second query: ${log}`);
  // A failing query rejects the transaction and the steps after it do not run.
  log.length = 0;
  fail('SELECT $1, $2');
  await assert.rejects(tx.execute(conn, new SlotRng(1)), (e: { code?: string }) => e.code === '22012');
  assert.deepEqual(strip(log), ['SELECT $1 [3]', 'SELECT $1, $2 [11,3]']);
  // A query call that throws at once still rejects (the engine awaits the promise).
  const throwing = { id: 0, query: () => { throw new Error('sync'); } } as unknown as Conn;
  const r = tx.execute(throwing, new SlotRng(1));
  await assert.rejects(r, /sync/);
});

test('the callback form (start) runs the same steps on connections with send, reports errors to done, never from inside the call', async () => {
  const tx = pgbenchTransaction(SCRIPT, { name: 't' });
  const { conn, log, fail } = loggingConn(true);
  const run = (t: typeof tx, c: Conn): Promise<Error | undefined> =>
    new Promise((resolve) => {
      let returned = false;
      t.start!(c, new SlotRng(1), (err) => {
        assert.ok(returned, 'done is never called from inside start');
        resolve(err);
      });
      returned = true;
    });
  assert.equal(await run(tx, conn), undefined);
  assert.deepEqual(strip(log), ['SELECT $1 [3]', 'SELECT $1, $2 [11,3]', 'SELECT 0 []']);
  assert.ok(Number(log[1]!.split('@')[1]) - Number(log[0]!.split('@')[1]) >= 19, `the sleep comes before the second query: ${log}`);
  // A failing query ends the transaction with its error; the steps after it do not run.
  log.length = 0;
  fail('SELECT $1, $2');
  assert.equal(((await run(tx, conn)) as { code?: string } | undefined)?.code, '22012');
  assert.deepEqual(strip(log), ['SELECT $1 [3]', 'SELECT $1, $2 [11,3]']);
  // A throwing expression (division by zero) is reported to done, later.
  assert.match(String(await run(pgbenchTransaction('\\set z 1 / 0\nSELECT :z;', { name: 'z' }), conn)), /division by zero/i);
  // Without send, start runs execute's promise path on query.
  const plain = loggingConn(false);
  assert.equal(await run(tx, plain.conn), undefined);
  assert.deepEqual(strip(plain.log), ['SELECT $1 [3]', 'SELECT $1, $2 [11,3]', 'SELECT 0 []']);
});
