/**
 * Open-model HTTP load with autocannon doing the HTTP: connections, keep-alive,
 * request framing and response parsing. Autocannon cannot send on a schedule (its
 * `overallRate` lets each connection send back-to-back after every response until
 * it has used the second's quota, and measures from the actual send: see
 * docs/http.md), so this module takes over *when* each connection sends:
 *
 * - slot i of the run is due at t0 + i/rate (the engine's ScheduleCursor, uniform or
 *   Poisson) and carries the scenario and parameters the engine would draw for it
 *   (the same per-slot RNG stream, mixSeed(seed, i));
 * - every autocannon client, whenever it is free, claims the next slot in due order
 *   and sends it at its due time (at once when it is already late);
 * - latency counts from the slot's *intended* start to the response, so a stalled
 *   server or too few connections shows as latency, never as a slower send rate (no
 *   coordinated omission); lag (due -> sent) and service (sent -> response) are
 *   recorded apart, like the engine's.
 *
 * Autocannon's own latency figures (measured from the send) are kept beside ours in
 * the result's `autocannon` field, for comparison.
 */
import { createRequire } from 'node:module';
import type { ScenarioContext } from '../../scenarios/context.js';
import { cumulativeWeights, pickType } from '../random/weighted-choice.js';
import { createHistogram, encodeHistogram, summarizeHistogram, type Histogram } from '../stats/histogram.js';
import { ScheduleCursor, type Arrival } from '../stats/schedule.js';
import { mixSeed, SlotRng } from '../random/rng.js';
import { requestBuilder, type HttpRequestSpec } from './requests.js';

/** The parts of an autocannon Client this driver uses (lib/httpClient.js). */
interface AcClient {
  destroyed: boolean;
  reqsMade: number;
  _doRequest(): void;
  setRequests(reqs: HttpRequestSpec[]): void;
  on(event: 'response', fn: (status: number, bytes: number, durationMs: number) => void): void;
  on(event: 'timeout' | 'connError', fn: (err?: Error) => void): void;
}

/** What autocannon's run returns (the fields recorded). */
interface AcResult {
  latency: { p50: number; p90: number; p97_5: number; p99: number; average: number; max: number; totalCount?: number };
  requests: { total: number; average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  duration: number;
}

interface AcInstance {
  stop(): void;
}

type Autocannon = (opts: Record<string, unknown>, cb: (err: Error | null, result: AcResult) => void) => AcInstance;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** Options of {@link runHttpLoad}. */
export interface HttpLoadOptions {
  /** Base URL of the API. */
  url: string;
  /** The data set facts the scenarios draw from (asOf, hot accounts and users). */
  scenarios: ScenarioContext;
  /** Scenario name -> weight (positive weights only). */
  mix: Record<string, number>;
  rate: number;
  durationSec: number;
  warmupSec: number;
  arrival: Arrival;
  /** HTTP connections (autocannon clients). */
  connections: number;
  seed: number;
  /** Seconds a request may take before it counts as TIMEOUT (and its connection is replaced). */
  timeoutSec?: number;
  /** Seconds to wait after the last due slot for the requests still in flight. */
  drainSec?: number;
  signal?: AbortSignal;
}

/** Per scenario figures of the measured window. */
export interface HttpScenarioStats {
  name: string;
  weight: number;
  /** Slots due in the measured window. */
  offered: number;
  /** Successful (2xx) responses to those slots (also those answered after the window, during the drain). */
  count: number;
  /** Answers (success or failure) to those slots that arrived before the window ended: the achieved rate. */
  completedInWindow: number;
  errorsByCode: Record<string, number>;
  latency: Histogram;
  service: Histogram;
  lag: Histogram;
}

/** What {@link runHttpLoad} measured; the caller owns (and must destroy) the histograms. */
export interface HttpLoadMeasurement {
  startedAt: Date;
  endedAt: Date;
  measuredSec: number;
  /** Interrupted, or requests left unanswered when the drain ended. */
  partial: boolean;
  partialReason?: string;
  scenarios: HttpScenarioStats[];
  /** Autocannon's own view of the same requests (all phases, measured from the send). */
  autocannon: {
    latencyMs: { p50: number; p90: number; p97_5: number; p99: number; mean: number; max: number };
    requests: number;
    responses2xx: number;
    non2xx: number;
    errors: number;
    timeouts: number;
  };
}

interface Slot {
  index: number;
  /** Due time, ms from t0. */
  dueMs: number;
  type: number;
  request: HttpRequestSpec;
  /** Sent, ms from t0. */
  sentMs: number;
}

/** Runs the load; resolves once every slot is answered (or the drain / an abort ends it). */
export function runHttpLoad(o: HttpLoadOptions): Promise<HttpLoadMeasurement> {
  const names = Object.keys(o.mix).filter((n) => o.mix[n]! > 0);
  const types = names.map((name) => ({ name, weight: o.mix[name]!, build: requestBuilder(name) }));
  const cum = cumulativeWeights(types);
  const stats: HttpScenarioStats[] = types.map((t) => ({
    name: t.name,
    weight: t.weight,
    offered: 0,
    count: 0,
    completedInWindow: 0,
    errorsByCode: {},
    latency: createHistogram(),
    service: createHistogram(),
    lag: createHistogram(),
  }));
  const warmupMs = o.warmupSec * 1000;
  const endMs = (o.warmupSec + o.durationSec) * 1000;
  const cursor = new ScheduleCursor(o.arrival, o.rate, 0, 1, endMs, o.seed);
  const timeoutSec = o.timeoutSec ?? 10;
  const drainMs = (o.drainSec ?? timeoutSec + 1) * 1000;
  // Clients connect while they wait for the first slot: start the schedule a little later.
  const t0 = performance.now() + 200;
  const now = () => performance.now() - t0;
  let exhausted = false;
  let inflight = 0;
  let stopping = false;
  let partialReason: string | undefined;

  const nextSlot = (): Slot | undefined => {
    if (exhausted || stopping) return undefined;
    if (!cursor.next()) {
      exhausted = true;
      return undefined;
    }
    // The engine's draws for this slot: one for the type, the rest for the parameters.
    const rng = new SlotRng(mixSeed(o.seed, cursor.slot));
    const u = rng.next();
    const type = cum.length === 1 ? 0 : pickType(cum, u);
    const request = types[type]!.build(rng, o.scenarios);
    const s = stats[type]!;
    if (cursor.dueMs >= warmupMs) s.offered++;
    return { index: cursor.slot, dueMs: cursor.dueMs, type, request, sentMs: 0 };
  };

  const open = new Set<Slot>();
  const finish = (slot: Slot, code: string | undefined): void => {
    inflight--;
    open.delete(slot);
    if (slot.dueMs < warmupMs) return; // warm-up: excluded
    const end = now();
    const s = stats[slot.type]!;
    if (end <= endMs) s.completedInWindow++;
    if (code) {
      s.errorsByCode[code] = (s.errorsByCode[code] ?? 0) + 1;
    } else {
      s.count++;
      s.latency.recordValue(Math.max(1, Math.round((end - slot.dueMs) * 1000)));
      s.service.recordValue(Math.max(1, Math.round((end - slot.sentMs) * 1000)));
      s.lag.recordValue(Math.max(1, Math.round((slot.sentMs - slot.dueMs) * 1000)));
    }
  };

  return new Promise((resolve, reject) => {
    const startedAt = new Date();
    let instance: AcInstance | undefined;
    let stopTimer: NodeJS.Timeout | undefined;
    const stop = (reason?: string): void => {
      if (stopping) return;
      stopping = true;
      if (reason) partialReason = reason;
      if (stopTimer) clearTimeout(stopTimer);
      instance?.stop();
    };
    const maybeDone = (): void => {
      if (exhausted && inflight === 0) stop();
    };
    const onAbort = () => stop('interrupted');
    o.signal?.addEventListener('abort', onAbort, { once: true });

    const setupClient = (client: AcClient): void => {
      const send = client._doRequest.bind(client);
      let current: Slot | undefined;
      let waiting = false;
      const dispatch = (slot: Slot): void => {
        waiting = false;
        if (client.destroyed || stopping) {
          inflight--;
          return;
        }
        slot.sentMs = now();
        current = slot;
        open.add(slot);
        client.setRequests([slot.request]);
        send();
      };
      // Autocannon calls this after connecting and after every response: claim the next slot instead of sending at once.
      client._doRequest = () => {
        if (current || waiting || client.destroyed) return;
        const slot = nextSlot();
        if (!slot) return maybeDone();
        inflight++;
        waiting = true;
        sendAtDue(slot);
      };
      // Never early: a timer may fire a fraction of a millisecond before its delay, so re-check.
      // Being late by up to ~1 ms (timer granularity) is recorded as lag, inside the latency.
      const sendAtDue = (slot: Slot): void => {
        const wait = slot.dueMs - now();
        if (wait > 0) setTimeout(() => sendAtDue(slot), Math.ceil(wait));
        else dispatch(slot);
      };
      const settle = (code: string | undefined): void => {
        const slot = current;
        if (!slot) return;
        current = undefined;
        finish(slot, code);
      };
      client.on('response', (status) => settle(status >= 200 && status < 300 ? undefined : `HTTP_${status}`));
      // Autocannon reconnects before it emits 'timeout': claim the next slot once this one is settled.
      client.on('timeout', () => {
        settle('TIMEOUT');
        setImmediate(() => client._doRequest());
      });
      client.on('connError', () => settle('CONNECTION_LOST'));
    };

    instance = autocannon(
      {
        url: o.url,
        connections: o.connections,
        pipelining: 1,
        // Ended by stop() once every slot is answered; this is only the backstop.
        duration: Math.ceil((endMs + 200 + drainMs) / 1000) + 2,
        timeout: timeoutSec,
        setupClient,
      },
      (err, result) => {
        o.signal?.removeEventListener('abort', onAbort);
        if (stopTimer) clearTimeout(stopTimer);
        if (err) {
          for (const s of stats) for (const h of [s.latency, s.service, s.lag]) h.destroy();
          reject(err);
          return;
        }
        const unanswered = open.size;
        // Slots still in flight when autocannon stopped never got an answer: final failures.
        for (const slot of open) if (slot.dueMs >= warmupMs) {
          const e = stats[slot.type]!.errorsByCode;
          e.UNANSWERED = (e.UNANSWERED ?? 0) + 1;
        }
        if (unanswered > 0 && !partialReason) partialReason = `${unanswered} requests unanswered ${drainMs / 1000}s after the last due slot`;
        const endedAt = new Date();
        const measuredSec = Math.max(0, Math.min(o.durationSec, (Math.min(now(), endMs) - warmupMs) / 1000));
        resolve({
          startedAt,
          endedAt,
          measuredSec: partialReason === 'interrupted' ? measuredSec : o.durationSec,
          partial: partialReason !== undefined,
          ...(partialReason ? { partialReason } : {}),
          scenarios: stats,
          autocannon: {
            latencyMs: {
              p50: result.latency.p50,
              p90: result.latency.p90,
              p97_5: result.latency.p97_5,
              p99: result.latency.p99,
              mean: result.latency.average,
              max: result.latency.max,
            },
            requests: result.requests.total,
            responses2xx: result['2xx'],
            non2xx: result.non2xx,
            errors: result.errors,
            timeouts: result.timeouts,
          },
        });
      },
    );
    // Backstop: the drain ends at the last due slot plus drainMs, answered or not.
    stopTimer = setTimeout(() => stop(), 200 + endMs + drainMs);
  });
}
