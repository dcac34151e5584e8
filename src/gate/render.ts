/** The gate's Markdown summary (also the GitHub step summary) and JUnit XML (pure). */
import { describeVerdict } from '../budgets/settings.js';
import { xmlEscape } from '../report/junit.js';
import { fmtMs } from '../report/text-table.js';
import type { GateReport } from './gate-report.js';
import type { ScenarioGate } from './judge.js';

function sideLabel(s: GateReport['base']): string {
  if (s.kind === 'variant') return `variant \`${s.name}\``;
  if (s.kind === 'ref') return `\`${s.variant}\` at git ref \`${s.ref}\` (${s.commit.slice(0, 12)})`;
  return `result \`${s.spec}\``;
}

function pct(ratio: number): string {
  const d = (ratio - 1) * 100;
  return `${d >= 0 ? '+' : ''}${d.toFixed(1)}%`;
}

function verdictCell(s: ScenarioGate): string {
  if (!s.judged) return `not judged: ${s.reason}`;
  return s.verdict === 'regression' ? '**REGRESSION**' : s.verdict === 'improvement' ? 'faster' : 'no significant change';
}

/** Renders the Markdown summary. */
export function renderGateMarkdown(r: GateReport): string {
  const st = r.settings;
  const lines = [
    `## ledger-bench gate: head ${sideLabel(r.head)} vs base ${sideLabel(r.base)}`,
    '',
    `**${r.outcome.code === 0 ? 'PASS' : r.outcome.code === 99 ? 'FAIL' : 'INCOMPLETE'}**: ${r.outcome.line}`,
    '',
    `${r.blocks.length} block(s) of ${st.blockSec}s at ${st.rate}/s (+${st.warmupSec}s warm-up each), base and head in a random order per block (seed ${st.seed}). ` +
      `A scenario fails when head/base (Hodges-Lehmann estimate over the per-block p95 ratios) is above ${(1 + st.minEffect).toFixed(2)} (minimum effect ${(st.minEffect * 100).toFixed(0)}%) ` +
      `AND its exact ${(st.confidence * 100).toFixed(0)}% signed-rank interval (split over the scenarios judged) lies above 1.`,
    '',
    '| scenario | base p95 | head p95 | head/base | interval | verdict |',
    '|---|---:|---:|---:|---|---|',
    ...r.scenarios.map((s) =>
      s.judged
        ? `| ${s.scenario} | ${fmtMs(s.baseP95!)} | ${fmtMs(s.headP95!)} | ${s.estimate!.toFixed(3)} (${pct(s.estimate!)}) | ${s.low!.toFixed(3)} - ${s.high!.toFixed(3)} | ${verdictCell(s)} |`
        : `| ${s.scenario} | | | | | ${verdictCell(s)} |`,
    ),
    '',
    `Budgets on the head: ${describeVerdict(r.budgets).join(' ')}`,
  ];
  if (r.notes.length) lines.push('', ...r.notes.map((n) => `- ${n}`));
  return lines.join('\n') + '\n';
}

/** Renders JUnit XML: one case per scenario (regression = failure, not judged = skipped), one per budget check on the head. */
export function renderGateJunit(r: GateReport): string {
  const cases: string[] = [];
  let failures = 0;
  let skipped = 0;
  for (const s of r.scenarios) {
    const head = `    <testcase classname="ledger-bench.gate" name="${xmlEscape(`${s.scenario} head/base p95`)}">`;
    let body: string;
    if (!r.complete) {
      skipped++;
      body = `      <skipped message="${xmlEscape(`not judged: ${r.outcome.line}`)}"/>`;
    } else if (!s.judged) {
      skipped++;
      body = `      <skipped message="${xmlEscape(`not judged: ${s.reason}`)}"/>`;
    } else {
      const what = `head/base ${s.estimate!.toFixed(3)} (${pct(s.estimate!)}), interval ${s.low!.toFixed(3)}-${s.high!.toFixed(3)}`;
      if (s.verdict === 'regression') {
        failures++;
        body = `      <failure message="${xmlEscape(`regression: ${what}`)}" type="regression">${xmlEscape(`${s.scenario}: ${what}`)}</failure>`;
      } else body = `      <system-out>${xmlEscape(what)}</system-out>`;
    }
    cases.push(`${head}\n${body}\n    </testcase>`);
  }
  for (const c of r.budgets.checks) {
    const measured = c.measured === null ? 'no data' : String(Number(c.measured.toPrecision(6)));
    const head = `    <testcase classname="ledger-bench.gate.budgets" name="${xmlEscape(`${c.scenario} ${c.expr}`)}">`;
    let body: string;
    if (!r.budgets.judged) {
      skipped++;
      body = `      <skipped message="${xmlEscape(`not judged: a run is partial (measured ${measured})`)}"/>`;
    } else if (!c.pass) {
      failures++;
      body = `      <failure message="${xmlEscape(`${c.expr} failed: measured ${measured}`)}" type="budget"/>`;
    } else body = `      <system-out>${xmlEscape(`measured ${measured}`)}</system-out>`;
    cases.push(`${head}\n${body}\n    </testcase>`);
  }
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="ledger-bench gate" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}">\n` +
    `  <testsuite name="ledger-bench gate" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}">\n` +
    (cases.length ? cases.join('\n') + '\n' : '') +
    '  </testsuite>\n</testsuites>\n'
  );
}
