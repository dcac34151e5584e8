/**
 * Capacity search (pure: knows nothing of databases): the highest offered rate at which
 * a probe still holds its budgets. Steps up by `factor` from `startRate` until a probe
 * fails (or `maxRate` holds), then bisects between the last rate that held and the
 * first that failed until they are within `precision` of each other (relative to the
 * held rate). When the start rate already fails it steps down by `factor` first. The
 * number of probes is bounded; an interrupted or broken probe ends the search (its
 * outcome is no verdict on the rate).
 */

/** What a probe says about one rate; a probe may carry more (its result, its checks). */
export interface ProbeOutcome {
  /** The mix held every budget at this rate. */
  holds: boolean;
  /** The probe did not finish (Ctrl-C, server gone): no verdict, the search stops. */
  partial?: boolean;
}

/** One probe made during the search. */
export type ProbeRecord<P extends ProbeOutcome = ProbeOutcome> = P & { rate: number; phase: 'step' | 'bisect' };

/** Why the search stopped. */
export type SearchStop =
  /** held and failed rates within the precision */
  | 'converged'
  /** `maxRate` held: the capacity is at least that */
  | 'max-rate'
  /** even `minRate` failed */
  | 'min-rate'
  /** the probe budget ran out before converging */
  | 'max-probes'
  /** a probe did not finish */
  | 'partial';

/** Options of {@link searchCapacity}. */
export interface SearchOptions {
  startRate: number;
  /** Highest rate probed. */
  maxRate: number;
  /** Lowest rate probed when stepping down (default startRate / 1000). */
  minRate?: number;
  /** Bisect until (firstFailing - maxHeld) / maxHeld <= precision (default 0.1). */
  precision?: number;
  /** Step multiplier (default 2). */
  factor?: number;
  /** Most probes made (default 12). */
  maxProbes?: number;
  /** Checked before every probe: an aborted search stops as 'partial'. */
  signal?: AbortSignal;
}

/** The outcome of a search. */
export interface SearchResult<P extends ProbeOutcome = ProbeOutcome> {
  /** Highest probed rate that held (null when none did). */
  maxRateWithinBudget: number | null;
  /** Lowest probed rate that failed (null when none did). */
  firstFailingRate: number | null;
  stoppedBy: SearchStop;
  /** Every probe, in the order made. */
  probes: ProbeRecord<P>[];
}

/** Rates are probed at 3 significant digits (a 1,234.567 TPS probe says nothing 1,230 does not). */
export function roundRate(rate: number): number {
  return Number(rate.toPrecision(3));
}

/** Runs the search with `probe` (called one rate at a time, never concurrently). */
export async function searchCapacity<P extends ProbeOutcome>(probe: (rate: number) => Promise<P>, o: SearchOptions): Promise<SearchResult<P>> {
  const factor = o.factor ?? 2;
  const precision = o.precision ?? 0.1;
  const maxProbes = o.maxProbes ?? 12;
  const minRate = o.minRate ?? o.startRate / 1000;
  if (!(factor > 1)) throw new Error(`capacity search: factor must be > 1 (got ${factor})`);
  if (!(precision > 0)) throw new Error(`capacity search: precision must be > 0 (got ${precision})`);
  if (!(o.startRate > 0 && o.maxRate >= o.startRate)) throw new Error(`capacity search: need 0 < startRate <= maxRate (got ${o.startRate}, ${o.maxRate})`);
  const probes: ProbeRecord<P>[] = [];
  let held: number | null = null;
  let failed: number | null = null;
  const done = (stoppedBy: SearchStop): SearchResult<P> => ({ maxRateWithinBudget: held, firstFailingRate: failed, stoppedBy, probes });
  /** Probes `rate`: whether it held, or why the search must stop (partial, aborted, out of probes). */
  const tryRate = async (rate: number, phase: 'step' | 'bisect'): Promise<SearchStop | boolean> => {
    if (o.signal?.aborted) return 'partial';
    if (probes.length >= maxProbes) return 'max-probes';
    const p = await probe(rate);
    probes.push({ ...p, rate, phase });
    if (p.partial) return 'partial';
    if (p.holds) held = held === null ? rate : Math.max(held, rate);
    else failed = failed === null ? rate : Math.min(failed, rate);
    return p.holds;
  };

  // Step: up while it holds, down while it fails, until the rate is bracketed or a limit is hit.
  let rate = roundRate(o.startRate);
  for (;;) {
    const r = await tryRate(rate, 'step');
    if (typeof r === 'string') return done(r);
    if (r) {
      if (failed !== null) break;
      if (rate >= o.maxRate) return done('max-rate');
      rate = Math.min(roundRate(rate * factor), o.maxRate);
    } else {
      if (held !== null) break;
      if (rate <= minRate) return done('min-rate');
      rate = Math.max(roundRate(rate / factor), minRate);
    }
  }
  // Bisect between the highest held and the lowest failed rate.
  for (;;) {
    const lo = held as unknown as number;
    const hi = failed as unknown as number;
    if ((hi - lo) / lo <= precision) return done('converged');
    const mid = roundRate((lo + hi) / 2);
    // 3 significant digits leave nothing between the bounds: as precise as rates get.
    if (mid <= lo || mid >= hi) return done('converged');
    const r = await tryRate(mid, 'bisect');
    if (typeof r === 'string') return done(r);
  }
}
