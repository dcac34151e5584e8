/**
 * Floor-bound scenarios, shown first (pure): a query whose p95 ALONE, at a low rate, is
 * decided over its budget is over budget at any rate. No load level fixes it (its plan
 * does), so it is named before any capacity figure, with its floor and where its EXPLAIN
 * evidence is, and it is left out of the mix's capacity. So is a floor-undecided query
 * (alone, its interval straddles the budget), named after them.
 */
import { describeMeasured } from '../budgets/settings.js';
import type { FloorInfo } from './capacity-figures.js';
import { fmtP95Ci } from './capacity-headline.js';

/** Lines naming every floor-bound scenario, then every floor-undecided one (none: no lines). */
export function floorBoundLines(floors: readonly FloorInfo[]): string[] {
  const bound = floors.filter((f) => f.floorBound);
  const undecided = floors.filter((f) => !f.floorBound && f.floorUndecided);
  const line = (f: FloorInfo, verdict: 'fail' | 'inconclusive') => {
    const checks = f.checks.filter((c) => c.verdict === verdict).map((c) => `${c.expr} ${verdict === 'fail' ? 'FAIL' : 'inconclusive'}, measured ${describeMeasured(c)}`);
    const plan = f.plan ? `; plan: ${f.plan}` : '';
    return `- ${f.variant} / ${f.scenario}: p95 ${fmtP95Ci(f.p95)} alone at ${f.rate}/s (${checks.join('; ')})${plan}${f.evidence ? `; EXPLAIN evidence: ${f.evidence}` : ''}`;
  };
  return [
    ...(bound.length
      ? ['Floor-bound (over budget at any rate: decided over its budget alone, at a low rate; not judged in the capacity probes):', ...bound.map((f) => line(f, 'fail')), '']
      : []),
    ...(undecided.length
      ? [
          'Floor-undecided (alone, at a low rate, its interval straddles the budget: its own cost, not the load, leaves the verdict open; not judged in the capacity probes):',
          ...undecided.map((f) => line(f, 'inconclusive')),
          '',
        ]
      : []),
  ];
}
