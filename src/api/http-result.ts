/**
 * Turns an HTTP load measurement into the result JSON every reporter reads (the
 * same contract as the engine's): `variant` is `http:<variant>`, `transport` is
 * 'http', and autocannon's own figures ride along in `autocannon`.
 */
import { resultSchema, SCHEMA_VERSION } from '../result/schema.js';
import type { RunResult, ServerInfo } from '../result/types.js';
import { TOOL } from '../engine/tool.js';
import { latencyFields } from '../result/latency-fields.js';
import { achievedRate, reachedTarget } from '../stats/rate.js';
import type { Arrival } from '../stats/schedule.js';
import type { HttpLoadMeasurement } from './http-load.js';

/** What the result records about the run besides the measurement. */
export interface HttpRunInfo {
  variant: string;
  url: string;
  rate: number;
  durationSec: number;
  warmupSec: number;
  arrival: Arrival;
  connections: number;
  poolSize: number | null;
  seed: number;
  server: ServerInfo | null;
  config: unknown;
}

/** Builds (and validates) the result; destroys the measurement's histograms. */
export function httpRunResult(m: HttpLoadMeasurement, info: HttpRunInfo): RunResult {
  const totalWeight = m.scenarios.reduce((a, s) => a + s.weight, 0);
  let offered = 0;
  let completed = 0;
  const scenarios = m.scenarios.map((s) => {
    const errors = Object.values(s.errorsByCode).reduce((a, b) => a + b, 0);
    offered += s.offered;
    completed += s.completedInWindow;
    const r = {
      name: s.name,
      targetRate: (info.rate * s.weight) / totalWeight,
      // Like the engine's: answers that arrived inside the window (a drain does not lift it).
      achievedRate: achievedRate(s.completedInWindow, m.measuredSec),
      offered: s.offered,
      count: s.count,
      errors,
      errorsByCode: s.errorsByCode,
      retries: 0,
      dropped: 0,
      ...latencyFields(s),
    };
    for (const h of [s.latency, s.service, s.lag]) h.destroy();
    return r;
  });
  const result = {
    schemaVersion: SCHEMA_VERSION,
    partial: m.partial,
    ...(m.partialReason ? { partialReason: m.partialReason } : {}),
    startedAt: m.startedAt.toISOString(),
    endedAt: m.endedAt.toISOString(),
    tool: TOOL,
    target: {
      rate: info.rate,
      durationSec: info.durationSec,
      warmupSec: info.warmupSec,
      arrival: info.arrival,
      connections: info.connections,
      workers: 1,
      segment: null,
    },
    measuredSec: m.measuredSec,
    offeredRate: achievedRate(offered, m.measuredSec),
    achievedRate: achievedRate(completed, m.measuredSec),
    reachedTarget: reachedTarget(completed, offered),
    dropped: 0,
    server: info.server,
    config: info.config,
    variant: `http:${info.variant}`,
    transport: 'http' as const,
    http: { url: info.url, poolSize: info.poolSize },
    seed: info.seed,
    scenarios,
    autocannon: m.autocannon,
    notes: [
      'HTTP through the ledger API; latency from the intended start (t0 + i/rate) to the response, lag and service apart.',
      'autocannon field: autocannon\'s own latency of the same requests, measured from the send, warm-up included.',
    ],
  };
  return resultSchema.parse(result);
}
