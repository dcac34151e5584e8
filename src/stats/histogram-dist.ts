/**
 * HDR histograms as {@link Dist}s for the interval code: the recorded values (each the
 * highest value equivalent to its bucket, as `getValueAtPercentile` reports) with their
 * counts, converted from microseconds to milliseconds. Decoded with the pure-JS build,
 * which exposes the recorded-values iterator the WebAssembly build lacks.
 */
import * as hdr from 'hdr-histogram-js';
import type { Dist } from './quantile-ci.js';

interface IterValue {
  valueIteratedTo: number;
  countAtValueIteratedTo: number;
}
interface JsIter {
  reset(): void;
  hasNext(): boolean;
  next(): IterValue;
}

/** The distribution (ms) of a compressed base64 V2 histogram of microseconds; '' gives an empty one. */
export function distFromEncoded(encoded: string): Dist {
  const values: number[] = [];
  const counts: number[] = [];
  let n = 0;
  if (!encoded) return { values, counts, n };
  const h = hdr.decodeFromCompressedBase64(encoded, 32, false) as unknown as { recordedValuesIterator: JsIter; destroy(): void };
  const it = h.recordedValuesIterator;
  it.reset();
  while (it.hasNext()) {
    const v = it.next();
    values.push(v.valueIteratedTo / 1000);
    counts.push(v.countAtValueIteratedTo);
    n += v.countAtValueIteratedTo;
  }
  h.destroy();
  return { values, counts, n };
}
