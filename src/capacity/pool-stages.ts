/**
 * Pools the stages of one extended run (sequential sampling, src/stats/sequential.ts):
 * the same workload at the same rate, run again on the same database, stage after
 * stage. Unlike merge.ts (concurrent parts of one run: rates add up), stages follow each
 * other in time: counts add up, rates are per second of the stages' measured time
 * together, histograms are merged bucket by bucket, and the batch lists are concatenated
 * (each stage's batches are contiguous sub-windows of its own window, so the pooled
 * list is a list of contiguous sub-windows too). The intervals (latencyCi) are
 * recomputed at the look's confidence.
 */
import { addCounts, mergeHist } from '../result/merge.js';
import type { RunResult, ScenarioResult } from '../result/types.js';
import { CONF, latencyCi } from '../stats/latency-ci.js';

const secOf = (r: RunResult) => r.measuredSec ?? r.target.durationSec;

function poolScenario(parts: ScenarioResult[], secs: number[]): ScenarioResult {
  const first = parts[0]!;
  const total = secs.reduce((a, b) => a + b, 0);
  // Per-second rates weighted by each stage's measured time.
  const perSec = (f: (s: ScenarioResult) => number) => (total > 0 ? parts.reduce((a, s, i) => a + f(s) * secs[i]!, 0) / total : f(first));
  const lat = mergeHist(parts.map((p) => p.histogram));
  const svc = mergeHist(parts.map((p) => p.serviceHistogram ?? p.histogram));
  const batches = parts.every((p) => p.batchHistograms) ? parts.flatMap((p) => p.batchHistograms!) : undefined;
  return {
    ...first,
    targetRate: perSec((s) => s.targetRate),
    achievedRate: perSec((s) => s.achievedRate),
    ...addCounts(parts),
    ...(lat ? { latencyMs: lat.summary, histogram: lat.encoded } : {}),
    ...(svc && parts.every((p) => p.serviceHistogram) ? { serviceMs: svc.summary, serviceHistogram: svc.encoded } : {}),
    ...(lat ? { latencyCi: latencyCi(lat.encoded, batches, first.latencyCi?.conf ?? CONF) } : {}),
    ...(batches ? { batchHistograms: batches } : {}),
  };
}

/**
 * The stages of one run as one result, its intervals at `conf` (the look's confidence).
 * One stage is returned with its intervals recomputed at `conf`. Throws on an empty list.
 * The pooled result is the first stage's with: counts summed, rates per second of the
 * pooled measured time, partial if any stage is, the timelines laid end to end (each
 * later stage shifted past the previous one's last second), and `stages` recorded.
 */
export function poolStages(results: readonly RunResult[], conf = CONF): RunResult {
  if (results.length === 0) throw new Error('poolStages: no stages to pool');
  const secs = results.map(secOf);
  const total = secs.reduce((a, b) => a + b, 0);
  const perSec = (f: (r: RunResult) => number) => (total > 0 ? results.reduce((a, r, i) => a + f(r) * secs[i]!, 0) / total : f(results[0]!));
  const byName = new Map<string, ScenarioResult[]>();
  for (const r of results) for (const s of r.scenarios) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  const scenarios = [...byName.values()].map((parts) => {
    const stageSecs = parts.map((p) => secs[results.findIndex((r) => r.scenarios.includes(p))]!);
    const pooled = poolScenario(parts, stageSecs);
    return pooled.histogram ? { ...pooled, latencyCi: latencyCi(pooled.histogram, pooled.batchHistograms, conf) } : pooled;
  });
  let shift = 0;
  const timeline = results.every((r) => r.timeline)
    ? results.flatMap((r) => {
        const points = r.timeline!.map((p) => ({ ...p, t: p.t + shift }));
        shift = points.at(-1)?.t ?? shift;
        return points;
      })
    : undefined;
  const last = results.at(-1)!;
  const first = results[0]!;
  const reasons = results.map((r) => r.partialReason).filter((x): x is string => !!x);
  const kinds = results.filter((r) => r.partial).map((r) => r.partialKind ?? 'broken');
  return {
    ...first,
    partial: results.some((r) => r.partial),
    ...(reasons.length ? { partialReason: reasons.join('; ') } : {}),
    ...(kinds.length ? { partialKind: kinds.includes('broken') ? 'broken' : 'interrupted' } : {}),
    endedAt: last.endedAt,
    measuredSec: total,
    ...(results.every((r) => r.offeredRate !== undefined) ? { offeredRate: perSec((r) => r.offeredRate!) } : {}),
    achievedRate: perSec((r) => r.achievedRate),
    reachedTarget: results.every((r) => r.reachedTarget),
    dropped: results.reduce((a, r) => a + (r.dropped ?? 0), 0),
    straddlers: results.reduce((a, r) => a + (r.straddlers ?? 0), 0),
    scenarios,
    ...(timeline ? { timeline } : {}),
    stages: results.length,
  };
}
