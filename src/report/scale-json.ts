/**
 * The scale report as JSON for machines (pure function of scale.json): per query and
 * variant the p95 per size, the growth fit and the estimate (labelled), and the budget
 * verdict on the measured points.
 */
import type { ScaleFile } from '../result/scale-schema.js';
import { fitOf, pointAt, scaleVerdict } from './scale-rows.js';

/** Version of this report format. */
export const SCALE_REPORT_JSON_VERSION = 1;

/** Renders the JSON report. */
export function renderScaleJson(f: ScaleFile): string {
  const v = scaleVerdict(f);
  const report = {
    reportVersion: SCALE_REPORT_JSON_VERSION,
    kind: 'ledger-bench scale report',
    partial: f.partial,
    ...(f.partialReason ? { partialReason: f.partialReason } : {}),
    sizes: f.sizes,
    budget: {
      expression: `p(95)<${f.budgetMs}`,
      judgedVariants: f.budgetVariants,
      judged: v.judged,
      passed: v.judged ? v.failed.length === 0 && v.inconclusive.length === 0 : null,
      counts: { pass: v.checks.length - v.failed.length - v.inconclusive.length, fail: v.failed.length, inconclusive: v.inconclusive.length },
      inconclusive: v.inconclusive.map((c) => ({ scale: c.point.scale, variant: c.point.variant, scenario: c.point.scenario, p95Ms: c.point.p95Ms })),
      failed: v.failed.map((c) => ({ scale: c.point.scale, variant: c.point.variant, scenario: c.point.scenario, p95Ms: c.point.p95Ms })),
    },
    confidence: f.confidence,
    thresholds: f.thresholds,
    queries: f.scenarios.map((scenario) => ({
      scenario,
      variants: f.variants.map((variant) => {
        const fit = fitOf(f, variant, scenario);
        return {
          variant,
          p95Ms: Object.fromEntries(f.sizes.map((s) => [s.label, pointAt(f, s.label, variant, scenario)?.p95Ms ?? null])),
          growth: fit ? { exponent: fit.slope, ci: fit.slopeCi, class: fit.growth, sizes: fit.n, notHeld: fit.notHeld } : null,
          ...(fit?.production ? { estimate: fit.production } : {}),
        };
      }),
    })),
  };
  return JSON.stringify(report, null, 2) + '\n';
}
