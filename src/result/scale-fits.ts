/**
 * The growth fits of scale.json from its points (pure): per variant x query, the p95s
 * of the complete runs, one per size, fitted against entries (src/stats/growth-fit.ts),
 * and the extrapolation to the production size when one is asked for.
 */
import { fitGrowth, predictGrowth } from '../stats/growth-fit.js';
import type { ScaleFit, ScalePoint } from './scale-schema.js';

/** The points a fit uses: complete runs that measured a p95. */
export function fitPoints(points: readonly ScalePoint[], variant: string, scenario: string): ScalePoint[] {
  return points.filter((p) => p.variant === variant && p.scenario === scenario && !p.partial && p.p95Ms !== null && p.p95Ms > 0);
}

/** One fit per variant x scenario, in the order given. */
export function scaleFits(points: readonly ScalePoint[], variants: readonly string[], scenarios: readonly string[], productionEntries: number | null): ScaleFit[] {
  return variants.flatMap((variant) =>
    scenarios.map((scenario): ScaleFit => {
      const used = fitPoints(points, variant, scenario);
      const fit = fitGrowth(used.map((p) => ({ entries: p.entries, p95Ms: p.p95Ms! })));
      const notHeld = used.filter((p) => !p.held).length;
      if (!fit) return { variant, scenario, n: used.length, slope: null, slopeCi: null, growth: null, intercept: null, residualSd: null, notHeld };
      const base = { variant, scenario, n: fit.n, slope: fit.slope, slopeCi: fit.slopeCi, growth: fit.growth, intercept: fit.intercept, residualSd: fit.residualSd, notHeld };
      if (!productionEntries) return base;
      const p = predictGrowth(fit, productionEntries);
      return { ...base, production: { kind: 'model estimate', entries: productionEntries, p95Ms: p.p95Ms, interval: p.interval } };
    }),
  );
}
