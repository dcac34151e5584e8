/** The gate's Markdown summary (also the GitHub step summary) and JUnit XML (pure). */
import { describeMeasured } from '../budgets/settings.js';
import { xmlEscape } from '../report/junit.js';
import type { GateBudgetCheck, GateBudgets } from './budget-gate.js';
import type { GateReport, PooledP95 } from './gate-report.js';
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

/** A pooled p95 with its interval, `121 [104, 150]`, or why it has none; '' when the side lacks the scenario. */
export function fmtPooled(p: PooledP95 | undefined): string {
  if (!p) return '';
  return describeMeasured({ expr: 'p(95)', measured: p.n > 0 ? p.value : null, ...(p.lo !== null ? { interval: { lo: p.lo, hi: p.hi, conf: 0.95 } } : {}), ...(p.reason ? { reason: p.reason } : {}) });
}

const STANDING: Record<GateBudgetCheck['standing'], string> = {
  pass: 'pass',
  new: 'NEW VIOLATION',
  shared: 'shared violation',
  undecided: 'undecided (base passed)',
  inconclusive: 'inconclusive',
};

/** One check in words: `balance-history p(95)<50: base 121 [104, 150] (fail), head 107 [94.0, 160] (fail): shared violation (floor-bound: ...), not failed`. */
function describeCheck(c: GateBudgetCheck): string {
  const base = c.base ? describeMeasured(c.base) : 'not measured';
  const label = `${STANDING[c.standing]}${c.floorBound ? ' (floor-bound: the base is over budget too)' : ''}${c.blocking ? ', fails the gate' : c.standing === 'shared' ? ', not failed' : ''}`;
  return `${c.scenario} ${c.expr}: base ${base} (${c.base?.verdict ?? 'none'}), head ${describeMeasured(c.head)} (${c.head.verdict}): ${label}`;
}

/** The counts line: `5 pass, 0 fail (new), 2 inconclusive, 1 shared (1 floor-bound)`. */
export function budgetCounts(v: GateBudgets): string {
  const c = v.counts;
  return `${c.pass} pass, ${c.fail} fail (new), ${c.inconclusive} inconclusive, ${c.shared} shared${c.floorBound ? ` (${c.floorBound} floor-bound)` : ''}`;
}

/** The lines the gate prints about its budgets: the counts, then every check that is not a plain pass. */
export function describeGateBudgets(v: GateBudgets): string[] {
  if (!v.judged) return ['budgets not judged: the gate is incomplete'];
  const lines = [`budgets (both sides pooled, 95% intervals; only a new violation fails): ${budgetCounts(v)}`];
  for (const c of v.checks) if (c.standing !== 'pass') lines.push(`  ${describeCheck(c)}${c.note ? `; ${c.note}` : ''}`);
  if (v.shared.length && !v.failShared) lines.push('  shared violations are reported, not failed: --fail-shared-budgets fails them');
  return lines;
}

function budgetMarkdown(v: GateBudgets): string[] {
  if (!v.judged) return ['Budgets: not judged (the gate is incomplete).'];
  const lines = [`**Budgets** (each side pooled over its blocks, 95% intervals; only a new violation fails): ${budgetCounts(v)}`];
  if (v.failed.length) lines.push('', '> **New budget violations** (the base passed, the head fails):', ...v.failed.map((c) => `> - ${describeCheck(c)}`));
  if (v.shared.length) {
    lines.push(
      '',
      `> **Shared budget violations** (the base does not pass them either; ${v.failShared ? 'failed: --fail-shared-budgets' : 'reported, not failed: --fail-shared-budgets fails them'}):`,
      ...v.shared.map((c) => `> - ${describeCheck(c)}`),
    );
  }
  const undecided = v.checks.filter((c) => c.standing === 'undecided');
  if (undecided.length) lines.push('', '> **Undecided on the head where the base passed**:', ...undecided.map((c) => `> - ${describeCheck(c)}; ${c.note}`));
  const rest = v.checks.filter((c) => c.standing === 'pass' || c.standing === 'inconclusive');
  if (rest.length) lines.push('', ...rest.map((c) => `- ${describeCheck(c)}`));
  return lines;
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
    'p95 columns: each side pooled over its blocks, ms, with its 95% interval; head/base: over the per-block p95 ratios.',
    '',
    '| scenario | base p95 | head p95 | head/base | interval | verdict |',
    '|---|---:|---:|---:|---|---|',
    ...r.scenarios.map((s) => {
      const p = r.pooledP95?.[s.scenario] ?? {};
      return s.judged
        ? `| ${s.scenario} | ${fmtPooled(p.base)} | ${fmtPooled(p.head)} | ${s.estimate!.toFixed(3)} (${pct(s.estimate!)}) | ${s.low!.toFixed(3)} - ${s.high!.toFixed(3)} | ${verdictCell(s)} |`
        : `| ${s.scenario} | ${fmtPooled(p.base)} | ${fmtPooled(p.head)} | | | ${verdictCell(s)} |`;
    }),
    '',
    ...budgetMarkdown(r.budgets),
  ];
  if (r.notes.length) lines.push('', ...r.notes.map((n) => `- ${n}`));
  return lines.join('\n') + '\n';
}

/**
 * Renders JUnit XML: one case per scenario (regression = failure, not judged = skipped),
 * one per budget check (a blocking one = failure; a shared violation or an inconclusive
 * head that does not fail the gate = skipped with the reason, so CI shows it).
 */
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
    const head = `    <testcase classname="ledger-bench.gate.budgets" name="${xmlEscape(`${c.scenario} ${c.expr}`)}">`;
    const what = xmlEscape(describeCheck(c) + (c.note ? `; ${c.note}` : ''));
    let body: string;
    if (c.blocking) {
      failures++;
      body = `      <failure message="${what}" type="${c.standing === 'new' ? 'budget' : c.standing === 'shared' ? 'shared-budget' : 'inconclusive-budget'}"/>`;
    } else if (c.standing !== 'pass') {
      skipped++;
      body = `      <skipped message="${what}"/>`;
    } else body = `      <system-out>${what}</system-out>`;
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
