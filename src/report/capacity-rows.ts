/**
 * What capacity searches say, for people (pure functions of capacity.json's data): the
 * max TPS within budget per variant (or the lowest rate probed and the check that failed
 * there), and the p95 of every variant side by side at one rate all of them held. When
 * no rate held every budget on every variant, the highest rate every variant SUSTAINED
 * (completed >= 99% of its offered slots: only latency budgets failed) is the honest
 * fallback, labelled as not within budget; when there is none either, it says so.
 */
import { type CapacityInfo, type CapacityProbeInfo } from './model.js';
import { fmtEstimate } from './interval-format.js';

/** A probe's p95 of `scenario` with its interval when the search recorded one, else `(no interval)`. */
export function probeP95(p: CapacityProbeInfo, scenario: string): string {
  const v = p.p95Ms[scenario];
  if (v === undefined) return '-';
  const ci = p.p95Ci?.[scenario];
  return fmtEstimate(v, ci, ci?.n);
}

/** The highest rate every variant held (or, failing that, sustained), with each variant's probe there. */
export type CommonRate =
  | { kind: 'held' | 'sustained'; rate: number; probes: Array<{ variant: string; probe: CapacityProbeInfo }> }
  | { kind: 'none' };

const finished = (c: CapacityInfo) => c.probes.filter((p) => !p.partial);

/** A probe that held every budget, or sustained its rate (>= 99% of offered slots: only latency budgets failed). */
const sustainedProbe = (p: CapacityProbeInfo) => p.holds || p.sustained === true;

/** The highest finished rate `c` sustained (held, or only latency budgets failed), if any. */
export function highestSustained(c: CapacityInfo): number | undefined {
  return finished(c).filter(sustainedProbe).map((p) => p.rate).sort((a, b) => b - a)[0];
}

/** Highest rate in every set, or undefined. */
function highestCommon(found: readonly CapacityInfo[], ok: (p: CapacityProbeInfo) => boolean): number | undefined {
  const sets = found.map((c) => new Set(finished(c).filter(ok).map((p) => p.rate)));
  if (!sets.length) return undefined;
  return [...sets[0]!].filter((r) => sets.every((s) => s.has(r))).sort((a, b) => b - a)[0];
}

/**
 * The rate to show p95 side by side at: the highest rate every variant held, else the
 * highest every variant sustained (searches from the same start rate step through the
 * same rates, so their probes meet), else none.
 */
export function commonRate(found: readonly CapacityInfo[]): CommonRate {
  const at = (rate: number, ok: (p: CapacityProbeInfo) => boolean) => found.map((c) => ({ variant: c.variant, probe: finished(c).find((p) => p.rate === rate && ok(p))! }));
  const held = highestCommon(found, (p) => p.holds);
  if (held !== undefined) return { kind: 'held', rate: held, probes: at(held, (p) => p.holds) };
  const rate = highestCommon(found, sustainedProbe);
  if (rate !== undefined) return { kind: 'sustained', rate, probes: at(rate, sustainedProbe) };
  return { kind: 'none' };
}

/** A probe that did not hold for a decided reason: a failed check (an inconclusive one only left it undecided). */
const decidedFail = (p: CapacityProbeInfo) => !p.holds && p.verdict !== 'inconclusive' && (p.verdict === 'fails' || p.failed.length > 0);

/** The check that failed at the lowest rate probed that failed, decided (what breaks first), if any. */
export function failsFirst(c: CapacityInfo): string | undefined {
  return finished(c).filter(decidedFail).sort((a, b) => a.rate - b.rate)[0]?.failed[0];
}

/** Rates probed that were not decided (inconclusive), lowest first. */
const undecidedRates = (c: CapacityInfo) => finished(c).filter((p) => p.verdict === 'inconclusive').map((p) => p.rate).sort((a, b) => a - b);

/** The search reached --max-rate and the highest rate probed held the budgets too (the search climbs on the sustained rate). */
const heldMaxRate = (c: CapacityInfo) => c.stoppedBy === 'max-rate' && c.maxRateWithinBudget === Math.max(...finished(c).map((p) => p.rate));

/** `150/s (breaks at 300/s: ...)`, `400/s (breaks at 800/s: ...; not decided at 100/s)`, `>= 20000/s (held --max-rate)`, `none at or above 50/s (fails first: ...)`. */
export function capacityText(c: CapacityInfo): string {
  // An inconclusive probe did not hold, but nothing broke there: it is named as not decided, never as where it breaks.
  const open = undecidedRates(c);
  const notDecided = open.length ? `not decided at ${open.map((r) => `${r}/s`).join(', ')}` : '';
  if (c.maxRateWithinBudget === null) {
    const lowest = finished(c).map((p) => p.rate).sort((a, b) => a - b)[0];
    const why = failsFirst(c);
    const notes = [...(why ? [`fails first: ${why}`] : []), ...(notDecided ? [notDecided] : [])];
    return lowest === undefined ? 'not measured (no probe finished)' : `none at or above ${lowest}/s${notes.length ? ` (${notes.join('; ')})` : ''}`;
  }
  if (heldMaxRate(c)) return `>= ${c.maxRateWithinBudget}/s (held --max-rate${notDecided ? `; ${notDecided}` : ''})`;
  const breaks = finished(c).filter((p) => decidedFail(p) && p.rate > c.maxRateWithinBudget!).sort((a, b) => a.rate - b.rate)[0];
  const notes = [...(breaks ? [`breaks at ${breaks.rate}/s${breaks.failed[0] ? `: ${breaks.failed[0]}` : ''}`] : []), ...(notDecided ? [notDecided] : [])];
  return `${c.maxRateWithinBudget}/s${notes.length ? ` (${notes.join('; ')})` : ''}`;
}

/** What the searches found, on one line: `baseline 150/s (breaks at 300/s: ...); optimized >= 20000/s (held --max-rate)`. */
export function capacityLine(found: readonly CapacityInfo[]): string {
  return found.length ? found.map((c) => `${c.variant} ${capacityText(c)}`).join('; ') : 'no variant searched';
}

/** After / before capacity as `2.5x (no interval: search steps)`, or '-' when either found none (the searches' rates are steps, not estimates). */
export function capacityRatio(before: CapacityInfo | undefined, after: CapacityInfo | undefined): string {
  const b = before?.maxRateWithinBudget;
  const a = after?.maxRateWithinBudget;
  if (!b || !a) return '-';
  return `${(a / b).toFixed(2)}x${heldMaxRate(after!) ? ' (at least)' : ''} (no interval: search steps)`;
}

/** Markdown: the p95 of every variant side by side at the common rate, labelled by how it was found. */
export function formatCommonRate(found: readonly CapacityInfo[]): string {
  const names = found.map((c) => c.variant).join(', ');
  const cr = commonRate(found);
  if (cr.kind === 'none') {
    return `No rate was held by every variant (${names}), and no probed rate was sustained (>= 99% of offered slots completed) by every variant: no steady p95 side by side from the capacity search.`;
  }
  const step = found[0]!.stepSec;
  const title =
    cr.kind === 'held'
      ? `p95 (ms) at ${cr.rate} TPS, the highest rate every variant held within budget (one ${step} s probe each):`
      : `p95 (ms) at ${cr.rate} TPS: NOT within budget. No rate held every budget on every variant; this is the highest probed rate every variant sustained (>= 99% of offered slots completed, only latency budgets failed; one ${step} s probe each):`;
  const scenarios = [...new Set(cr.probes.flatMap((x) => Object.keys(x.probe.p95Ms)))];
  const lines = [title, '', `| scenario | ${cr.probes.map((x) => `${x.variant} p95`).join(' | ')} |`, `|---|${cr.probes.map(() => '---|').join('')}`];
  for (const s of scenarios) lines.push(`| ${s} | ${cr.probes.map((x) => probeP95(x.probe, s)).join(' | ')} |`);
  lines.push(`| achieved tx/s | ${cr.probes.map((x) => x.probe.achievedRate.toFixed(1)).join(' | ')} |`);
  return lines.join('\n');
}

/** Why the search stopped, in words: `held --max-rate`, `nothing held` (not even the lowest rate), else the stop as recorded. */
function searchEnded(stoppedBy: string): string {
  return stoppedBy === 'max-rate' ? 'held --max-rate' : stoppedBy === 'min-rate' ? 'nothing held' : stoppedBy;
}

/**
 * The Markdown capacity section: per variant its capacity, then the common-rate table.
 * Also what the `capacity` command (and bench's capacity step) prints on stdout, so the
 * two cannot drift apart.
 */
export function capacitySection(found: readonly CapacityInfo[]): string[] {
  if (!found.length) return [];
  const out = ['## Capacity: max TPS within budget (mix)', '', '| variant | max TPS within budget | first failing TPS | fails first | probes | search ended |', '|---|---|---|---|---|---|'];
  for (const c of found) {
    const max = c.maxRateWithinBudget === null ? 'none' : heldMaxRate(c) ? `>= ${c.maxRateWithinBudget}` : String(c.maxRateWithinBudget);
    const lowest = finished(c).map((p) => p.rate).sort((a, b) => a - b)[0];
    const probes = c.probes.map((p) => `${p.rate}${p.partial ? ' partial' : p.holds ? ' held' : p.verdict === 'inconclusive' ? ' inconclusive' : p.sustained ? ' sustained' : ' failed'}`).join(', ');
    out.push(`| ${c.variant} | ${max}${c.maxRateWithinBudget === null && lowest !== undefined ? ` (none at or above ${lowest})` : ''} | ${c.firstFailingRate ?? '-'} | ${(failsFirst(c) ?? '-').replace(/\|/g, '\\|')} | ${c.probes.length}: ${probes} | ${searchEnded(c.stoppedBy)} |`);
  }
  out.push('', `Budgets: ${found[0]!.budgets.map((b) => `\`${b}\``).join(', ')}; each probe ${found[0]!.stepSec} s after ${found[0]!.warmupSec} s warm-up on a fresh pre-warmed clone. Sustained: >= 99% of the offered slots completed (only latency budgets failed).`, '');
  out.push(formatCommonRate(found), '');
  return out;
}
