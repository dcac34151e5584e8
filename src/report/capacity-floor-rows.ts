/**
 * Floor-bound scenarios, shown first (pure): a query whose p95 ALONE, at a low rate, is
 * decided over its budget is over budget at any rate. No load level fixes it (its plan
 * does), so it is named before any capacity figure, with its floor and where its EXPLAIN
 * evidence is, and it is left out of the mix's capacity.
 */
import { describeMeasured } from '../budgets/settings.js';
import type { FloorInfo } from './capacity-figures.js';
import { fmtP95Ci } from './capacity-headline.js';

/** Lines naming every floor-bound scenario (none: no lines). */
export function floorBoundLines(floors: readonly FloorInfo[]): string[] {
  const bound = floors.filter((f) => f.floorBound);
  if (!bound.length) return [];
  return [
    'Floor-bound (over budget at any rate: decided over its budget alone, at a low rate; not judged in the capacity probes):',
    ...bound.map((f) => {
      const failed = f.checks.filter((c) => c.verdict === 'fail').map((c) => `${c.expr} FAIL, measured ${describeMeasured(c)}`);
      const plan = f.plan ? `; plan: ${f.plan}` : '';
      return `- ${f.variant} / ${f.scenario}: p95 ${fmtP95Ci(f.p95)} alone at ${f.rate}/s (${failed.join('; ')})${plan}${f.evidence ? `; EXPLAIN evidence: ${f.evidence}` : ''}`;
    }),
    '',
  ];
}
