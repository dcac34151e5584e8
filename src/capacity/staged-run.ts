/**
 * A run sized by samples, not seconds: stage after stage of the same load on the same
 * database, pooled (pool-stages.ts) and judged at each look with the sequential rule's
 * confidence (src/stats/sequential.ts), until every judged check is decided, the cap,
 * or futility. What an isolation run and a capacity probe both are.
 */
import { budgetsFor, checkBudget, type BudgetCheck } from '../budgets/evaluate.js';
import type { BudgetSet } from '../config/budget-grammar.js';
import type { RunResult } from '../result/types.js';
import { minSamples } from '../stats/quantile-ci.js';
import { percentileEstimate } from '../stats/latency-ci.js';
import { lookConf, nextLook, type LookDecision, type OpenCheck } from '../stats/sequential.js';
import { poolStages } from './pool-stages.js';

/** Every budget of `set` judged at `conf` on the scenarios `judged` accepts, and the checks still open. */
export function judgeLook(result: RunResult, set: BudgetSet, conf: number, judged: (scenario: string) => boolean): { checks: BudgetCheck[]; open: OpenCheck[] } {
  const checks: BudgetCheck[] = [];
  const open: OpenCheck[] = [];
  for (const s of result.scenarios) {
    if (!judged(s.name)) continue;
    for (const b of budgetsFor(set, s.name)) {
      const c = checkBudget(result.variant ?? '', s, b, conf);
      checks.push(c);
      if (c.verdict !== 'inconclusive') continue;
      const pct = b.metric === 'med' ? 50 : b.metric === 'p' ? b.percentile! : undefined;
      // Open above: how far the effective sample is from closing it (sequential.ts couldDecide).
      const nEff = pct !== undefined && c.interval && c.interval.hi === null && s.histogram ? percentileEstimate(s.histogram, s.batchHistograms, pct, conf).nEff : undefined;
      open.push({
        n: s.count,
        // Point-valued metrics (avg, rate, ...) are inconclusive only without data: more samples decide them.
        need: pct === undefined ? 1 : minSamples(pct, conf),
        value: c.measured,
        lo: c.interval?.lo ?? null,
        hi: c.interval ? c.interval.hi : null,
        threshold: b.threshold,
        ...(nEff !== undefined ? { nEff } : {}),
      });
    }
  }
  return { checks, open };
}

/** Options of {@link runStaged}. */
export interface StagedOptions {
  /** Most looks (stages); each look judges at lookConf(maxLooks). */
  maxLooks: number;
  /** Runs stage `index` (0-based) and returns its result. */
  runStage: (index: number) => Promise<RunResult>;
  /** The judged checks of the pooled result at `conf`, and those still open ([] once the verdict is decided). */
  judge: (pooled: RunResult, conf: number) => { open: OpenCheck[] };
  signal?: AbortSignal;
}

/** An extended run: its pooled result, how many looks it took and why it stopped. */
export interface StagedRun {
  result: RunResult;
  looks: number;
  maxLooks: number;
  conf: number;
  /** decided: every judged check decided; cap: maxLooks reached; futile: more stages would not decide; partial: a stage did not finish. */
  stop: LookDecision['reason'] | 'partial';
}

/** Runs stages until the judged checks are decided, the cap, futility, or a stage that did not finish. */
export async function runStaged(o: StagedOptions): Promise<StagedRun> {
  const conf = lookConf(o.maxLooks);
  const stages: RunResult[] = [];
  for (;;) {
    stages.push(await o.runStage(stages.length));
    const pooled = poolStages(stages, conf);
    const done = (stop: StagedRun['stop']): StagedRun => ({ result: pooled, looks: stages.length, maxLooks: o.maxLooks, conf, stop });
    if (pooled.partial) return done('partial');
    const d = nextLook(o.judge(pooled, conf).open, stages.length, o.maxLooks);
    if (!d.extend || o.signal?.aborted) return done(d.extend ? 'undecided' : d.reason);
  }
}
