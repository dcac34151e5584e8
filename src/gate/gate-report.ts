/** The gate's result (gate.json): what ran, every block's p95s, the verdicts and the exit code. */
import type { RunResult } from '../result/types.js';
import { CONF, percentileEstimate } from '../stats/latency-ci.js';
import type { GateBudgets } from './budget-gate.js';
import type { GateBlock, ScenarioGate } from './judge.js';
import type { GateSide } from './sides.js';

/** Format version of gate.json (2: budgets judged on both sides, pooled p95 intervals). */
export const GATE_REPORT_VERSION = 2;

/** A side's pooled p95 (ms) with its 95% interval; lo null = no interval (see reason), hi null = above the largest sample. */
export interface PooledP95 {
  value: number;
  n: number;
  lo: number | null;
  hi: number | null;
  method: string | null;
  reason?: string;
}

/** Everything the gate found. */
export interface GateReport {
  kind: 'ledger-bench-gate';
  version: typeof GATE_REPORT_VERSION;
  /** False when a run ended partial or the gate was interrupted: nothing was judged. */
  complete: boolean;
  base: GateSide & { spec: string };
  head: GateSide & { spec: string };
  settings: {
    blocks: number;
    blockSec: number;
    warmupSec: number;
    rate: number;
    seed: number;
    mix: Record<string, number> | null;
    minEffect: number;
    confidence: number;
  };
  blocks: GateBlock[];
  scenarios: ScenarioGate[];
  /** Scenarios that regressed (significant and above the minimum effect). */
  regressions: string[];
  /** The absolute budgets, judged on both pooled sides: new, shared, undecided (budget-gate.ts). */
  budgets: GateBudgets;
  /** Per scenario, each side's p95 pooled over its blocks, with its interval. */
  pooledP95: Record<string, { base?: PooledP95; head?: PooledP95 }>;
  notes: string[];
  /** The exit code and the last line printed. */
  outcome: { code: number; line: string };
}

/** Each scenario's pooled p95 and 95% interval on each side (the stored interval, else computed from the histograms). */
export function pooledP95s(sides: Partial<Record<'base' | 'head', RunResult>>): GateReport['pooledP95'] {
  const out: GateReport['pooledP95'] = {};
  for (const k of ['base', 'head'] as const) {
    for (const s of sides[k]?.scenarios ?? []) {
      const stored = s.latencyCi && s.latencyCi.conf === CONF ? s.latencyCi.p95 : undefined;
      const ci = stored ?? (s.histogram ? percentileEstimate(s.histogram, s.batchHistograms, 95, CONF) : { lo: null, hi: null, method: null, reason: 'no histogram' });
      (out[s.name] ??= {})[k] = { value: s.latencyMs.p95, n: s.count, lo: ci.lo, hi: ci.hi, method: ci.method, ...(ci.reason ? { reason: ci.reason } : {}) };
    }
  }
  return out;
}
