/**
 * HDR histograms of latencies in integer microseconds: bounded memory (a few tens of KB
 * each, whatever the run length), 3 significant digits, mergeable, and serialisable in
 * the compressed base64 V2 format every HdrHistogram implementation reads.
 *
 * The WebAssembly build is used: bench/engine-hdr-record.ts measured ~22 ns per
 * recordValue against ~150 ns for the pure-JS build on this machine. WebAssembly
 * histograms live outside the JS heap, so whoever creates one must `destroy()` it.
 */
import * as hdr from 'hdr-histogram-js';
import type { LatencySummary } from './percentiles.js';

export type Histogram = hdr.Histogram;

hdr.initWebAssemblySync();

/** Highest value tracked: one hour in microseconds (auto-resize still extends it). */
const HIGHEST_US = 3_600_000_000;

/**
 * A new, empty latency histogram (microseconds, 3 significant digits by default; the
 * per-batch histograms behind confidence intervals use 2, a tenth of the memory).
 */
export function createHistogram(digits: 2 | 3 = 3): Histogram {
  return hdr.build({
    useWebAssembly: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: digits,
    autoResize: true,
  });
}

/** Compressed base64 (V2 encoding) of a histogram. */
export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

/** Decodes a compressed base64 histogram (V2 encoding) into a new histogram the caller owns. */
export function decodeHistogram(encoded: string): Histogram {
  return hdr.decodeFromCompressedBase64(encoded, 32, true);
}

/** Merges encoded histograms into one encoded histogram (empty input gives an empty histogram; '' entries are skipped). */
export function mergeEncoded(encoded: readonly string[], digits: 2 | 3 = 3): string {
  const total = createHistogram(digits);
  try {
    for (const e of encoded) {
      if (!e) continue;
      const h = decodeHistogram(e);
      total.add(h);
      h.destroy();
    }
    return encodeHistogram(total);
  } finally {
    total.destroy();
  }
}

/** Summary of a microsecond histogram, converted to milliseconds. Empty gives zeros. */
export function summarizeHistogram(h: Histogram): LatencySummary {
  if (h.totalCount === 0) return { p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0, mean: 0 };
  const ms = (us: number): number => us / 1000;
  return {
    p50: ms(h.getValueAtPercentile(50)),
    p90: ms(h.getValueAtPercentile(90)),
    p95: ms(h.getValueAtPercentile(95)),
    p99: ms(h.getValueAtPercentile(99)),
    p999: ms(h.getValueAtPercentile(99.9)),
    max: ms(h.maxValue),
    mean: ms(h.mean),
  };
}

/** Summary (milliseconds) of an encoded microsecond histogram. */
export function summarizeEncoded(encoded: string): LatencySummary {
  const h = decodeHistogram(encoded);
  try {
    return summarizeHistogram(h);
  } finally {
    h.destroy();
  }
}

/** Total count recorded in an encoded histogram. */
export function countEncoded(encoded: string): number {
  const h = decodeHistogram(encoded);
  try {
    return h.totalCount;
  } finally {
    h.destroy();
  }
}
