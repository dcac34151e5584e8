/**
 * scale.json, written by `ledger-bench scale`: per size (a named scale or a custom
 * one) how it was obtained (seeded or reused) and what it cost, per size x variant x
 * query the p95 of the query run alone, and per variant x query the growth fit (the
 * exponent of p95 against entries, its interval and class) with, when asked, the p95
 * extrapolated to the production size, a model estimate and never a measurement.
 * Rewritten after each measured point, so an interrupted job leaves a partial file.
 * Objects are loose (later versions may add optional fields); bump SCALE_VERSION on
 * an incompatible change.
 */
import { z } from 'zod';

/** Marks scale.json (its `kind`). */
export const SCALE_KIND = 'ledger-bench scale';
/** Version of scale.json's format. */
export const SCALE_VERSION = 1;
/** File name of the summary in the job's --out. */
export const SCALE_FILE = 'scale.json';

const interval = z.object({ low: z.number(), high: z.number() });
/** A p95's interval: high null = above the largest sample (the data cannot bound it). */
const p95Interval = z.object({ low: z.number(), high: z.number().nullable() });

/** One size measured. */
export const scaleSizeSchema = z.looseObject({
  /** tiny, small, medium, large, or ENTRIESxACCOUNTS. */
  label: z.string(),
  entries: z.number().int().positive(),
  accounts: z.number().int().positive(),
  userAddresses: z.number().int().positive(),
  /** The baseline database the size's variants were built from. */
  baselineDatabase: z.string(),
  /** A complete baseline of this size was reused instead of seeding it. */
  reused: z.boolean(),
  /** Seconds seeding took (null: reused, or not reached). */
  seedSec: z.number().nullable(),
  /** Seconds each variant took to build (migration of a clone of the baseline). */
  buildSec: z.record(z.string(), z.number()),
  /** Seconds from the start of this size (seed or reuse) to its last query measured (null: not finished). */
  totalSec: z.number().nullable(),
});

/** One query alone on one variant at one size. */
export const scalePointSchema = z.looseObject({
  scale: z.string(),
  entries: z.number().int().positive(),
  variant: z.string(),
  scenario: z.string(),
  /** Null when the run completed nothing. */
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
  p99Ms: z.number().nullable(),
  /** The p95's 95% interval, when the result carries one (latencyCi). */
  p95Ci: p95Interval.optional(),
  /** The rate the recorded run offered, and whether it held it (a run that did not is queueing too: its p95 is an upper bound). */
  rate: z.number(),
  held: z.boolean(),
  partial: z.boolean(),
  count: z.number().int(),
  errors: z.number().int(),
  /** The run's result JSON, relative to scale.json. */
  resultFile: z.string(),
});

/** How one query's p95 grows with entries on one variant. */
export const scaleFitSchema = z.looseObject({
  variant: z.string(),
  scenario: z.string(),
  /** Sizes in the fit. */
  n: z.number().int(),
  /** Null: fewer than two sizes with a p95 (no line). */
  slope: z.number().nullable(),
  /** 95% t-interval of the slope; null with two sizes (no residual to estimate the noise) or no fit. */
  slopeCi: interval.nullable(),
  growth: z.enum(['flat', 'logarithmic-ish', 'linear', 'worse']).nullable(),
  intercept: z.number().nullable(),
  residualSd: z.number().nullable(),
  /** Points in the fit whose run did not hold its rate. */
  notHeld: z.number().int(),
  /** The p95 at --production-entries from the fit: a model estimate, with its 95% prediction interval (null with two sizes). */
  production: z
    .looseObject({ kind: z.literal('model estimate'), entries: z.number(), p95Ms: z.number(), interval: interval.nullable() })
    .optional(),
});

/** scale.json. */
export const scaleFileSchema = z.looseObject({
  kind: z.literal(SCALE_KIND),
  scaleVersion: z.literal(SCALE_VERSION),
  startedAt: z.string(),
  /** True until every planned point is measured (interrupted or broken). */
  partial: z.boolean(),
  partialReason: z.string().optional(),
  budgetMs: z.number(),
  /** Variants the budget judges (measured points only; estimates are never judged). */
  budgetVariants: z.array(z.string()),
  productionEntries: z.number().nullable(),
  /** Each query ran alone at this rate (halved where it did not hold), for this window after this warm-up. */
  isolation: z.object({ rate: z.number(), durationSec: z.number(), warmupSec: z.number() }),
  confidence: z.number(),
  thresholds: z.object({ flatBelow: z.number(), logarithmicBelow: z.number(), linearUpTo: z.number() }),
  variants: z.array(z.string()),
  scenarios: z.array(z.string()),
  sizes: z.array(scaleSizeSchema),
  points: z.array(scalePointSchema),
  fits: z.array(scaleFitSchema),
});

export type ScaleFile = z.infer<typeof scaleFileSchema>;
export type ScaleSize = z.infer<typeof scaleSizeSchema>;
export type ScalePoint = z.infer<typeof scalePointSchema>;
export type ScaleFit = z.infer<typeof scaleFitSchema>;

/** Parses scale.json, or returns the problems (where and what). */
export function parseScaleFile(raw: unknown): { ok: true; value: ScaleFile } | { ok: false; problems: string[] } {
  const r = scaleFileSchema.safeParse(raw);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, problems: r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`) };
}
