/**
 * The ledger generator on a worker thread. The main thread keeps the COPY sockets
 * (pg-copy-streams, socket writes: about a quarter of the client's CPU), so generation
 * no longer takes turns with them on one thread, and the generating thread competes
 * for a core as a thread of its own next to the server's five COPY backends.
 *
 * The same {@link LedgerGenerator} makes the same bytes in the same order: each chunk's
 * filled Buffers are moved (transferred, not copied) to the main thread, which writes
 * them in arrival order and acknowledges each chunk once its streams took it, so at
 * most {@link MAX_AHEAD} chunks are in flight (backpressure as before).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createCalendar } from './calendar.js';
import { buildValuePools } from './value-pools.js';
import { GENERATED_TABLES, LedgerGenerator, balanceRows, type GeneratedTable } from './ledger-generator.js';
import type { FromGenerator, GeneratorJob } from './generator-thread.js';

/** Chunks generated ahead of the main thread's acknowledgements. */
const MAX_AHEAD = 2;

const job = workerData as GeneratorJob;
const port = parentPort!;
const cal = createCalendar(job.asOf);
const gen = new LedgerGenerator({
  seed: job.seed,
  entries: job.entries,
  accounts: job.accounts,
  userAddresses: job.userAddresses,
  zipfTheta: job.zipfTheta,
  scatterKey: job.scatterKey,
  calendar: cal,
  pools: buildValuePools(job.seed),
});

let inFlight = 0;
let wake: (() => void) | undefined;
port.on('message', () => {
  inFlight--;
  wake?.();
});

/** Posts the Buffers each table has filled; the last call (`final`) includes the partial ones. */
function post(final: boolean): void {
  const bufs = {} as Record<GeneratedTable, Uint8Array[]>;
  const transfer: ArrayBuffer[] = [];
  for (const t of GENERATED_TABLES) {
    if (final) gen.out[t].seal();
    bufs[t] = gen.out[t].take().map((b) => {
      // A CopyBuffer's Buffers own their ArrayBuffer (1 MiB, never from Node's small
      // pool): move it. Anything else (a pooled slice) is copied.
      if (b.buffer.byteLength > Buffer.poolSize && !transfer.includes(b.buffer as ArrayBuffer)) {
        transfer.push(b.buffer as ArrayBuffer);
        return new Uint8Array(b.buffer, b.byteOffset, b.length);
      }
      return new Uint8Array(b);
    });
  }
  const msg: FromGenerator = { type: 'chunk', bufs, counts: gen.counts, fraction: gen.fraction };
  port.postMessage(msg, transfer);
  inFlight++;
}

async function run(): Promise<void> {
  while (gen.nextChunk(job.chunkEntries)) {
    post(false);
    while (inFlight >= MAX_AHEAD) await new Promise<void>((r) => (wake = r));
  }
  post(true);
  const done: FromGenerator = { type: 'done', counts: gen.counts, balances: balanceRows(gen, cal, job.accountCreatedTs) };
  port.postMessage(done);
}

run().catch((err: unknown) => {
  const msg: FromGenerator = { type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  port.postMessage(msg);
});
