/**
 * The capacity headline in words (pure, numbers from the data only): how far each
 * variant's server goes (max sustained rate), and how far within a p95 budget every
 * query that is not floor-bound goes, naming the floor-bound ones with their floor alone
 * (and the floor-undecided ones: alone, their interval straddles the budget).
 * E.g. "optimized sustains 1,300/s (baseline 750/s); within 50 ms it holds 1,000/s for
 * every query except balance-history, which is floor-bound at 46 ms [38, 57] alone".
 */
import type { P95Ci, WithinBudget } from './capacity-figures.js';
import type { IsolationInfo } from './model.js';

/** What the headline reads of a variant's capacity (capacity.json's record). */
export interface HeadlineCapacity {
  variant: string;
  stoppedBy: string;
  probes: Array<{ rate: number; partial?: boolean }>;
  maxSustainedRate?: number | null;
  withinBudgets?: WithinBudget[];
  /** The variant's floors as the capacity search recorded them (used where no isolation is given). */
  floors?: ReadonlyArray<{ variant: string; scenario: string; p95: P95Ci }>;
}

/** `1,300/s`. */
const rate = (r: number) => `${r.toLocaleString('en-US')}/s`;

/** ms to two significant digits under 100 (46.6 -> 47, 1.42 -> 1.4), whole above. */
export function headlineMs(x: number): string {
  return x >= 100 ? x.toFixed(0) : String(Number(x.toPrecision(2)));
}

/** `46 ms [38, 57]`, `>max` for an interval unbounded above, no interval when there is none. */
export function fmtP95Ci(p: Pick<P95Ci, 'value' | 'lo' | 'hi'>): string {
  if (p.value === null) return 'no data';
  if (p.lo === null) return `${headlineMs(p.value)} ms (no interval)`;
  return `${headlineMs(p.value)} ms [${headlineMs(p.lo)}, ${p.hi === null ? '>max' : headlineMs(p.hi)}]`;
}

/** The p95 of `scenario` alone on `variant` from the isolation runs, if measured. */
function floorOf(isolation: IsolationInfo | undefined, variant: string, scenario: string): P95Ci | undefined {
  const r = isolation?.runs.find((x) => x.variant === variant && x.scenario === scenario);
  const s = r?.result.scenarios.find((x) => x.name === scenario);
  if (!s || s.count === 0) return undefined;
  return { value: s.latencyMs.p95, lo: s.latencyCi?.p95.lo ?? null, hi: s.latencyCi?.p95.hi ?? null, n: s.count, conf: s.latencyCi?.conf ?? 0.95 };
}

/** `1,300/s`, `at least 1,300/s` (held the highest rate probed), `none of the rates probed (from 100/s)`. */
function sustainedText(c: HeadlineCapacity): string {
  if (c.maxSustainedRate === undefined) return 'not measured';
  if (c.maxSustainedRate === null) {
    const lowest = c.probes.filter((p) => !p.partial).map((p) => p.rate).sort((a, b) => a - b)[0];
    return lowest === undefined ? 'no rate (no probe finished)' : `no rate probed (down to ${rate(lowest)})`;
  }
  return `${c.stoppedBy === 'max-rate' ? 'at least ' : ''}${rate(c.maxSustainedRate)}`;
}

/** Within-budget clause of one variant at `t`: `1,000/s for every query except ...`. */
function withinText(c: HeadlineCapacity, t: number, isolation: IsolationInfo | undefined): string {
  const wb = c.withinBudgets?.find((w) => w.thresholdMs === t);
  if (!wb) return 'not measured';
  const floor = (s: string) => floorOf(isolation, c.variant, s) ?? c.floors?.find((x) => x.variant === c.variant && x.scenario === s)?.p95;
  const bound = [
    ...wb.floorBound.map((s) => `${s}, which is floor-bound${floor(s) ? ` at ${fmtP95Ci(floor(s)!)} alone` : ''}`),
    ...(wb.floorUndecided ?? []).map((s) => `${s}, whose floor${floor(s) ? ` of ${fmtP95Ci(floor(s)!)}` : ''} alone is not decided within ${t} ms`),
  ];
  const except = bound.length ? ` except ${bound.join('; and ')}` : '';
  const undecided = wb.undecidedRate !== undefined ? `; up to ${rate(wb.undecidedRate)} nothing was decided over, but not decided: ${wb.undecided!.join(', ')}` : '';
  if (wb.rate === null) {
    const fails = wb.failsAt ? ` (over at ${rate(wb.failsAt.rate)}: ${wb.failsAt.scenarios.join(', ')})` : '';
    return `none of the rates probed for every query${except}${fails}${undecided}`;
  }
  return `${rate(wb.rate)} for every query${except}${undecided}`;
}

/**
 * The headline: the last variant leads (the candidate; the others, the baseline first, in
 * parentheses), then the capacity within `thresholdMs` (default: 50 when measured, else
 * the first threshold recorded) for each variant. Empty when no capacity was searched.
 */
export function capacityHeadline(capacities: readonly HeadlineCapacity[], isolation?: IsolationInfo, thresholdMs?: number): string {
  if (!capacities.length) return '';
  const lead = capacities.at(-1)!;
  const others = capacities.slice(0, -1);
  const paren = (f: (c: HeadlineCapacity) => string) => (others.length ? ` (${others.map((c) => `${c.variant} ${f(c)}`).join('; ')})` : '');
  const head = `${lead.variant} sustains ${sustainedText(lead)}${paren(sustainedText)}`;
  const thresholds = lead.withinBudgets?.map((w) => w.thresholdMs) ?? [];
  const t = thresholdMs ?? (thresholds.includes(50) ? 50 : thresholds[0]);
  if (t === undefined) return head;
  return `${head}; within ${t} ms it holds ${withinText(lead, t, isolation)}${paren((c) => withinText(c, t, isolation))}`;
}
