/**
 * The PR gate's statistics (pure, exact): per-block p95 pairs (base_i, head_i)
 * measured in the same job -> log ratios log(head/base) -> the Hodges-Lehmann
 * estimate of their centre with the exact Wilcoxon signed-rank confidence interval
 * -> a verdict.
 *
 * Why these choices:
 * - Ratios within a block cancel what drifts between blocks (a noisy CI neighbour,
 *   caches warming): both sides of a block ran back to back on the same machine.
 * - Log ratios are symmetric: 2x slower and 2x faster cancel.
 * - With the randomized order of base and head in each block, under "no change" the
 *   sign of each log ratio is a fair coin: the signed-rank test is then exact for any
 *   number of blocks and any distribution, where a bootstrap is far too narrow with
 *   the 5-10 blocks a CI job affords (with 3 blocks it calls "all three slower"
 *   significant, which happens by chance one time in eight). The price is honest: a
 *   small number of blocks cannot reach the confidence asked (6 blocks are the fewest
 *   for 95% two-sided; see {@link minBlocksFor}) and the interval is then unbounded.
 * - The verdict needs BOTH significance and size (as Mozilla's Perfherder does):
 *   regression = the interval's lower bound is above 1 (slower beyond the noise seen
 *   between blocks) AND the estimate is above 1 + minEffect (default 10%). A tiny
 *   but consistent slowdown passes; so does a large one the blocks do not agree on.
 */

/** One block: the p95 (ms) of the base and of the head. */
export interface BlockPair {
  base: number;
  head: number;
}

/** The ratio head/base with its signed-rank interval. */
export interface RatioEstimate {
  /** head/base per block. */
  ratios: number[];
  /** Hodges-Lehmann estimate of the ratio (1 = no change, 1.2 = head 20% slower). */
  estimate: number;
  /** Two-sided interval; 0 and Infinity when the blocks are too few for the confidence asked. */
  low: number;
  high: number;
  /** The confidence asked for, e.g. 0.95. */
  confidence: number;
  /** The interval's exact coverage (at least `confidence`; 1 when unbounded). */
  coverage: number;
}

/** Number of subsets of {1..n} by rank sum: the exact null distribution of Wilcoxon's T+ (times 2^n). */
function signedRankCounts(n: number): number[] {
  const max = (n * (n + 1)) / 2;
  const c = new Array<number>(max + 1).fill(0);
  c[0] = 1;
  for (let r = 1; r <= n; r++) for (let t = max; t >= r; t--) c[t]! += c[t - r]!;
  return c;
}

/**
 * How many of the smallest (and largest) Walsh averages the interval excludes at
 * `confidence`: the largest k with P(T+ < k) <= (1 - confidence) / 2, and the
 * coverage 1 - 2 P(T+ < k). k = 0: not enough blocks, the interval is unbounded.
 */
export function signedRankCut(n: number, confidence: number): { k: number; coverage: number } {
  const counts = signedRankCounts(n);
  const total = 2 ** n;
  const half = (1 - confidence) / 2;
  let cum = 0;
  let k = 0;
  for (let t = 0; t < counts.length; t++) {
    if ((cum + counts[t]!) / total > half) break;
    cum += counts[t]!;
    k = t + 1;
  }
  return { k, coverage: 1 - (2 * cum) / total };
}

/** The fewest blocks whose signed-rank interval can exclude 1 at `confidence` (two-sided). */
export function minBlocksFor(confidence: number): number {
  for (let n = 1; n < 64; n++) if (signedRankCut(n, confidence).k > 0) return n;
  return 64;
}

/**
 * Hodges-Lehmann ratio estimate and exact signed-rank interval at `confidence` (two-sided).
 * Throws on an empty list or a non-positive p95 (a ratio needs two positive numbers).
 */
export function ratioEstimate(pairs: readonly BlockPair[], o: { confidence: number }): RatioEstimate {
  if (pairs.length === 0) throw new RangeError('ratioEstimate: no block pairs');
  if (!(o.confidence > 0 && o.confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${o.confidence}`);
  for (const p of pairs) {
    if (!(p.base > 0 && p.head > 0)) throw new RangeError(`ratioEstimate: p95 values must be positive, got base ${p.base} head ${p.head}`);
  }
  const ratios = pairs.map((p) => p.head / p.base);
  const logs = ratios.map(Math.log);
  const n = logs.length;
  const walsh: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) walsh.push((logs[i]! + logs[j]!) / 2);
  walsh.sort((a, b) => a - b);
  const m = walsh.length;
  const hl = m % 2 ? walsh[m >> 1]! : (walsh[(m >> 1) - 1]! + walsh[m >> 1]!) / 2;
  const { k, coverage } = signedRankCut(n, o.confidence);
  return {
    ratios,
    estimate: Math.exp(hl),
    low: k > 0 ? Math.exp(walsh[k - 1]!) : 0,
    high: k > 0 ? Math.exp(walsh[m - k]!) : Infinity,
    confidence: o.confidence,
    coverage: k > 0 ? coverage : 1,
  };
}

/** What the gate concluded for one scenario. */
export type RatioVerdict =
  /** Significantly slower AND by more than the minimum effect: fails the gate. */
  | 'regression'
  /** Significantly faster by more than the minimum effect (reported, never a failure). */
  | 'improvement'
  /** Neither: no change the gate can call both real and large. */
  | 'no-change';

/**
 * The verdict of an estimate: a regression when the interval's lower bound is above 1
 * (significant) and the estimate above 1 + minEffect (large enough); an improvement
 * symmetrically (upper bound below 1, estimate below 1 / (1 + minEffect)).
 */
export function ratioVerdict(e: Pick<RatioEstimate, 'estimate' | 'low' | 'high'>, minEffect: number): RatioVerdict {
  if (e.low > 1 && e.estimate > 1 + minEffect) return 'regression';
  if (e.high < 1 && e.estimate < 1 / (1 + minEffect)) return 'improvement';
  return 'no-change';
}

/**
 * The per-scenario confidence when `k` scenarios are judged at once (Bonferroni):
 * each interval is widened so that the chance of ANY false alarm stays at most
 * 1 - confidence, not k times that.
 */
export function perScenarioConfidence(confidence: number, k: number): number {
  return 1 - (1 - confidence) / Math.max(1, k);
}
