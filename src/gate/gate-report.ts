/** The gate's result (gate.json): what ran, every block's p95s, the verdicts and the exit code. */
import type { BudgetVerdict } from '../budgets/evaluate.js';
import type { GateBlock, ScenarioGate } from './judge.js';
import type { GateSide } from './sides.js';

/** Format version of gate.json. */
export const GATE_REPORT_VERSION = 1;

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
  /** The absolute budgets, judged on the head. */
  budgets: BudgetVerdict;
  notes: string[];
  /** The exit code and the last line printed. */
  outcome: { code: number; line: string };
}
