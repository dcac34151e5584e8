/**
 * Wake-up precision and CPU of the engine's timers, without a database (so without the
 * server's share of the machine in the figure):
 *
 *   node --import tsx bench/engine-timer.ts [--slots 2000] [--rounds 3]
 *
 * Slots 1 ms apart (1,000 TPS); after each slot the loop waits for the next one the way
 * the load runner does with nothing in flight:
 * - ticker: the ticker thread wakes the loop 0.25 ms early, setImmediate polls the rest
 *   (the load runner while a transaction is in flight);
 * - block:  the ticker wakes the loop 1 ms early if the slot is farther, then the thread
 *   blocks in Atomics.wait until it is due (the load runner with nothing in flight);
 * - spin:   setImmediate polling all the way (timer 'spin').
 * Prints the lateness p50/p95/p99 (a late slot makes the following ones late too, as
 * in the engine) and the CPU share of a core, per round, interleaved.
 */
import { Ticker, blockFor } from '../src/engine/ticker.js';
import { arg } from './arg.js';

const N = Number(arg('slots', '2000'));
const rounds = Number(arg('rounds', '3'));
const GAP_MS = 1;

const pct = (a: number[], p: number): number => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
};

async function run(mode: 'ticker' | 'block' | 'spin'): Promise<void> {
  const late: number[] = [];
  const c0 = process.cpuUsage();
  const t0 = performance.now() + 5;
  let i = 0;
  await new Promise<void>((done) => {
    const due = (): number => t0 + i * GAP_MS;
    const fire = (): void => {
      late.push(performance.now() - due());
      if (++i >= N) {
        void ticker?.stop();
        done();
      } else next();
    };
    const spin = (): void => (performance.now() >= due() ? fire() : void setImmediate(spin));
    const next = (): void => {
      const delta = due() - performance.now();
      if (mode === 'ticker') {
        if (delta > 0.25) ticker!.arm(performance.timeOrigin + due() - 0.25);
        else spin();
      } else if (mode === 'block') {
        if (delta > 1) ticker!.arm(performance.timeOrigin + due() - 1);
        else {
          blockFor(delta);
          fire();
        }
      } else spin();
    };
    const ticker = mode === 'spin' ? undefined : new Ticker(next);
    next();
  });
  const c = process.cpuUsage(c0);
  console.log(
    `${mode.padEnd(6)} late p50 ${pct(late, 0.5).toFixed(3)} p95 ${pct(late, 0.95).toFixed(3)} p99 ${pct(late, 0.99).toFixed(3)} ms; ` +
      `CPU ${((c.user + c.system) / 1000 / (N * GAP_MS)).toFixed(2)} core`,
  );
}

const keepAlive = setInterval(() => undefined, 1000); // the ticker thread is unref'd
for (let r = 0; r < rounds; r++) for (const m of ['ticker', 'block', 'spin'] as const) await run(m);
clearInterval(keepAlive);
