/**
 * JUnit XML for CI, a pure function of the data. Three kinds of test suite:
 *
 * - `ledger-bench budgets: <variant>` (the mixed runs): one test case per scenario x budget.
 * - `ledger-bench isolation: <variant>` (each scenario alone, when the data holds isolated
 *   runs): one test case per scenario alone x budget, named `<scenario> alone <budget>`,
 *   judged by `isolationVerdict` (the same budgets, on the same variants, as the mix).
 * - `ledger-bench capacity` (when the data holds capacity searches): one test case per
 *   variant, `max TPS within budget`, carrying the max TPS within budget and the highest
 *   rate sustained. The data holds no pass/fail notion for capacity (`--min-rate` is the
 *   capacity command's exit rule, not recorded in capacity.json), so these cases are
 *   always skipped with their value: "reported, not judged", like an unjudged variant.
 *
 * Budget cases, three-valued like the verdicts (docs/reports.md): on a judged variant a
 * `pass` passes, a `fail` is a `<failure type="budget">`, and an `inconclusive` check is a
 * `<failure type="inconclusive">` under the strict default (`--inconclusive fail`: it
 * exits 99 too) or, with `--inconclusive pass`, a `<skipped>` case saying it was counted
 * as passed. Every message carries the measured value with its 95% interval. The other
 * variants (the baseline by default) are reported beside them as skipped cases carrying
 * their measured value. Not judged at all (a partial run): every case is skipped with the
 * reason. Every budget suite holds a `verdicts` property (`3 pass, 1 fail, 2
 * inconclusive`); every suite's and the root's tests/failures/skipped count the cases
 * rendered.
 */
import { warmupNote } from './warmup-note.js';
import type { BudgetCheck, BudgetVerdict } from '../budgets/evaluate.js';
import { describeMeasured } from '../budgets/settings.js';
import { countsText, mixVerdict } from './verdicts.js';
import { capacityText, highestSustained } from './capacity-rows.js';
import { isolationVerdict } from './isolation-rows.js';
import type { CapacityInfo, ReportData } from './model.js';
import type { RunResult } from '../result/types.js';

/** Escapes text for XML attributes and content. */
export function xmlEscape(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** A rendered test case and how it counts. */
interface Case {
  xml: string;
  time: string;
  outcome: 'pass' | 'failure' | 'skipped';
}

/** A run's measured seconds (its target duration when the result predates measuredSec). */
const seconds = (r: RunResult) => (r.measuredSec ?? r.target.durationSec).toFixed(3);

function testCase(variant: string, name: string, time: string, outcome: Case['outcome'], body: string): Case {
  return { outcome, time, xml: `    <testcase classname="ledger-bench.${xmlEscape(variant)}" name="${xmlEscape(name)}" time="${time}">\n${body}\n    </testcase>` };
}

/** One budget check as the test case `<label> <budget>`; `where` names the run in texts (e.g. `alone at 20/s, held`). */
function budgetCase(c: BudgetCheck, v: BudgetVerdict, label: string, time: string, where = ''): Case {
  const name = `${label} ${c.expr}`;
  const measured = describeMeasured(c);
  const at = where ? `; ${where}` : '';
  const judged = v.judged && v.variants.includes(c.variant);
  const skipped = (message: string) => testCase(c.variant, name, time, 'skipped', `      <skipped message="${xmlEscape(message)}"/>`);
  if (!v.judged) return skipped(`not judged: a run is partial (measured ${measured}${at})`);
  if (!judged) return skipped(`reported, not judged (measured ${measured}, ${c.verdict === 'pass' ? 'within' : c.verdict === 'fail' ? 'over' : 'undecided'}${at})`);
  const failure = (type: 'budget' | 'inconclusive', what: string) =>
    testCase(c.variant, name, time, 'failure', `      <failure message="${xmlEscape(`${c.expr} ${what}: measured ${measured}${at}`)}" type="${type}">${xmlEscape(`${c.variant} / ${label}: ${c.expr} ${what}, measured ${measured}${at}`)}</failure>`);
  if (c.verdict === 'fail') return failure('budget', 'failed');
  if (c.verdict === 'inconclusive') {
    if (v.policy === 'fail') return failure('inconclusive', 'inconclusive (not decided at 95%; --inconclusive pass lets it through)');
    return skipped(`${c.expr} inconclusive, counted as passed (--inconclusive pass): measured ${measured}${at}`);
  }
  return testCase(c.variant, name, time, 'pass', `      <system-out>${xmlEscape(`measured ${measured}${at}`)}</system-out>`);
}

/** The capacity of one variant as a skipped case carrying its value (see the module's TSDoc). */
function capacityCase(c: CapacityInfo): Case {
  const finished = c.probes.filter((p) => !p.partial);
  const sustained = highestSustained(c);
  const incomplete = c.stoppedBy === 'partial' || finished.length < c.probes.length ? 'search incomplete, ' : '';
  const text = `${incomplete}max TPS within budget ${capacityText(c)}; highest rate sustained: ${sustained === undefined ? 'none' : `${sustained}/s`}`;
  const probes = c.probes.map((p) => `${p.rate}/s ${p.partial ? 'partial' : p.holds ? 'held' : p.sustained ? 'sustained' : 'failed'}, achieved ${p.achievedRate.toFixed(1)}/s`).join('; ');
  const out = `budgets: ${c.budgets.join(', ')}; probes (${c.stepSec} s each): ${probes}; search ended: ${c.stoppedBy}`;
  return testCase(c.variant, 'max TPS within budget', (finished.length * c.stepSec).toFixed(3), 'skipped', `      <skipped message="${xmlEscape(`reported, not judged: ${text}`)}"/>\n      <system-out>${xmlEscape(out)}</system-out>`);
}

/** `3 pass, 1 fail, 2 inconclusive` of one judged variant's checks (undefined for a variant not judged). */
function variantCounts(v: BudgetVerdict, variant: string): string | undefined {
  const mine = v.checks.filter((c) => c.variant === variant);
  if (!v.judged || !v.variants.includes(variant) || !mine.length) return undefined;
  const n = (x: BudgetCheck['verdict']) => mine.filter((c) => c.verdict === x).length;
  return countsText({ counts: { pass: n('pass'), fail: n('fail'), inconclusive: n('inconclusive') } });
}

/** A test suite around `cases`, its counts taken from them. */
function suite(name: string, cases: readonly Case[], time: string, timestamp?: string, properties: Record<string, string | undefined> = {}): { xml: string; cases: readonly Case[] } {
  const count = (o: Case['outcome']) => cases.filter((c) => c.outcome === o).length;
  const props = Object.entries(properties).filter((e): e is [string, string] => e[1] !== undefined);
  const xml =
    `  <testsuite name="${xmlEscape(name)}" tests="${cases.length}" failures="${count('failure')}" errors="0" skipped="${count('skipped')}" time="${time}"${timestamp ? ` timestamp="${xmlEscape(timestamp)}"` : ''}>\n` +
    (props.length ? `    <properties>${props.map(([k, x]) => `<property name="${xmlEscape(k)}" value="${xmlEscape(x)}"/>`).join('')}</properties>\n` : '') +
    cases.map((c) => c.xml + '\n').join('') +
    '  </testsuite>';
  return { xml, cases };
}

/** Renders JUnit XML. */
export function renderJunit(data: ReportData): string {
  const v = mixVerdict(data);
  const suites = data.runs.map((r) => {
    const time = seconds(r.result);
    const cases = v.checks.filter((c) => c.variant === r.variant).map((c) => budgetCase(c, v, c.scenario, time));
    return suite(`ledger-bench budgets: ${r.variant}`, cases, time, r.result.startedAt, { verdicts: variantCounts(v, r.variant), transient: warmupNote(r.result) });
  });
  const iso = isolationVerdict(data);
  const isoRuns = data.isolation?.runs ?? [];
  for (const variant of iso ? [...new Set(isoRuns.map((r) => r.variant))] : []) {
    const runs = isoRuns.filter((r) => r.variant === variant);
    const cases = runs.flatMap((r) => {
      const where = `alone at ${r.result.target.rate}/s, ${r.held ? 'held' : `not held (achieved ${r.result.achievedRate.toFixed(1)}/s)`}`;
      return iso!.checks.filter((c) => c.variant === variant && c.scenario === r.scenario).map((c) => budgetCase(c, iso!, `${c.scenario} alone`, seconds(r.result), where));
    });
    const time = runs.reduce((t, r) => t + Number(seconds(r.result)), 0).toFixed(3);
    suites.push(suite(`ledger-bench isolation: ${variant}`, cases, time, runs[0]!.result.startedAt, { verdicts: variantCounts(iso!, variant) }));
  }
  if (data.capacity?.length) {
    const cases = data.capacity.map(capacityCase);
    // capacity.json records no start time: the suite has no timestamp.
    suites.push(suite('ledger-bench capacity', cases, cases.reduce((t, c) => t + Number(c.time), 0).toFixed(3)));
  }
  const all = suites.flatMap((s) => s.cases);
  const count = (o: Case['outcome']) => all.filter((c) => c.outcome === o).length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="ledger-bench" tests="${all.length}" failures="${count('failure')}" skipped="${count('skipped')}">\n${suites.map((s) => s.xml).join('\n')}\n</testsuites>\n`;
}
