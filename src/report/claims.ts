/**
 * Whether what was measured supports the review's claimed latency (pure): the claimed
 * range (ms) against the 95% interval of the measured p95. `consistent` when they
 * overlap, `faster than claimed` when the whole interval lies below the range, `not
 * supported (slower)` when it lies above; without an interval nothing is decided.
 */
import type { ScenarioResult } from '../result/types.js';
import { percentileEstimate } from './interval-format.js';

/** How a measured p95 interval stands to a claimed range. */
export type ClaimStanding = 'consistent' | 'faster' | 'slower' | 'undecided' | 'no data';

/** The standing of the measured p95 of `s` against the claimed range `r`. */
export function claimStanding(r: readonly [number, number], s: ScenarioResult | undefined): ClaimStanding {
  const e = percentileEstimate(s, 'p95');
  if (!e) return 'no data';
  if (e.lo === null) return 'undecided';
  if (e.hi !== null && e.hi < r[0]) return 'faster';
  if (e.lo > r[1]) return 'slower';
  return 'consistent';
}

const WORDS: Record<ClaimStanding, string> = {
  consistent: 'consistent',
  faster: 'faster than claimed',
  slower: '**not supported** (slower)',
  undecided: 'not decided (no interval)',
  'no data': 'no data',
};

/** The table cell: '-' without a claim, else the standing in words. */
export function claimSupport(r: readonly [number, number] | undefined, s: ScenarioResult | undefined): string {
  return r ? WORDS[claimStanding(r, s)] : '-';
}
