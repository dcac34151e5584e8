/**
 * Fast formatting of values for PostgreSQL COPY text format (tab-separated, `\N` for
 * NULL). Values are built as strings without per-row objects; pooled strings are
 * sanitised once (see {@link cleanText}) so they never need escaping on the hot path.
 */
import type { SeededRng } from '../src/random/rng.js';

const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));

/** Two-digit zero-padded strings '00'..'99'. */
const PAD2: string[] = [];
for (let i = 0; i < 100; i++) PAD2.push(i < 10 ? '0' + i : String(i));

/** COPY's NULL marker in text format. */
export const NULL = '\\N';

/** A version-4 UUID whose 122 random bits come from `rng` (so seeds reproduce ids). */
export function uuidFrom(rng: SeededRng): string {
  const a = rng.u32();
  const b = rng.u32();
  const c = rng.u32();
  const d = rng.u32();
  return (
    HEX[a >>> 24]! + HEX[(a >>> 16) & 255]! + HEX[(a >>> 8) & 255]! + HEX[a & 255]! + '-' +
    HEX[b >>> 24]! + HEX[(b >>> 16) & 255]! + '-' +
    // version nibble 4
    HEX[0x40 | ((b >>> 8) & 15)]! + HEX[b & 255]! + '-' +
    // variant bits 10xx
    HEX[0x80 | ((c >>> 24) & 63)]! + HEX[(c >>> 16) & 255]! + '-' +
    HEX[(c >>> 8) & 255]! + HEX[c & 255]! + HEX[d >>> 24]! + HEX[(d >>> 16) & 255]! + HEX[(d >>> 8) & 255]! + HEX[d & 255]!
  );
}

/** 40 lowercase hex digits prefixed with 0x (an EVM address), from `rng`. */
export function addressFrom(rng: SeededRng): string {
  let s = '0x';
  for (let i = 0; i < 5; i++) {
    const w = rng.u32();
    s += HEX[w >>> 24]! + HEX[(w >>> 16) & 255]! + HEX[(w >>> 8) & 255]! + HEX[w & 255]!;
  }
  return s;
}

/**
 * Formats integer cents (minor units of 0.01) as numeric(19,4) text: 12345 -> '123.4500'.
 * Amounts are integers end to end so debit and credit sums are exact.
 */
export function money(cents: number): string {
  return Math.floor(cents / 100) + '.' + PAD2[cents % 100]! + '00';
}

/**
 * Makes a pooled string safe for both COPY text and a JSON string literal by dropping
 * backslashes, double quotes and control characters (faker output rarely has any),
 * and trimming it to `max` characters.
 */
export function cleanText(s: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\\"\u0000-\u001f\u007f]/g, '').slice(0, max);
}
