/**
 * A run that does not finish never exits 0 or 99, and a short server outage does not
 * end a run (issue 7, defects 3 and 4). The server here is a private embedded one
 * (test/helpers/private-server.ts), killed and restarted with pg_ctl mid-run; the
 * suite's shared server is never touched.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, lastLines } from '../helpers/cli.js';
import { startPrivateServer, type PrivateServer } from '../helpers/private-server.js';
import { resultSchema } from '../../src/result/schema.js';
import { tempDir } from '../helpers/temp-dir.js';

let server: PrivateServer;
let dir: string;
let script: string;

before(async () => {
  server = await startPrivateServer();
  dir = tempDir('faults');
  script = join(dir, 'nap.sql');
  // 50 ms per transaction at 50/s: two or three are always in flight when the fault hits.
  writeFileSync(script, 'SELECT pg_sleep(0.05);\n');
});

after(async () => {
  await server?.destroy();
});

/** The one result file a run wrote to `out`. */
function resultIn(out: string) {
  const files = readdirSync(out);
  assert.equal(files.length, 1, `one result file in ${out}: ${files.join(', ')}`);
  return resultSchema.parse(JSON.parse(readFileSync(join(out, files[0]!), 'utf8')));
}

test('pg_ctl restart -m fast mid-run: connections come back, the run completes (exit 0), the gap is in the result', { timeout: 120_000 }, async () => {
  const out = join(dir, 'restart');
  let restarted = false;
  const r = await cli(
    ['run', '--sql-file', script, '--database-url', server.url, '--rate', '50', '--connections', '4', '--duration', '6s', '--warmup', '0.5s',
      '--reconnect-timeout', '30s', '--budget', 'max<100000', '--out', out],
    {
      onStderr: (all) => {
        if (!restarted && /\[ +2s run\]/.test(all)) {
          restarted = true;
          server.restart();
        }
      },
    },
  );
  assert.ok(restarted, r.stderr);
  const res = resultIn(out);
  assert.equal(res.partial, false, `${res.partialReason}\n${r.stderr}`);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(lastLines(r.stderr, 2), ['run complete', 'ledger-bench run: exit 0 (ok)']);
  assert.ok((res.connectionsLost ?? 0) >= 4, `all 4 connections lost: ${res.connectionsLost}`);
  assert.ok((res.connectionsReplaced ?? 0) >= 4, `and re-established: ${res.connectionsReplaced}`);
  // Transactions in flight when the backends were terminated count by SQLSTATE (57P01) or as CONNECTION_LOST.
  const s = res.scenarios[0]!;
  const lost = Object.entries(s.errorsByCode).filter(([k]) => k.startsWith('57P') || k === 'CONNECTION_LOST').reduce((a, [, n]) => a + n, 0);
  assert.ok(lost >= 1, JSON.stringify(s.errorsByCode));
  assert.equal(s.errors, Object.values(s.errorsByCode).reduce((a, n) => a + n, 0));
  // Most of the 300 slots still ran: the run went on after the restart.
  assert.ok(s.count >= 200, `count ${s.count}`);
  // The gap: an outage with an end, a second with no live connection, errors in the series.
  assert.equal(res.outages?.length, 1, JSON.stringify(res.outages));
  const o = res.outages![0]!;
  assert.ok(o.endSec !== null && o.endSec > o.startSec && o.startSec > 2, JSON.stringify(o));
  const tl = res.timeline ?? [];
  const gap = tl.filter((p) => p.connectionsMin === 0);
  assert.ok(gap.length >= 1, JSON.stringify(tl));
  assert.ok(tl.some((p) => p.errors > 0 && p.errorsByCode && Object.keys(p.errorsByCode).length > 0), JSON.stringify(tl));
  // The seconds after the gap run at the full rate again, with all connections back.
  const last = tl.at(-1)!;
  assert.equal(last.connections, 4);
  assert.match(r.stderr, /server reachable again/);
  assert.match(r.stdout, /connections lost \d+, re-established \d+; no connection for [\d.]+ s at [\d.]+ s/);
});

test('SIGINT mid-run: exit 130, partial result written, the last line says so', { timeout: 120_000 }, async () => {
  const out = join(dir, 'sigint');
  let sent = false;
  const r = await cli(['run', '--sql-file', script, '--database-url', server.url, '--rate', '50', '--duration', '20s', '--warmup', '0s', '--out', out], {
    onStderr: (all, child) => {
      if (!sent && /\[ +1s run\]/.test(all)) {
        sent = true;
        child.kill('SIGINT');
      }
    },
  });
  assert.ok(sent, r.stderr);
  assert.equal(r.code, 130, r.stderr);
  assert.deepEqual(lastLines(r.stderr, 2), ['run ended partial (interrupted by SIGINT)', 'ledger-bench run: exit 130 (interrupted)']);
  const res = resultIn(out);
  assert.equal(res.partial, true);
  assert.equal(res.partialKind, 'interrupted');
  assert.ok((res.measuredSec ?? 20) < 10, `measured ${res.measuredSec}`);
});

test('server killed mid-run and not back within --reconnect-timeout: exit 1, partial result written', { timeout: 120_000 }, async () => {
  const out = join(dir, 'kill');
  let killed = false;
  const t = performance.now();
  const r = await cli(
    ['run', '--sql-file', script, '--database-url', server.url, '--rate', '50', '--duration', '30s', '--warmup', '0s', '--reconnect-timeout', '2s', '--out', out],
    {
      onStderr: (all) => {
        if (!killed && /\[ +1s run\]/.test(all)) {
          killed = true;
          server.kill();
        }
      },
    },
  );
  assert.ok(killed, r.stderr);
  assert.equal(r.code, 1, r.stderr);
  const [detail, exit] = lastLines(r.stderr, 2);
  assert.match(detail!, /^run ended partial \(server connection lost for more than 2 s: .*\)$/);
  assert.equal(exit, 'ledger-bench run: exit 1 (failed)');
  assert.ok(performance.now() - t < 25_000, 'the run ended when the reconnect limit passed, not at the end of its schedule');
  const res = resultIn(out);
  assert.equal(res.partial, true);
  assert.equal(res.partialKind, 'broken');
  assert.equal(res.outages?.at(-1)?.endSec, null, JSON.stringify(res.outages));
  assert.ok((res.measuredSec ?? 30) < 10, `measured ${res.measuredSec}`);
});
