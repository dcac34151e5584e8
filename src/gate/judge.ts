/**
 * From per-block measurements to the gate's per-scenario verdicts (pure). A scenario
 * is judged only when every block holds enough successful transactions on both sides
 * for its p95 to mean something; the intervals are Bonferroni-widened over the
 * scenarios judged, so a mix of many scenarios does not multiply false alarms.
 */
import { minBlocksFor, perScenarioConfidence, ratioEstimate, ratioVerdict, type RatioVerdict } from './gate-stats.js';

/** Successful transactions a block needs, per side and scenario, for its p95 to count. */
export const MIN_BLOCK_SAMPLES = 20;

/** One scenario of one side of one block. */
export interface BlockScenario {
  /** p95 latency from the intended start, ms. */
  p95: number;
  /** Successful transactions measured. */
  count: number;
}

/** One block: both sides' per-scenario measurements. */
export interface GateBlock {
  index: number;
  /** The order the sides ran in (randomized per block), e.g. ['head', 'base']; absent for stored data. */
  order?: Array<'base' | 'head'>;
  base: Record<string, BlockScenario>;
  head: Record<string, BlockScenario>;
}

/** The gate's finding for one scenario. */
export interface ScenarioGate {
  scenario: string;
  /** False when the blocks held too few samples (see reason); such a scenario never fails the gate. */
  judged: boolean;
  reason?: string;
  /** The interval's exact coverage (at least `confidence`). */
  coverage?: number;
  /** Median over the blocks of each side's p95 (ms), for the reader. */
  baseP95?: number;
  headP95?: number;
  ratios?: number[];
  estimate?: number;
  low?: number;
  high?: number;
  confidence?: number;
  verdict?: RatioVerdict;
}

/** Options of {@link judgeBlocks}. */
export interface JudgeOptions {
  /** Overall confidence (default 0.95), split over the scenarios judged. */
  confidence: number;
  /** Minimum relative slowdown that fails, e.g. 0.1 = 10%. */
  minEffect: number;
  minSamples?: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Judges every scenario present on both sides of the blocks. */
export function judgeBlocks(blocks: readonly GateBlock[], o: JudgeOptions): ScenarioGate[] {
  const minSamples = o.minSamples ?? MIN_BLOCK_SAMPLES;
  const names = [...new Set(blocks.flatMap((b) => [...Object.keys(b.base), ...Object.keys(b.head)]))].sort();
  const pending: Array<{ scenario: string; pairs: Array<{ base: number; head: number }> }> = [];
  const out = new Map<string, ScenarioGate>();
  for (const scenario of names) {
    const thin = blocks.filter((b) => !((b.base[scenario]?.count ?? 0) >= minSamples && (b.head[scenario]?.count ?? 0) >= minSamples && b.base[scenario]!.p95 > 0 && b.head[scenario]!.p95 > 0));
    if (thin.length > 0) {
      out.set(scenario, {
        scenario,
        judged: false,
        reason: `${thin.length} of ${blocks.length} blocks hold fewer than ${minSamples} successful transactions on a side (raise --rate or --block-duration)`,
      });
    } else {
      pending.push({ scenario, pairs: blocks.map((b) => ({ base: b.base[scenario]!.p95, head: b.head[scenario]!.p95 })) });
    }
  }
  const confidence = perScenarioConfidence(o.confidence, pending.length);
  const needed = minBlocksFor(confidence);
  for (const { scenario, pairs } of pending) {
    if (pairs.length < needed) {
      const over = pending.length > 1 ? ` over ${pending.length} scenarios` : '';
      out.set(scenario, { scenario, judged: false, reason: `${pairs.length} blocks cannot reach ${(o.confidence * 100).toFixed(0)}% confidence${over}: at least ${needed} are needed (--blocks)` });
      continue;
    }
    const e = ratioEstimate(pairs, { confidence });
    out.set(scenario, {
      scenario,
      judged: true,
      baseP95: median(pairs.map((p) => p.base)),
      headP95: median(pairs.map((p) => p.head)),
      ratios: e.ratios,
      estimate: e.estimate,
      low: e.low,
      high: e.high,
      confidence,
      coverage: e.coverage,
      verdict: ratioVerdict(e, o.minEffect),
    });
  }
  return names.map((n) => out.get(n)!);
}
