/**
 * A precise wake-up for the scheduler without spinning. Node timers have ~1 ms
 * granularity, so the loop used to poll with setImmediate for the last millisecond
 * before a slot: that burns a whole core, which on a small machine shared with the
 * server is taken from PostgreSQL (and makes the kernel treat the client as a CPU hog,
 * so it waits longer for the CPU when a response arrives). Instead a tiny thread sleeps
 * in `Atomics.wait` (sub-millisecond timeouts, a futex) until the armed instant and
 * posts one message; the main thread sleeps in epoll meanwhile and keeps serving I/O.
 */
import { Worker } from 'node:worker_threads';

// Plain JS so the thread needs no loader. Shared layout: f64[0] target (epoch ms, 0 =
// disarmed, -1 = exit); i32[4] generation, bumped on every (re)arm.
const CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const f64 = new Float64Array(workerData, 0, 1);
const i32 = new Int32Array(workerData, 8, 1);
for (;;) {
  const gen = Atomics.load(i32, 0);
  const target = f64[0];
  if (target < 0) break;
  if (target === 0) { Atomics.wait(i32, 0, gen); continue; }
  const wait = target - (performance.timeOrigin + performance.now());
  if (wait > 0) { Atomics.wait(i32, 0, gen, wait); continue; }
  parentPort.postMessage(gen);
  Atomics.wait(i32, 0, gen);
}
`;

export class Ticker {
  private readonly sab = new SharedArrayBuffer(16);
  private readonly f64 = new Float64Array(this.sab, 0, 1);
  private readonly i32 = new Int32Array(this.sab, 8, 1);
  private readonly worker: Worker;
  private stopped = false;

  constructor(onTick: () => void) {
    this.worker = new Worker(CODE, { eval: true, workerData: this.sab });
    this.worker.on('message', (gen: number) => {
      // Ignore a wake-up for a target that was re-armed or disarmed meanwhile.
      if (!this.stopped && gen === Atomics.load(this.i32, 0) && this.f64[0]! > 0) {
        this.f64[0] = 0;
        onTick();
      }
    });
    this.worker.on('error', () => undefined);
    this.worker.unref();
  }

  /** Wakes `onTick` at `epochMs` (performance.timeOrigin + performance.now() scale); replaces any earlier target. */
  arm(epochMs: number): void {
    this.f64[0] = Math.max(epochMs, 1);
    Atomics.add(this.i32, 0, 1);
    Atomics.notify(this.i32, 0);
  }

  disarm(): void {
    if (this.f64[0] === 0) return;
    this.f64[0] = 0;
    Atomics.add(this.i32, 0, 1);
    Atomics.notify(this.i32, 0);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.f64[0] = -1;
    Atomics.add(this.i32, 0, 1);
    Atomics.notify(this.i32, 0);
    await this.worker.terminate();
  }
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/**
 * Blocks this thread for `ms` (a futex with a sub-millisecond timeout, like the ticker
 * thread's): one wake-up by the kernel instead of the ticker's two (its thread, then
 * the event loop), and no CPU meanwhile. The event loop is stopped while it lasts, so
 * the load runner only does this for short waits with no transaction in flight: then
 * no response can arrive whose completion time it would delay.
 */
export function blockFor(ms: number): void {
  if (ms > 0) Atomics.wait(sleepCell, 0, 0, ms);
}
