/**
 * Seed scales: how many journal entries and accounts each named scale seeds.
 * Row counts of the other tables follow from these (see docs/seeding.md).
 */
import { UserError } from '../src/errors.js';

/** Named seed sizes. */
export type Scale = 'tiny' | 'small' | 'medium' | 'large';

/** The sizes a scale fixes. */
export interface ScaleSpec {
  /** Journal entries to generate. */
  entries: number;
  /** Regular (Zipf-drawn) accounts; the system accounts come on top. */
  accounts: number;
  /** Distinct anchor user addresses (Zipf-drawn per authorization). */
  userAddresses: number;
}

/** The scales, tiny (tests and smoke runs: the small scale's accounts, 5k entries) to large (10M entries). */
export const SCALES: Readonly<Record<Scale, ScaleSpec>> = {
  tiny: { entries: 5_000, accounts: 10_000, userAddresses: 5_000 },
  small: { entries: 100_000, accounts: 10_000, userAddresses: 5_000 },
  medium: { entries: 1_000_000, accounts: 10_000, userAddresses: 20_000 },
  large: { entries: 10_000_000, accounts: 100_000, userAddresses: 200_000 },
};

/** Resolves a scale name, throwing a {@link UserError} for an unknown one. */
export function scaleSpec(scale: string): ScaleSpec {
  if (Object.hasOwn(SCALES, scale)) return SCALES[scale as Scale];
  throw new UserError(`unknown seed scale "${scale}": use one of ${Object.keys(SCALES).join(', ')}`);
}

/** A seed size: a named scale, or one with its entry and account counts set by the user. */
export interface SeedSize extends ScaleSpec {
  /** The named scale, or `<entries>x<accounts>` for a custom size (recorded in the baseline's mark and in results). */
  label: string;
  /** The named scale it is, or the one it was derived from. */
  base: Scale;
  custom: boolean;
}

/**
 * The size `scale` gives, with `entries` and `accounts` (0 or absent: the scale's own)
 * overriding its counts. User addresses follow the accounts in the scale's own
 * proportion (small: one address per two accounts), so a custom size keeps the shape
 * of its scale. A size equal to the scale's own is that scale, not a custom one.
 */
export function seedSize(scale: Scale, entries = 0, accounts = 0): SeedSize {
  const spec = SCALES[scale];
  const e = entries || spec.entries;
  const a = accounts || spec.accounts;
  const custom = e !== spec.entries || a !== spec.accounts;
  const userAddresses = custom ? Math.max(1, Math.round((a * spec.userAddresses) / spec.accounts)) : spec.userAddresses;
  return { label: custom ? `${e}x${a}` : scale, base: scale, custom, entries: e, accounts: a, userAddresses };
}
