/**
 * The budget verdicts a report shows, judged with the report's own policy for
 * inconclusive checks (`--inconclusive`, recorded in the results): the mixed runs' here,
 * the isolated runs' in isolation-rows.ts. Also the words every report uses for them.
 */
import { judgeBudgets, type BudgetCheck, type BudgetVerdict } from '../budgets/evaluate.js';
import { describeMeasured } from '../budgets/settings.js';
import type { ReportData } from './model.js';

/** The verdict of the mixed runs' budgets. */
export function mixVerdict(data: ReportData): BudgetVerdict {
  return judgeBudgets(data.runs, data.budgets, data.budgetVariants, data.inconclusive ?? 'fail');
}

/** `pass`, `FAIL` or `inconclusive` (FAIL in capitals: it is the word a reader looks for). */
export function verdictWord(c: Pick<BudgetCheck, 'verdict'>): string {
  return c.verdict === 'fail' ? 'FAIL' : c.verdict;
}

/** `3 pass, 1 fail, 2 inconclusive`. */
export function countsText(v: Pick<BudgetVerdict, 'counts'>): string {
  return `${v.counts.pass} pass, ${v.counts.fail} fail, ${v.counts.inconclusive} inconclusive`;
}

/** What the policy does with inconclusive checks, in words. */
export function policyText(v: Pick<BudgetVerdict, 'policy'>): string {
  return v.policy === 'pass' ? 'inconclusive checks do not fail the run (--inconclusive pass)' : 'an inconclusive check fails the run like a failed one (--inconclusive fail, the default)';
}

/** `p(95)<50: 57.0 [51.2, 66.0]`. */
export function checkText(c: BudgetCheck): string {
  return `${c.expr}: ${describeMeasured(c)}`;
}

/**
 * The budget cell of one scenario on one variant: `pass`, `**FAIL** p(95)<50: 57.0 [51.2,
 * 66.0]`, `inconclusive p(95)<50: ...`; on a variant not judged `(within)` / `(over ...)` /
 * `(undecided ...)`; on a partial run `not judged (partial)`. `bold` marks FAIL for Markdown.
 */
export function budgetCell(v: BudgetVerdict, variant: string, scenario: string, bold = true): string {
  const mine = v.checks.filter((c) => c.variant === variant && c.scenario === scenario);
  if (!mine.length) return '-';
  const judged = v.variants.includes(variant);
  if (judged && !v.judged) return 'not judged (partial)';
  const failed = mine.filter((c) => c.verdict === 'fail');
  const open = mine.filter((c) => c.verdict === 'inconclusive');
  if (!failed.length && !open.length) return judged ? 'pass' : '(within)';
  const list = (cs: BudgetCheck[]) => cs.map(checkText).join(', ');
  if (!judged) return `(${[failed.length ? `over ${list(failed)}` : '', open.length ? `undecided ${list(open)}` : ''].filter(Boolean).join('; ')})`;
  const fail = bold ? '**FAIL**' : 'FAIL';
  return [failed.length ? `${fail} ${list(failed)}` : '', open.length ? `inconclusive ${list(open)}` : ''].filter(Boolean).join('; ');
}
