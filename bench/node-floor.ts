/**
 * The floor of any Node.js load client on this machine: the least a Node process can do
 * per transaction for the PK-lookup query. Each thread keeps its connections busy with
 * nothing but the protocol bytes: on every read that ends in ReadyForQuery it counts one
 * transaction and writes the next Bind + Execute + Sync (a random aid, the prepared
 * statement parsed once per connection). No scheduler, no histograms, no promises, no
 * result rows, no error handling beyond "stop": it is a reference for
 * bench/engine-vs-pgbench.ts, measured in the same interleaved rounds, so the engine's
 * ratio to pgbench can be split into what Node itself costs (floor / pgbench) and what
 * the engine adds (engine / floor). It is not a load tool and nothing else uses it.
 *
 * node-pg opens and authenticates each connection (any auth method the engine accepts);
 * then the thread takes the socket over with direct reads into one buffer (Node's
 * `onread`, as the engine's direct-socket.ts does).
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const require = createRequire(import.meta.url);

/**
 * The floor's whole per-transaction encoding: Bind (`bindHead`: portal, statement name,
 * format and parameter counts) for a random aid, then `tail` (result formats, Execute,
 * Sync). Its threads get it as source text (they run plain JS), and bench/wire-cpu.ts
 * calls it as is, so both measure the same code. No inner functions or imports: the
 * body must stand alone.
 */
export function floorBind(bindHead: Buffer, tail: Buffer): Buffer {
  const aid = String(1 + Math.floor(Math.random() * 1000000));
  const bodyLen = bindHead.length + 4 + aid.length + 2;
  const b = Buffer.allocUnsafe(5 + bodyLen - 2 + tail.length);
  b[0] = 0x42;
  b.writeInt32BE(4 + bodyLen, 1);
  let o = 5 + bindHead.copy(b, 5);
  b.writeInt32BE(aid.length, o);
  o += 4;
  // Node's own one-byte writer, as Buffer.write(s, o, 'latin1') ends up calling.
  o += (b as unknown as { latin1Write(s: string, at: number): number }).latin1Write(aid, o);
  tail.copy(b, o);
  return b;
}

// Plain JS so threads need no TypeScript loader (their start-up stays out of the figure anyway).
const CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const { Socket } = require('node:net');
const pg = require(workerData.pgPath);
const { url, connections } = workerData;
const TEXT = 'SELECT abalance FROM pgbench_accounts WHERE aid = $1';
const shared = Buffer.allocUnsafe(65536);
let done = 0;
let stopping = false;
const socks = [];

function msg(code, body) {
  const b = Buffer.allocUnsafe(5 + body.length);
  b[0] = code;
  b.writeInt32BE(4 + body.length, 1);
  body.copy(b, 5);
  return b;
}
const z = (s) => Buffer.from(s + '\\0');
const SYNC = msg(0x53, Buffer.alloc(0));
const PARSE = Buffer.concat([msg(0x50, Buffer.concat([z('floor_pk'), z(TEXT), Buffer.from([0, 0])])), SYNC]);
// Bind: portal '', statement 'floor_pk', 0 param formats, 1 param, then its length and text, 0 result formats.
const BIND_HEAD = Buffer.concat([z(''), z('floor_pk'), Buffer.from([0, 0, 0, 1])]);
const TAIL = Buffer.concat([Buffer.from([0, 0]), msg(0x45, Buffer.from([0, 0, 0, 0, 0])), SYNC]);

const floorBind = ${floorBind.toString()};
function next(sock) {
  sock.write(floorBind(BIND_HEAD, TAIL));
}

async function open() {
  let reader;
  const sock = new Socket({
    onread: {
      buffer: shared,
      callback: (n, buf) => {
        if (reader) reader(buf, n);
        else sock.emit('data', Buffer.from(buf.subarray(0, n)));
        return true;
      },
    },
  });
  const client = new pg.Client({ connectionString: url, application_name: 'ledger-bench-node-floor', stream: () => sock });
  // The thread destroys its sockets at the end: node-pg must not turn that into a thrown error.
  client.on('error', () => undefined);
  await client.connect();
  sock.removeAllListeners('data');
  sock.on('error', () => undefined);
  await new Promise((resolve) => {
    // A read ending in ReadyForQuery ('Z', length 5, status) closes a response.
    reader = (buf, n) => {
      if (n >= 6 && buf[n - 6] === 0x5a) {
        reader = (b, m) => {
          if (m >= 6 && b[m - 6] === 0x5a) {
            done++;
            if (!stopping) next(sock);
          }
        };
        resolve();
      }
    };
    sock.write(PARSE);
  });
  socks.push(sock);
}

parentPort.on('message', (m) => {
  if (m === 'go') for (const s of socks) next(s);
  else if (m === 'count') parentPort.postMessage({ done });
  else if (m === 'stop') {
    stopping = true;
    for (const s of socks) s.destroy();
    parentPort.postMessage({ done, stopped: true });
  }
});
Promise.all(Array.from({ length: connections }, open)).then(
  () => parentPort.postMessage({ ready: true }),
  (e) => parentPort.postMessage({ error: String(e && e.message || e) }),
);
`;

/** Throughput and CPU of one floor run. */
export interface FloorResult {
  /** Transactions per second over the measured seconds (warm-up excluded). */
  tps: number;
  /** CPU (user + system) of this process per transaction over the same seconds. */
  cpuUs: number;
}

/** Runs the floor client: `threads` threads sharing `connections`, `warmupSec` unmeasured, then `sec` measured. */
export async function runNodeFloor(url: string, threads: number, connections: number, sec: number, warmupSec = 2): Promise<FloorResult> {
  const pgPath = require.resolve('pg');
  const per = Array.from({ length: threads }, (_, i) => Math.floor(connections / threads) + (i < connections % threads ? 1 : 0));
  const workers = per.map((c) => new Worker(CODE, { eval: true, workerData: { pgPath, url, connections: c } }));
  const ask = (w: Worker, m: string): Promise<{ done: number; ready?: boolean; error?: string }> =>
    new Promise((resolve) => {
      w.once('message', resolve);
      if (m) w.postMessage(m);
    });
  try {
    const ready = await Promise.all(workers.map((w) => ask(w, '')));
    const failed = ready.find((r) => r.error);
    if (failed) throw new Error(`node floor client could not connect: ${failed.error}`);
    workers.forEach((w) => w.postMessage('go'));
    await new Promise((r) => setTimeout(r, warmupSec * 1000));
    const c0 = process.cpuUsage();
    const d0 = (await Promise.all(workers.map((w) => ask(w, 'count')))).reduce((a, r) => a + r.done, 0);
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, sec * 1000));
    const d1 = (await Promise.all(workers.map((w) => ask(w, 'count')))).reduce((a, r) => a + r.done, 0);
    const elapsed = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    await Promise.all(workers.map((w) => ask(w, 'stop')));
    const n = d1 - d0;
    return { tps: n / elapsed, cpuUs: (cpu.user + cpu.system) / Math.max(1, n) };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
