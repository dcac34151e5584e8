/**
 * Same or different (pure): two estimates whose confidence intervals overlap are "no
 * significant difference"; disjoint intervals say which is lower. Overlap is a
 * conservative test (two 95% intervals that just touch differ at about the 0.6% level for
 * equal widths), used where no ratio interval is at hand (A/A checks of `isolate`); the
 * improvement table's ratio intervals are src/stats/ratio-ci.ts's.
 */

/** An interval; hi null = unbounded above. */
export interface Interval {
  lo: number;
  hi: number | null;
}

/** 'no significant difference' when the intervals overlap, else which one is lower. */
export function sameOrDifferent(a: Interval, b: Interval): 'no significant difference' | 'a lower' | 'b lower' {
  if (a.hi !== null && a.hi < b.lo) return 'a lower';
  if (b.hi !== null && b.hi < a.lo) return 'b lower';
  return 'no significant difference';
}
