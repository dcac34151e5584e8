/**
 * CPU per transaction of the engine's query path alone, for a pgbench script's
 * transaction: the script's `\set` and bind values (`TransactionType.start`), the Bind +
 * Execute + Sync message (`WireSession`), and parsing the server's answer (BindComplete,
 * DataRow, CommandComplete, ReadyForQuery) up to the transaction's `done`. No socket,
 * no kernel, no server: the socket's write is a no-op and the answer is a canned buffer
 * handed to the session's reader, one transaction after another on one thread. What is
 * left is the JavaScript the engine runs per transaction between the kernel's read and
 * write, which bench/engine-vs-pgbench.ts cannot separate from the kernel and the server.
 * bench/runner-cpu.ts measures the other half (scheduler, backlog, recorder).
 *
 *   node --import tsx bench/wire-cpu.ts [--n 1000000] [--rounds 5]
 *
 * Beside it, the same work as bench/node-floor.ts does it (a Bind built by hand, the
 * answer recognised by its last message): the least any Node client pays here.
 */
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { WireSession } from '../src/engine/wire.js';
import { pgbenchTransaction } from '../src/workload/pgbench/workload.js';
import { mixSeed, SlotRng } from '../src/random/rng.js';
import type { Conn } from '../src/workload/types.js';
import { arg } from './arg.js';
import { floorBind } from './node-floor.js';

const n = Number(arg('n', '1000000'));
const rounds = Number(arg('rounds', '5'));
const SCRIPT = '\\set aid random(1, 1000000)\nSELECT abalance FROM pgbench_accounts WHERE aid = :aid;\n';

/** A backend message: type byte, length, body. */
function msg(type: number, body: Buffer | number[] | string = []): Buffer {
  const b = Buffer.isBuffer(body) ? body : Buffer.from(body as never);
  const m = Buffer.allocUnsafe(5 + b.length);
  m[0] = type;
  m.writeInt32BE(4 + b.length, 1);
  b.copy(m, 5);
  return m;
}

// What PostgreSQL answers for the PK lookup: first time (Parse + Describe(statement)
// + Bind + Execute + Sync), then every time (Bind + Execute + Sync).
const column = Buffer.concat([Buffer.from('abalance\0'), Buffer.from([0, 0, 0, 1, 0, 1, 0, 0, 0, 23, 0, 4, 0xff, 0xff, 0xff, 0xff, 0, 0])]);
const row = msg(0x44, [0, 1, 0, 0, 0, 1, 0x30]);
const tail = [row, msg(0x43, 'SELECT 1\0'), msg(0x5a, 'I')];
const FIRST = Buffer.concat([msg(0x31), msg(0x74, [0, 1, 0, 0, 0, 23]), msg(0x54, Buffer.concat([Buffer.from([0, 1]), column])), msg(0x32), ...tail]);
const ANSWER = Buffer.concat([msg(0x32), ...tail]);

let writes = 0;
const sock = Object.assign(new EventEmitter(), { write: (_b: Buffer) => ++writes > 0 });
let reader!: (b: Buffer, n: number) => void;
const wire = new WireSession(sock as unknown as Socket, () => undefined, { setReader: (r) => (reader = r) });
const conn: Conn = {
  query: () => Promise.reject(new Error('not used: pgbench scripts go through send')),
  send: (text, values, name, done) => wire.run('prepared', text, values, name ?? '', done),
};
const tx = pgbenchTransaction(SCRIPT, { name: 'pk' });
let completed = 0;
const done = (err: Error | undefined): void => {
  if (err) throw err;
  completed++;
};
tx.start!(conn, new SlotRng(1), done);
reader(FIRST, FIRST.length);

// The floor's way (bench/node-floor.ts, its own encoder): Bind head and tail prebuilt, the value as a string.
const BIND_HEAD = Buffer.from('\0floor_pk\0\0\0\0\x01', 'latin1');
const BIND_TAIL = Buffer.concat([Buffer.from([0, 0]), msg(0x45, [0, 0, 0, 0, 0]), msg(0x53)]);
let floorDone = 0;

const time = (label: string, body: () => void): void => {
  const c0 = process.cpuUsage();
  body();
  const c = process.cpuUsage(c0);
  console.log(`${label}: ${((c.user + c.system) / n).toFixed(3)} us CPU per transaction`);
};
for (let r = 1; r <= rounds; r++) {
  time(`round ${r} engine (start + wire)`, () => {
    for (let i = 0; i < n; i++) {
      const rng = new SlotRng(mixSeed(7, i));
      rng.next(); // the draw that picked the type, as the load runner does
      tx.start!(conn, rng, done);
      reader(ANSWER, ANSWER.length);
    }
  });
  time(`round ${r} floor's loop          `, () => {
    for (let i = 0; i < n; i++) {
      sock.write(floorBind(BIND_HEAD, BIND_TAIL));
      if (ANSWER[ANSWER.length - 6] === 0x5a) floorDone++;
    }
  });
}
if (completed !== rounds * n + 1 || floorDone !== rounds * n) throw new Error(`expected ${rounds * n + 1} transactions, completed ${completed}`);
