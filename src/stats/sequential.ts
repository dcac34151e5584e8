/**
 * Sequential sampling (pure): a run that may extend looks at its data at most `maxLooks`
 * times (stages of equal length, pooled), and judges at every look with
 * conf = 1 - alpha / maxLooks (Bonferroni). Whatever the data do, the chance that ANY
 * look decides a check wrongly is then at most alpha (5%): each look's wrong-decision
 * chance is at most alpha / maxLooks, and there are at most maxLooks of them.
 *
 * A run stops at the first look where every judged check is decided, at the cap, or
 * earlier for futility: when even the data of the remaining looks would most likely not
 * decide a check (the interval, shrinking as 1/sqrt(n), would still straddle the
 * threshold; or the samples at the cap would still be too few for an interval). Stopping
 * for futility only ever reports "inconclusive" sooner: it cannot decide anything wrongly,
 * so the error rate above holds; it saves the run time that would not have decided.
 */

/** Default error rate of the sequential rule: the chance any look decides a check wrongly. */
export const SEQUENTIAL_ALPHA = 0.05;

/** Confidence of each look when a run may look `maxLooks` times (Bonferroni): 1 - alpha / maxLooks. */
export function lookConf(maxLooks: number, alpha = SEQUENTIAL_ALPHA): number {
  if (!(Number.isInteger(maxLooks) && maxLooks >= 1)) throw new Error(`sequential sampling: maxLooks must be an integer >= 1 (got ${maxLooks})`);
  return 1 - alpha / maxLooks;
}

/** What a look knows about one undecided check. */
export interface OpenCheck {
  /** Samples behind the check so far. */
  n: number;
  /** Samples an interval needs (minSamples of the percentile at the look's conf). */
  need: number;
  /** The point estimate and its interval (absent when there are too few samples); hi null = unbounded. */
  value?: number | null;
  lo?: number | null;
  hi?: number | null;
  /** The budget's threshold (the interval straddles it). */
  threshold?: number;
  /** The effective sample behind the interval (batch means: n over the inflation), when known. */
  nEff?: number;
}

/** Whether another stage could decide `c` (false = futile: it would most likely stay inconclusive at the cap). */
export function couldDecide(c: OpenCheck, looks: number, maxLooks: number): boolean {
  if (looks >= maxLooks) return false;
  // Equal stages: at the cap the run holds maxLooks / looks times the samples it holds now.
  const growth = maxLooks / looks;
  if (c.lo === null || c.lo === undefined || c.value === null || c.value === undefined) return c.n * growth >= c.need;
  if (c.threshold === undefined) return true;
  // An interval unbounded above (hi null: too small an effective sample for exact ranks) may
  // still close, or its lower bound pass the threshold. Below the threshold only closing
  // decides, and it closes once the effective sample reaches `need`: futile when even the
  // cap's samples (at the same inflation) would not reach it. A scenario the mix draws
  // rarely was extending every probe to its cap for nothing.
  if (c.hi === null || c.hi === undefined) return c.nEff === undefined || c.value >= c.threshold || c.nEff * growth >= c.need;
  const half = Math.max(c.value - c.lo, c.hi - c.value);
  return Math.abs(c.value - c.threshold) > half / Math.sqrt(growth);
}

/** The decision after a look. */
export interface LookDecision {
  /** Run another stage. */
  extend: boolean;
  /** Why the run stops (or extends), for the record. */
  reason: 'decided' | 'cap' | 'futile' | 'undecided';
}

/**
 * After look `looks` (1-based) with `open` the judged checks still undecided: extend
 * while some check could still be decided within the cap.
 */
export function nextLook(open: readonly OpenCheck[], looks: number, maxLooks: number): LookDecision {
  if (open.length === 0) return { extend: false, reason: 'decided' };
  if (looks >= maxLooks) return { extend: false, reason: 'cap' };
  return open.some((c) => couldDecide(c, looks, maxLooks)) ? { extend: true, reason: 'undecided' } : { extend: false, reason: 'futile' };
}
