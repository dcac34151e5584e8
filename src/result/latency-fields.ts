/** The latency part of a scenario result, from its three histograms (one definition for every producer). */
import { encodeHistogram, summarizeHistogram, type Histogram } from '../stats/histogram.js';
import type { ScenarioResult } from './types.js';

/** latencyMs / serviceMs / lagMs summaries and the encoded histograms of a scenario result. */
export function latencyFields(h: { latency: Histogram; service: Histogram; lag: Histogram }): Pick<
  ScenarioResult,
  'latencyMs' | 'serviceMs' | 'lagMs' | 'histogram' | 'serviceHistogram' | 'lagHistogram'
> {
  return {
    latencyMs: summarizeHistogram(h.latency),
    serviceMs: summarizeHistogram(h.service),
    lagMs: summarizeHistogram(h.lag),
    histogram: encodeHistogram(h.latency),
    serviceHistogram: encodeHistogram(h.service),
    lagHistogram: encodeHistogram(h.lag),
  };
}
