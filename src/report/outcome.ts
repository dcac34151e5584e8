/**
 * What the budgets of a report say (pure): the verdict lines of the mixed runs and of the
 * isolated runs, and whether a judged budget blocks on complete runs: failed, or not
 * decided under the strict policy (then `report` exits 99, as the command that measured
 * them did).
 */
import { mixVerdict } from './verdicts.js';
import { describeVerdict } from '../budgets/settings.js';
import { isolationVerdict } from './isolation-rows.js';
import type { ReportData } from './model.js';

/** The verdict lines and whether any judged budget blocks (a decided fail, or inconclusive unless the policy is 'pass'). */
export function reportOutcome(data: ReportData): { lines: string[]; failed: boolean } {
  const lines: string[] = [];
  let failed = false;
  if (data.runs.length) {
    const v = mixVerdict(data);
    lines.push(...describeVerdict(v));
    failed ||= v.judged && v.blocking.length > 0;
  }
  const iso = isolationVerdict(data);
  if (iso) {
    lines.push(...describeVerdict(iso).map((l) => `isolation ${l}`));
    failed ||= iso.judged && iso.blocking.length > 0;
  }
  lines.push(failed ? 'report: a judged budget failed or was not decided on complete runs' : 'report: no judged budget failed or was left undecided');
  return { lines, failed };
}
