/**
 * JUnit XML for CI: one test suite per variant, one test case per scenario x budget.
 * Judged variants pass or fail; the others (the baseline by default) are reported
 * beside them as skipped cases carrying their measured value. Not judged at all
 * (a partial run): every case is skipped with the reason. Pure function of the data.
 */
import { warmupNote } from './warmup-note.js';
import { judgeBudgets } from '../budgets/evaluate.js';
import type { ReportData } from './model.js';

/** Escapes text for XML attributes and content. */
export function xmlEscape(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Renders JUnit XML. */
export function renderJunit(data: ReportData): string {
  const v = judgeBudgets(data.runs, data.budgets, data.budgetVariants);
  const suites = data.runs.map((r) => {
    const judged = v.judged && v.variants.includes(r.variant);
    const checks = v.checks.filter((c) => c.variant === r.variant);
    const seconds = (r.result.measuredSec ?? r.result.target.durationSec).toFixed(3);
    const cases = checks.map((c) => {
      const measured = c.measured === null ? 'no data' : String(Number(c.measured.toPrecision(6)));
      const head = `    <testcase classname="ledger-bench.${xmlEscape(r.variant)}" name="${xmlEscape(`${c.scenario} ${c.expr}`)}" time="${seconds}">`;
      let body: string;
      if (!v.judged) body = `      <skipped message="${xmlEscape(`not judged: a run is partial (measured ${measured})`)}"/>`;
      else if (!judged) body = `      <skipped message="${xmlEscape(`reported, not judged (measured ${measured}, ${c.pass ? 'within' : 'over'})`)}"/>`;
      else if (!c.pass) body = `      <failure message="${xmlEscape(`${c.expr} failed: measured ${measured}`)}" type="budget">${xmlEscape(`${r.variant} / ${c.scenario}: ${c.expr}, measured ${measured}`)}</failure>`;
      else body = `      <system-out>${xmlEscape(`measured ${measured}`)}</system-out>`;
      return `${head}\n${body}\n    </testcase>`;
    });
    const failures = judged ? checks.filter((c) => !c.pass).length : 0;
    const skipped = judged ? 0 : checks.length;
    return (
      `  <testsuite name="${xmlEscape(`ledger-bench budgets: ${r.variant}`)}" tests="${checks.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds}" timestamp="${xmlEscape(r.result.startedAt)}">\n` +
      (warmupNote(r.result) ? `    <properties><property name="transient" value="${xmlEscape(warmupNote(r.result)!)}"/></properties>\n` : '') +
      (cases.length ? cases.join('\n') + '\n' : '') +
      '  </testsuite>'
    );
  });
  const tests = v.checks.length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="ledger-bench" tests="${tests}" failures="${v.failed.length}">\n${suites.join('\n')}\n</testsuites>\n`;
}
