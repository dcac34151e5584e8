/**
 * What every scale report shows, computed once from scale.json (pure): the budget
 * verdict on the measured points, and the texts of a growth fit and of an
 * extrapolation (always labelled a model estimate).
 */
import type { ScaleFile, ScaleFit, ScalePoint } from '../result/scale-schema.js';
import { fmtMs } from './model.js';
import { intervalVerdict, type Verdict } from '../budgets/evaluate.js';

/** One measured point judged against the budget (p95 under budgetMs), three-valued on the p95's interval. */
export interface ScaleCheck {
  point: ScalePoint;
  verdict: Verdict;
  pass: boolean;
}

/**
 * The verdict: judged only on a complete file, on its judged variants' measured points;
 * estimates are never judged. A point without an interval (too few samples, no data,
 * a partial run) is inconclusive, never a pass.
 */
export interface ScaleVerdict {
  judged: boolean;
  checks: ScaleCheck[];
  failed: ScaleCheck[];
  inconclusive: ScaleCheck[];
}

/** Judges the measured points of the judged variants. */
export function scaleVerdict(f: ScaleFile): ScaleVerdict {
  const checks = f.points
    .filter((p) => f.budgetVariants.includes(p.variant))
    .map((point): ScaleCheck => {
      const verdict: Verdict = point.p95Ms === null || point.partial || !point.p95Ci ? 'inconclusive' : intervalVerdict(point.p95Ci.low, point.p95Ci.high, '<', f.budgetMs);
      return { point, verdict, pass: verdict === 'pass' };
    });
  const judged = !f.partial;
  return { judged, checks, failed: judged ? checks.filter((c) => c.verdict === 'fail') : [], inconclusive: judged ? checks.filter((c) => c.verdict === 'inconclusive') : [] };
}

/** The point of a size x variant x scenario, if measured. */
export function pointAt(f: ScaleFile, scale: string, variant: string, scenario: string): ScalePoint | undefined {
  return f.points.find((p) => p.scale === scale && p.variant === variant && p.scenario === scenario);
}

/** `12.3` (with its interval when the result had one; `not held` marks queueing in it). */
export function pointText(p: ScalePoint | undefined): string {
  if (!p) return '-';
  if (p.p95Ms === null) return p.partial ? 'partial, no data' : 'no data';
  const ci = p.p95Ci ? ` [${fmtMs(p.p95Ci.low)}, ${p.p95Ci.high === null ? '>max' : fmtMs(p.p95Ci.high)}]` : ' (no interval)';
  const notes = [p.partial ? 'partial' : '', p.held ? '' : `not held at ${p.rate}/s`].filter(Boolean);
  return `${fmtMs(p.p95Ms)}${ci}${notes.length ? ` (${notes.join(', ')})` : ''}`;
}

/** `0.93 [0.71, 1.15], linear`, or why there is no interval or no fit. */
export function growthText(fit: ScaleFit | undefined): string {
  if (!fit || fit.slope === null) return `no fit (${fit?.n ?? 0} size${fit?.n === 1 ? '' : 's'} with a p95; two are needed)`;
  const ci = fit.slopeCi ? ` [${fit.slopeCi.low.toFixed(2)}, ${fit.slopeCi.high.toFixed(2)}]` : ' (no interval: 2 sizes)';
  return `${fit.slope.toFixed(2)}${ci}, ${fit.growth}${fit.notHeld ? ` (${fit.notHeld} point${fit.notHeld === 1 ? '' : 's'} not held)` : ''}`;
}

/** A bound of an interval or an estimate: far outside the measured range (a wide interval) in exponent form, e.g. `3.2e+9`. */
export function fmtBound(x: number): string {
  return x >= 1e5 || (x > 0 && x < 0.01) ? x.toExponential(1) : fmtMs(x);
}

/** `~2300 [410, 13000] (model estimate)`, or '-' when no extrapolation was asked or possible. */
export function estimateText(fit: ScaleFit | undefined): string {
  const p = fit?.production;
  if (!p) return '-';
  const iv = p.interval ? ` [${fmtBound(p.interval.low)}, ${fmtBound(p.interval.high)}]` : '';
  return `~${fmtBound(p.p95Ms)}${iv} (model estimate${p.interval ? '' : ', no interval: 2 sizes'})`;
}

/** The sizes in the order measured. */
export function sizeLabels(f: ScaleFile): string[] {
  return f.sizes.map((s) => s.label);
}

/** The fit of a variant x scenario. */
export function fitOf(f: ScaleFile, variant: string, scenario: string): ScaleFit | undefined {
  return f.fits.find((x) => x.variant === variant && x.scenario === scenario);
}

/**
 * The budget outcome of a complete scale.json (pure): its line, and whether it blocks
 * (exit 99): a decided fail, or an undecided point unless the file's policy is 'pass'.
 * `what` starts the line (`scale complete (6 points)`).
 */
export function scaleBudgetOutcome(f: ScaleFile, what: string): { line: string; blocking: boolean } {
  const v = scaleVerdict(f);
  const blocking = f.inconclusive === 'pass' ? [] : v.inconclusive;
  if (v.failed.length || blocking.length) {
    const list = (cs: readonly ScaleCheck[]) => cs.map((c) => `${c.point.variant} / ${c.point.scenario} at ${c.point.scale}`).join(', ');
    const failed = v.failed.length ? `failed on ${v.failed.length}: ${list(v.failed)}` : '';
    const open = blocking.length ? `not decided on ${blocking.length}: ${list(blocking)} (--inconclusive pass lets that through)` : '';
    return { line: `${what}, the budget ${[failed, open].filter(Boolean).join('; ')}`, blocking: true };
  }
  const undecided = v.inconclusive.length ? `, ${v.inconclusive.length} not decided (counted as met: --inconclusive pass)` : '';
  return { line: `${what}${v.checks.length ? `, budget met on ${v.checks.length - v.inconclusive.length}${undecided}` : ''}`, blocking: false };
}
