/**
 * A cheap fingerprint of a ledger database's data, recorded in the ownership mark when
 * the baseline is seeded and copied into every variant cloned from it, so a later run
 * can tell whether the database still holds the data it was built with.
 *
 * It is not a checksum: it catches what the write mix and the oracle's write burst
 * do (new entries, new lines, new or advanced authorizations) at the cost of one scan
 * of journal_entries and one of anchor_authorizations; the rest are index lookups.
 * The same columns exist in every variant (partitioned ones included).
 */
import type pg from 'pg';

/** What the fingerprint records. */
export interface DataFingerprint {
  /** count(*) of journal_entries. */
  entries: number;
  /** max(entry_number) of journal_entries (every insert draws a new one). */
  maxEntry: number;
  /** max(id) of journal_entry_lines (every inserted line draws a new one). */
  maxLine: number;
  /** count(*) of anchor_authorizations. */
  anchors: number;
  /** max(updated_at) of anchor_authorizations, microseconds since the epoch (every advance sets it to now()). */
  anchorsAt: number;
}

const KEYS = ['entries', 'maxEntry', 'maxLine', 'anchors', 'anchorsAt'] as const;

/** Measures the fingerprint of the database `client` is connected to. */
export async function dataFingerprint(client: Pick<pg.Client, 'query'>): Promise<DataFingerprint> {
  const r = await client.query<Record<string, string | null>>(
    `SELECT (SELECT count(*) FROM journal_entries)::text AS entries,
            (SELECT coalesce(max(entry_number), 0) FROM journal_entries)::text AS "maxEntry",
            (SELECT coalesce(max(id), 0) FROM journal_entry_lines)::text AS "maxLine",
            a.n::text AS anchors,
            coalesce((extract(epoch FROM a.at) * 1000000)::bigint, 0)::text AS "anchorsAt"
       FROM (SELECT count(*) AS n, max(updated_at) AS at FROM anchor_authorizations) a`,
  );
  const row = r.rows[0]!;
  return Object.fromEntries(KEYS.map((k) => [k, Number(row[k] ?? 0)])) as unknown as DataFingerprint;
}

/** `entries:100000,maxEntry:100000,...`: the form stored in a mark (no spaces). */
export function formatFingerprint(fp: DataFingerprint): string {
  return KEYS.map((k) => `${k}:${fp[k]}`).join(',');
}

/** Inverse of {@link formatFingerprint}; undefined when `text` is not one. */
export function parseFingerprint(text: string): DataFingerprint | undefined {
  const pairs = new Map(text.split(',').map((p) => p.split(':') as [string, string]));
  if (!KEYS.every((k) => pairs.has(k) && /^\d+$/.test(pairs.get(k)!))) return undefined;
  return Object.fromEntries(KEYS.map((k) => [k, Number(pairs.get(k))])) as unknown as DataFingerprint;
}

/** What differs between `recorded` and `now`, e.g. `["entries 100000 -> 100012"]`; empty when equal. */
export function fingerprintDiff(recorded: DataFingerprint, now: DataFingerprint): string[] {
  return KEYS.filter((k) => recorded[k] !== now[k]).map((k) => `${k} ${recorded[k]} -> ${now[k]}`);
}
