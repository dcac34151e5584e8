/**
 * What autocannon does at a fixed rate (`overallRate`), measured: a local server
 * answers in 20 ms, except that it stalls every request for 1 s during one second of
 * the run. Prints when requests arrived (per 100 ms) and autocannon's own latency
 * figures next to the number of responses, so docs/http.md can say what its
 * coordinated-omission "correction" records.
 *
 *     node --import tsx bench/autocannon-co.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import type { ScenarioContext } from '../scenarios/context.js';
import { runHttpLoad } from '../src/api/http-load.js';
import { summarizeHistogram } from '../src/stats/histogram.js';

const autocannon = createRequire(import.meta.url)('autocannon') as (
  o: Record<string, unknown>,
  cb: (err: Error | null, r: Record<string, any>) => void, // eslint-disable-line @typescript-eslint/no-explicit-any
) => void;

const RATE = 50;
const CONNECTIONS = 5;
const DURATION = 6;
const SERVICE_MS = 20;
const STALL_FROM = 3000;
const STALL_MS = 1000;

const arrivals: number[] = [];
let t0 = 0;
const server = createServer((_req, res) => {
  const t = performance.now() - t0;
  arrivals.push(t);
  const delay = t >= STALL_FROM && t < STALL_FROM + STALL_MS ? STALL_FROM + STALL_MS - t + SERVICE_MS : SERVICE_MS;
  setTimeout(() => res.end('ok'), delay);
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as AddressInfo).port;

async function once(ignoreCO: boolean): Promise<void> {
  arrivals.length = 0;
  t0 = performance.now();
  const r = await new Promise<Record<string, any>>((resolve, reject) => // eslint-disable-line @typescript-eslint/no-explicit-any
    autocannon(
      { url: `http://127.0.0.1:${port}`, connections: CONNECTIONS, overallRate: RATE, duration: DURATION, ignoreCoordinatedOmission: ignoreCO },
      (err, res) => (err ? reject(err) : resolve(res)),
    ),
  );
  const buckets = new Map<number, number>();
  for (const a of arrivals) buckets.set(Math.floor(a / 100), (buckets.get(Math.floor(a / 100)) ?? 0) + 1);
  const firstSecond = [...Array(10).keys()].map((b) => buckets.get(b) ?? 0);
  console.log(`\nignoreCoordinatedOmission=${ignoreCO}: overallRate ${RATE}/s, ${CONNECTIONS} connections, ${DURATION}s, 20 ms service, 1 s stall at t=3s`);
  console.log(`  requests arriving per 100 ms in the first second: ${firstSecond.join(' ')}`);
  console.log(`  requests the server received: ${arrivals.length} (offered ${RATE * DURATION}); 2xx responses: ${r['2xx']}`);
  console.log(`  latency histogram samples: ${r.latency.totalCount}`);
  console.log(`  latency ms: p50 ${r.latency.p50}, p90 ${r.latency.p90}, p99 ${r.latency.p99}, max ${r.latency.max}, mean ${r.latency.average}`);
}

/** The same server and stall through ledger-bench's driver (src/api/http-load.ts). */
async function ours(): Promise<void> {
  arrivals.length = 0;
  const ctx = { asOf: '2026-10-31', pickAccount: () => 42 } as unknown as ScenarioContext;
  t0 = performance.now() + 200; // runHttpLoad starts its schedule 200 ms after the call
  const m = await runHttpLoad({
    url: `http://127.0.0.1:${port}`,
    scenarios: ctx,
    mix: { 'balance-lookup': 1 },
    rate: RATE,
    durationSec: DURATION,
    warmupSec: 0,
    arrival: 'uniform',
    connections: CONNECTIONS,
    seed: 1,
  });
  const s = m.scenarios[0]!;
  const lat = summarizeHistogram(s.latency);
  const svc = summarizeHistogram(s.service);
  for (const h of [s.latency, s.service, s.lag]) h.destroy();
  const buckets = new Map<number, number>();
  for (const a of arrivals) buckets.set(Math.floor(a / 100), (buckets.get(Math.floor(a / 100)) ?? 0) + 1);
  console.log(`\nledger-bench http driver: ${RATE}/s uniform, ${CONNECTIONS} connections, same server and stall`);
  console.log(`  requests arriving per 100 ms in the first second: ${[...Array(10).keys()].map((b) => buckets.get(b) ?? 0).join(' ')}`);
  console.log(`  requests the server received: ${arrivals.length} (offered ${s.offered}); 2xx responses: ${s.count}`);
  console.log(`  latency from the intended start, ms: p50 ${lat.p50}, p90 ${lat.p90}, p99 ${lat.p99}, max ${lat.max}, mean ${lat.mean.toFixed(2)}`);
  console.log(`  service (from the send), ms:        p50 ${svc.p50}, p90 ${svc.p90}, p99 ${svc.p99}, max ${svc.max}`);
  console.log(`  autocannon's own histogram (from the send): p90 ${m.autocannon.latencyMs.p90}, p99 ${m.autocannon.latencyMs.p99}`);
}

await ours();
await once(false);
await once(true);
server.close();
