/**
 * Main-thread side of ./generator-worker.ts: starts the worker and hands out its
 * chunks in order. See the worker's comment for why generation runs on its own thread.
 */
import { Worker } from 'node:worker_threads';
import type { GeneratedTable, LedgerGeneratorOptions } from './ledger-generator.js';

/**
 * What the worker needs to build the same generator as the main thread would: the
 * generator's plain options (the calendar and value pools are rebuilt from `asOf` and
 * `seed`; they do not cross threads).
 */
export type GeneratorJob = Pick<LedgerGeneratorOptions, 'seed' | 'entries' | 'accounts' | 'userAddresses' | 'zipfTheta' | 'scatterKey'> & {
  asOf: string;
  chunkEntries: number;
  /** accounts.created_at COPY text by account id (index 0 unused), for account_balances. */
  accountCreatedTs: string[];
};

/** Messages from the worker. */
export type FromGenerator =
  | { type: 'chunk'; bufs: Record<GeneratedTable, Uint8Array[]>; counts: Record<GeneratedTable, number>; fraction: number }
  | { type: 'done'; counts: Record<GeneratedTable, number>; balances: string }
  | { type: 'error'; message: string };

/** One chunk of COPY text per table, with the running row counts. */
export interface GeneratedChunk {
  bufs: Record<GeneratedTable, Buffer[]>;
  counts: Record<GeneratedTable, number>;
  fraction: number;
}

/** The end of the pass: final row counts and account_balances as COPY text. */
export interface GeneratedEnd {
  counts: Record<GeneratedTable, number>;
  balances: string;
}

/**
 * Young generation of the generating thread. Nearly everything it allocates is a short
 * row string that dies at once; a bigger nursery means fewer scavenges (generation
 * alone of 300,000 medium entries: 4.1-5.2 CPU-s with the default, 3.5-4.2 with this,
 * docs/performance.md's history). Costs up to this much more memory while seeding.
 */
const YOUNG_GENERATION_MB = 192;

/** Code run first in the worker: registers tsx so the TypeScript entry can load (as src/engine does). */
function bootstrapCode(): string {
  const api = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./generator-worker.ts', import.meta.url).href;
  return (
    `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })` +
    `.catch((e) => { require('node:worker_threads').parentPort.postMessage({ type: 'error', message: String(e && e.stack || e) }); });`
  );
}

/**
 * Runs the generator on a worker thread. `onChunk` is called for each chunk in order;
 * the worker is told to go on once the promise it returns resolves (at most two
 * chunks are generated ahead). Resolves with the end of the pass; a worker error
 * rejects (and the worker is stopped).
 */
export async function generateOnThread(job: GeneratorJob, onChunk: (c: GeneratedChunk) => Promise<void>): Promise<GeneratedEnd> {
  const worker = new Worker(bootstrapCode(), { eval: true, workerData: job, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
  const queue: FromGenerator[] = [];
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  worker.on('message', (m: FromGenerator) => {
    queue.push(m);
    wake?.();
  });
  worker.on('error', (err) => {
    failure ??= err;
    wake?.();
  });
  worker.on('exit', (code) => {
    failure ??= new Error(`seed generator thread exited (code ${code}) before it finished`);
    wake?.();
  });
  try {
    for (;;) {
      const m = queue.shift();
      if (!m) {
        if (failure) throw failure;
        await new Promise<void>((r) => (wake = r));
        continue;
      }
      if (m.type === 'error') throw new Error(`seed generator thread: ${m.message}`);
      if (m.type === 'done') return { counts: m.counts, balances: m.balances };
      const bufs = {} as Record<GeneratedTable, Buffer[]>;
      for (const [t, list] of Object.entries(m.bufs) as [GeneratedTable, Uint8Array[]][]) {
        bufs[t] = list.map((u) => Buffer.from(u.buffer, u.byteOffset, u.length));
      }
      await onChunk({ bufs, counts: m.counts, fraction: m.fraction });
      worker.postMessage('ack');
    }
  } finally {
    await worker.terminate();
  }
}
