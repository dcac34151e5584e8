/**
 * The purposes written after the ownership mark (`ledger-bench:owned <purpose>`) and
 * how they are read back. A database is marked complete only by the last step that
 * builds it (end of seed, end of migrate); until then its mark says it is incomplete,
 * so an interrupted build never looks like a finished one.
 *
 * - `baseline seeding (incomplete)` -> `baseline complete <params> data=<fingerprint>`
 * - `variant <v> of <template> (building: incomplete until migrate finishes)`
 *   -> `variant <v> complete of <template> data=<fingerprint>`
 *
 * `data=` is the {@link DataFingerprint} the database held when it was finished (for a
 * variant: the baseline's, which the clone must still equal after its migration).
 */
import { formatFingerprint, parseFingerprint, type DataFingerprint } from './fingerprint.js';

/** What a purpose says about a database. */
export type ParsedPurpose =
  | { kind: 'baseline'; complete: boolean; params: string; data?: DataFingerprint }
  | { kind: 'variant'; variant: string; complete: boolean; template: string; data?: DataFingerprint }
  | { kind: 'other'; purpose: string };

/** Mark of a baseline being seeded. */
export const BASELINE_SEEDING = 'baseline seeding (incomplete)';

/** Mark of a completely seeded baseline; `params` e.g. `scale=small seed=42 theta=0.99 asOf=2026-10-31`. */
export function baselineCompletePurpose(params: string, data: DataFingerprint): string {
  return `baseline complete ${params} data=${formatFingerprint(data)}`;
}

/** Mark of a variant clone while its migration runs. */
export function variantBuildingPurpose(variant: string, template: string): string {
  return `variant ${variant} of ${template} (building: incomplete until migrate finishes)`;
}

/** Mark of a variant whose migration finished; `data` is what it was cloned with. */
export function variantCompletePurpose(variant: string, template: string, data: DataFingerprint): string {
  return `variant ${variant} complete of ${template} data=${formatFingerprint(data)}`;
}

/** Reads a purpose (the mark without its `ledger-bench:owned` prefix). */
export function parsePurpose(purpose: string): ParsedPurpose {
  const dataText = / data=(\S+)$/.exec(purpose)?.[1];
  const data = dataText ? parseFingerprint(dataText) : undefined;
  const withData = <T extends object>(p: T) => (data ? { ...p, data } : p);
  const base = /^baseline (complete|seeding)\b\s*(.*?)(?: data=\S+)?$/.exec(purpose);
  if (base) return withData({ kind: 'baseline' as const, complete: base[1] === 'complete', params: base[2]! });
  const done = /^variant (\S+) complete of (\S+)/.exec(purpose);
  if (done) return withData({ kind: 'variant' as const, variant: done[1]!, complete: true, template: done[2]! });
  // Building, or a mark written before completeness was recorded: not known to be complete.
  const building = /^variant (\S+) of (\S+)/.exec(purpose);
  if (building) return { kind: 'variant', variant: building[1]!, complete: false, template: building[2]! };
  return { kind: 'other', purpose };
}
