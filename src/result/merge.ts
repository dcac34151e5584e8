/**
 * Merges results that are concurrent parts of ONE run: the worker threads of a process,
 * or the segments several machines ran of one global schedule (`--segment 1/3`, ...).
 * Counts and rates add up; histograms are added bucket by bucket, so the merged
 * percentiles are exactly those of one combined run (not an average of percentiles).
 */
import { decodeHistogram, createHistogram, encodeHistogram, mergeEncoded, summarizeHistogram } from '../stats/histogram.js';
import { latencyCi } from '../stats/latency-ci.js';
import { SCHEMA_VERSION } from './schema.js';
import { UserError } from '../errors.js';
import type { LatencySummaryMs, RunResult, ScenarioResult, TimelinePoint } from './types.js';

/** Adds encoded histograms bucket by bucket (undefined when any is missing): the pooled histogram and its summary. */
export function mergeHist(encoded: Array<string | undefined>): { encoded: string; summary: LatencySummaryMs } | undefined {
  if (encoded.some((e) => e === undefined)) return undefined;
  const total = createHistogram();
  try {
    for (const e of encoded) {
      const h = decodeHistogram(e!);
      total.add(h);
      h.destroy();
    }
    return { encoded: encodeHistogram(total), summary: summarizeHistogram(total) };
  } finally {
    total.destroy();
  }
}

/** The counts of a scenario's parts added up (offered only when some part has it): the same whether parts ran together or one after another. */
export function addCounts(parts: readonly ScenarioResult[]): Pick<ScenarioResult, 'offered' | 'count' | 'errors' | 'errorsByCode' | 'retries' | 'dropped' | 'straddlers'> {
  const sum = (f: (s: ScenarioResult) => number | undefined): number => parts.reduce((a, s) => a + (f(s) ?? 0), 0);
  const errorsByCode: Record<string, number> = {};
  for (const p of parts) for (const [k, v] of Object.entries(p.errorsByCode)) errorsByCode[k] = (errorsByCode[k] ?? 0) + v;
  return {
    ...(parts.some((p) => p.offered !== undefined) ? { offered: sum((s) => s.offered) } : {}),
    count: sum((s) => s.count),
    errors: sum((s) => s.errors),
    errorsByCode,
    retries: sum((s) => s.retries),
    dropped: sum((s) => s.dropped),
    straddlers: sum((s) => s.straddlers),
  };
}

function mergeScenario(parts: ScenarioResult[]): ScenarioResult {
  const first = parts[0]!;
  const sum = (f: (s: ScenarioResult) => number | undefined): number => parts.reduce((a, s) => a + (f(s) ?? 0), 0);
  const lat = mergeHist(parts.map((p) => p.histogram))!;
  const svc = mergeHist(parts.map((p) => p.serviceHistogram));
  const lag = mergeHist(parts.map((p) => p.lagHistogram));
  const notes = parts.flatMap((p) => p.notes ?? []);
  const batchHistograms = mergeBatches(parts.map((p) => p.batchHistograms));
  return {
    ...first,
    targetRate: sum((s) => s.targetRate),
    achievedRate: sum((s) => s.achievedRate),
    ...addCounts(parts),
    latencyMs: lat.summary,
    // Without every part's histogram a merged service/lag summary would be a guess: keep the worst.
    serviceMs: svc?.summary ?? worst(parts.map((p) => p.serviceMs)),
    ...(lag || parts.every((p) => p.lagMs) ? { lagMs: lag?.summary ?? worst(parts.map((p) => p.lagMs!)) } : {}),
    latencyCi: latencyCi(lat.encoded, batchHistograms),
    histogram: lat.encoded,
    ...(batchHistograms ? { batchHistograms } : {}),
    ...(svc ? { serviceHistogram: svc.encoded } : {}),
    ...(lag ? { lagHistogram: lag.encoded } : {}),
    ...(notes.length ? { notes } : {}),
  };
}

/**
 * Batch histograms of concurrent parts, added batch by batch (the parts share the run's
 * clock, so batch i is the same sub-window in each); undefined unless every part has them.
 */
function mergeBatches(lists: Array<string[] | undefined>): string[] | undefined {
  if (lists.some((l) => !l)) return undefined;
  const len = Math.max(...lists.map((l) => l!.length));
  return Array.from({ length: len }, (_, i) => {
    const parts = lists.map((l) => l![i] ?? '').filter((e) => e);
    return parts.length === 0 ? '' : parts.length === 1 ? parts[0]! : mergeEncoded(parts, 2);
  });
}

function worst(list: LatencySummaryMs[]): LatencySummaryMs {
  const out = { ...list[0]! };
  for (const s of list) for (const k of ['p50', 'p90', 'p95', 'p99', 'p999', 'max', 'mean'] as const) out[k] = Math.max(out[k], s[k]);
  return out;
}

function sameSegment(a: RunResult['target']['segment'], b: RunResult['target']['segment']): boolean {
  return a === b || (a !== null && b !== null && a.index === b.index && a.count === b.count);
}

/**
 * Merges parts of one run into one result. Throws on an empty list or mixed schema versions.
 * Segment rule: parts of the same segment stay that segment; parts that together cover
 * every segment of a `count` become the whole run (segment null); any other mix is
 * reported with segment null and the list in `segments`.
 */
export function mergeResults(results: readonly RunResult[]): RunResult {
  if (results.length === 0) throw new Error('mergeResults: no results to merge');
  if (results.length === 1) return results[0]!;
  for (const r of results) if (r.schemaVersion !== SCHEMA_VERSION) throw new Error(`mergeResults: schema version ${r.schemaVersion} is not ${SCHEMA_VERSION}`);
  // k6 exports summary statistics, not histograms: percentiles of parts cannot be combined.
  if (results.some((r) => r.tool.name === 'k6')) {
    throw new UserError('results converted from k6 summaries carry no histogram and cannot be merged: run k6 with execution segments and let k6 aggregate (docs/k6.md)');
  }
  const first = results[0]!;
  const sum = (f: (r: RunResult) => number | undefined): number => results.reduce((a, r) => a + (f(r) ?? 0), 0);

  // Scenarios by name, in first-seen order.
  const byName = new Map<string, ScenarioResult[]>();
  for (const r of results) for (const s of r.scenarios) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  const scenarios = [...byName.values()].map(mergeScenario);

  let segment: RunResult['target']['segment'] = first.target.segment;
  let segments: Array<{ index: number; count: number }> | undefined;
  if (!results.every((r) => sameSegment(r.target.segment, first.target.segment))) {
    const segs = results.map((r) => r.target.segment);
    const count = segs[0]?.count;
    const covered = new Set(segs.map((s) => (s && s.count === count ? s.index : -1)));
    segment = null;
    const full = count !== undefined && segs.every((s) => s !== null && s.count === count) && covered.size === count && !covered.has(-1);
    if (!full) segments = segs.filter((s): s is { index: number; count: number } => s !== null);
  }

  const offered = sum((r) => r.offeredRate);
  const achieved = sum((r) => r.achievedRate);
  const reached = results.every((r) => r.reachedTarget);
  const reasons = results.map((r) => r.partialReason).filter((x): x is string => !!x);
  // A part that broke makes the whole run broken (a failure outranks an interruption).
  const kinds = results.filter((r) => r.partial).map((r) => r.partialKind ?? 'broken');
  const partialKind = kinds.includes('broken') ? 'broken' : kinds.length ? 'interrupted' : undefined;
  const outages = mergeOutages(results);
  const timeline = mergeTimeline(results);
  const warmup = mergeWarmup(results);
  const backlogs = results.map((r) => r.backlogAtStart);
  // Not the first part's warm-up facts: the merged ones below, or none.
  const { warmup: _w, backlogAtStart: _b, ...head } = first;
  return {
    ...head,
    schemaVersion: SCHEMA_VERSION,
    partial: results.some((r) => r.partial),
    ...(reasons.length ? { partialReason: [...new Set(reasons)].join('; ') } : {}),
    ...(partialKind ? { partialKind } : {}),
    startedAt: results.map((r) => r.startedAt).sort()[0]!,
    endedAt: results.map((r) => r.endedAt).sort().at(-1)!,
    target: {
      ...first.target,
      connections: sum((r) => r.target.connections),
      workers: sum((r) => r.target.workers),
      segment,
      ...(segments ? { segments } : {}),
    },
    ...(results.some((r) => r.measuredSec !== undefined) ? { measuredSec: Math.min(...results.map((r) => r.measuredSec ?? Infinity)) } : {}),
    offeredRate: offered,
    achievedRate: achieved,
    reachedTarget: reached,
    dropped: sum((r) => r.dropped),
    straddlers: sum((r) => r.straddlers),
    connectionsReplaced: sum((r) => r.connectionsReplaced),
    ...(results.some((r) => r.connectionsLost !== undefined) ? { connectionsLost: sum((r) => r.connectionsLost) } : {}),
    ...(outages ? { outages } : {}),
    ...(warmup ? { warmup } : {}),
    // Slots waiting at each part's own window start, added up (absent unless every part has it).
    ...(backlogs.every((b) => b !== undefined) ? { backlogAtStart: sum((r) => r.backlogAtStart) } : {}),
    scenarios,
    ...(timeline ? { timeline } : {}),
  };
}

/**
 * Sums per-second samples by second; the percentiles of a merged second are the max of
 * the parts (an upper bound: per-second histograms are not stored). Optional counts
 * missing from some parts stay absent rather than being summed as zeros.
 */
function mergeTimeline(results: readonly RunResult[]): RunResult['timeline'] {
  if (!results.some((r) => r.timeline)) return undefined;
  const bySec = new Map<number, TimelinePoint>();
  for (const r of results)
    for (const p of r.timeline ?? []) {
      const m = bySec.get(p.t);
      if (!m) {
        bySec.set(p.t, { ...p, ...(p.errorsByCode ? { errorsByCode: { ...p.errorsByCode } } : {}) });
        continue;
      }
      m.completed += p.completed;
      m.errors += p.errors;
      m.dropped += p.dropped;
      m.backlog += p.backlog;
      m.p95Ms = Math.max(m.p95Ms, p.p95Ms);
      for (const k of ['offered', 'retries', 'inflight', 'connections', 'connectionsMin'] as const) m[k] = m[k] !== undefined && p[k] !== undefined ? m[k] + p[k] : undefined;
      for (const k of ['p50Ms', 'p99Ms', 'maxMs'] as const) m[k] = m[k] !== undefined && p[k] !== undefined ? Math.max(m[k], p[k]) : undefined;
      if (p.errorsByCode) {
        const e = (m.errorsByCode ??= {});
        for (const [code, n] of Object.entries(p.errorsByCode)) e[code] = (e[code] ?? 0) + n;
      }
    }
  const clean = (p: TimelinePoint): TimelinePoint => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as TimelinePoint;
  return [...bySec.values()].sort((a, b) => a.t - b.t).map(clean);
}

/**
 * The parts' warm-ups as one: the latest window start (a part that started later, e.g. a
 * worker that learnt the start late, bounds when all parts were measuring), the widest
 * min/max, and settled false if any part never settled, else null if any part was not
 * judged (fixed warm-up), else true. Absent unless every part has it.
 */
function mergeWarmup(results: readonly RunResult[]): RunResult['warmup'] {
  const ws = results.map((r) => r.warmup);
  if (!ws.every((w) => w !== undefined)) return undefined;
  const list = ws as Array<NonNullable<RunResult['warmup']>>;
  const ended = list.map((w) => w.endedSec);
  const settled = list.some((w) => w.settled === false) ? false : list.some((w) => w.settled === null) ? null : true;
  return {
    minSec: Math.min(...list.map((w) => w.minSec)),
    maxSec: Math.max(...list.map((w) => w.maxSec)),
    endedSec: ended.some((e) => e === null) ? null : Math.max(...(ended as number[])),
    settled,
    ...(settled === false && list.some((w) => w.saturated) ? { saturated: true } : {}),
  };
}

/** The union of the parts' outages (a period in which some part had no live connection). */
function mergeOutages(results: readonly RunResult[]): RunResult['outages'] {
  const all = results.flatMap((r) => r.outages ?? []).map((o) => ({ startSec: o.startSec, endSec: o.endSec }));
  if (all.length === 0) return undefined;
  all.sort((a, b) => a.startSec - b.startSec);
  const out: Array<{ startSec: number; endSec: number | null }> = [];
  for (const o of all) {
    const last = out.at(-1);
    if (last && (last.endSec === null || o.startSec <= last.endSec)) {
      last.endSec = last.endSec === null || o.endSec === null ? null : Math.max(last.endSec, o.endSec);
    } else out.push({ ...o });
  }
  return out;
}
