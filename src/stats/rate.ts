/** Rate arithmetic for the result: achieved rate and whether the target was reached. */

/** Relative shortfall tolerated before a run is flagged as having missed its target. */
export const DEFAULT_RATE_TOLERANCE = 0.01;

/** Completions per second over a window. */
export function achievedRate(completed: number, windowSec: number): number {
  return windowSec > 0 ? completed / windowSec : 0;
}

/**
 * True when the run completed at least (1 - tolerance) of what was offered in the
 * measured window. `offered` is the number of slots due in the window (for Poisson
 * arrivals this is the realised count, not rate × duration, so randomness in the
 * arrival count is not mistaken for a shortfall).
 */
export function reachedTarget(completed: number, offered: number, tolerance = DEFAULT_RATE_TOLERANCE): boolean {
  if (offered <= 0) return completed >= 0;
  return completed >= offered * (1 - tolerance);
}

/** Splits an integer total into `parts` near-equal integer shares (first ones get the remainder). */
export function splitEvenly(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  const rem = total - base * parts;
  return Array.from({ length: parts }, (_, i) => base + (i < rem ? 1 : 0));
}
