/**
 * Exact, order-aware or order-insensitive comparison of query answers.
 *
 * Values are compared as strings: numerics arrive as text from node-postgres (and
 * dates/timestamps too, through {@link TEXT_TYPES}), and are canonicalised without
 * ever becoming floating point: '12.3400' and '12.34' are the same number, '-0' is 0.
 */
import pg from 'pg';
import type { Row } from '../../scenarios/types.js';

const DATE = 1082;
const TIMESTAMP = 1114;
const TIMESTAMPTZ = 1184;

/** node-postgres type parsers that keep date/time values as the server's text (no JS Date, no time zone shift). */
export const TEXT_TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === DATE || oid === TIMESTAMP || oid === TIMESTAMPTZ) return (v: string) => v;
    return pg.types.getTypeParser(oid, format ?? 'text');
  },
} as unknown as pg.CustomTypesConfig;

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** Canonical text of one value: decimals lose trailing zeros (exactly, as text). */
export function canonicalValue(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'bigint') return canonicalValue(String(v));
  if (typeof v === 'string') {
    if (!DECIMAL.test(v)) return v;
    let s = v.includes('.') ? v.replace(/0+$/, '').replace(/\.$/, '') : v;
    s = s.replace(/^(-?)0+(?=\d)/, '$1');
    return s === '-0' ? '0' : s;
  }
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v);
}

/** Canonical text of a row: columns sorted by name, values canonicalised. */
export function canonicalRow(row: Row): string {
  return JSON.stringify(
    Object.keys(row)
      .sort()
      .map((k) => [k, canonicalValue(row[k])]),
  );
}

/** The first difference between two answers. */
export interface RowDiff {
  /** Row position (in sorted order when unordered). */
  index: number;
  beforeRows: number;
  afterRows: number;
  /** The differing rows (undefined past the end of one side). */
  before?: Row;
  after?: Row;
}

/** Compares two answers; null when equal. Unordered answers are compared as sorted multisets. */
export function diffRows(before: Row[], after: Row[], ordered: boolean): RowDiff | null {
  const b = before.map((r) => ({ r, k: canonicalRow(r) }));
  const a = after.map((r) => ({ r, k: canonicalRow(r) }));
  if (!ordered) {
    b.sort((x, y) => (x.k < y.k ? -1 : x.k > y.k ? 1 : 0));
    a.sort((x, y) => (x.k < y.k ? -1 : x.k > y.k ? 1 : 0));
  }
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (b[i]?.k !== a[i]?.k) {
      return { index: i, beforeRows: b.length, afterRows: a.length, before: b[i]?.r, after: a[i]?.r };
    }
  }
  return null;
}
