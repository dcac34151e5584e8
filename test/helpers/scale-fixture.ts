/** A scale.json built from exact power laws (pure): three sizes, baseline and optimized, two queries; partial: the largest size not reached. */
import { SCALE_KIND, SCALE_VERSION, type ScaleFile, type ScalePoint } from '../../src/result/scale-schema.js';
import { scaleFits } from '../../src/result/scale-fits.js';
import { GROWTH_THRESHOLDS } from '../../src/stats/growth-fit.js';

const SIZES = [
  { label: 'tiny', entries: 5000 },
  { label: 'small', entries: 100_000 },
  { label: 'medium', entries: 1_000_000 },
];
// p95 = c * entries^b exactly for the baseline's history (b = 1: linear), flat for the lookups.
const P95: Record<string, (e: number) => number> = {
  'baseline/balance-history': (e) => e / 1000,
  'optimized/balance-history': (e) => 0.2 * e ** 0.3,
  'baseline/balance-lookup': () => 1.5,
  'optimized/balance-lookup': () => 1.2,
};

export function scaleFixture(partial = false): ScaleFile {
  const variants = ['baseline', 'optimized'];
  const scenarios = ['balance-lookup', 'balance-history'];
  const points: ScalePoint[] = SIZES.flatMap((s) =>
    variants.flatMap((variant) =>
      scenarios.map((scenario) => {
        const p95 = P95[`${variant}/${scenario}`]!(s.entries);
        return { scale: s.label, entries: s.entries, variant, scenario, p50Ms: p95 / 2, p95Ms: p95, p95Ci: { low: p95 * 0.9, high: p95 * 1.1 }, p99Ms: p95 * 1.5, rate: 20, held: true, partial: false, count: 100, errors: 0, resultFile: `${s.label}/${variant}--${scenario}.json` };
      }),
    ),
  );
  const used = partial ? points.filter((p) => p.scale !== 'medium') : points;
  return {
    kind: SCALE_KIND, scaleVersion: SCALE_VERSION, startedAt: '2026-01-01T00:00:00.000Z', partial, ...(partial ? { partialReason: 'interrupted' } : {}),
    budgetMs: 50, budgetVariants: ['optimized'], productionEntries: 50_000_000, isolation: { rate: 20, durationSec: 5, warmupSec: 1 }, confidence: 0.95,
    thresholds: { ...GROWTH_THRESHOLDS }, variants, scenarios,
    sizes: SIZES.map((s) => ({ ...s, accounts: 10_000, userAddresses: 5000, baselineDatabase: `lb_${s.label}_baseline`, reused: s.label === 'small', seedSec: s.label === 'small' ? null : 3, buildSec: { optimized: 2 }, totalSec: 20 })),
    points: used,
    fits: scaleFits(used, variants, scenarios, 50_000_000),
  };
}
