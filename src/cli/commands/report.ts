/** `ledger-bench report`: renders result JSON (and comparison.json) as Markdown, JSON, JUnit XML or HTML. Never touches a database. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { ExitCode, UserError } from '../../errors.js';
import { defineCommand } from '../command.js';
import { BUDGET_EXIT_MEANINGS } from '../exit-line.js';
import type { Settings } from '../../config/options.js';
import type { Source } from '../../config/load.js';
import type { ReportFormat } from '../../report/write-reports.js';

export const reportCommand = defineCommand({
  name: 'report',
  summary: 'render result files (and k6 summaries) as Markdown, JSON, JUnit XML or a self-contained HTML page; exit 99 when a budget fails',
  usage: 'report [--format md|json|junit|html|all] [--out FILE|DIR] RESULT.json|comparison.json|K6-SUMMARY.json|scale.json|DIR ...',
  description: `
Reads result JSON files, a comparison.json (which names its variants' result files and
carries migration times, MV staleness and the review's claims) or a directory holding
them (such as reports/), and renders one report: md (the review's table shape with
measured p50/p95/p99 beside the claims, budget verdicts, achieved rates, migrations),
json, junit (one test case per scenario x variant budget) or html (one file that opens
offline, charts drawn with uPlot bundled in). Prints to stdout, or writes --out FILE;
--format all writes report.md, report.json, junit.xml and report.html into --out DIR.
Budgets are those the results were judged with unless --budget / --budget-ms /
--budget-variants are given. A directory may also hold capacity.json and isolation.json
(\`capacity\` and \`isolate\` write them; \`bench\` writes them under capacity/ and
isolation/ of its --out, and \`report\` reads those too): the report then adds the max
TPS within budget and each query alone beside the mixed figures. A scale job's --out
(or its scale.json) is rendered alone, as \`scale\` renders it, and judged as \`scale\`
judges it (p95 under --budget-ms on the judged variants' measured points: exit 99 when one
fails or is not decided on a complete job); a partial scale.json is rendered and not
judged (exit 0, as for partial runs: report renders files, it ran nothing). Every report leads with
the answer (does the review's claim hold, per variant) and prints each percentile with
its 95% interval. Exits 99 when a judged budget fails or is not decided (inconclusive;
--inconclusive pass lets it through, default: the policy recorded in the results) on
complete runs (the mixed runs, or the isolated ones), as the command that measured them
did; 0 otherwise (also when the runs are partial: not judged); 2 on
bad input. A k6 end-of-test summary (k6 run --summary-export=FILE, or
a handleSummary() JSON) is read as a result whose figures are k6's own summary
statistics (docs/k6.md); --rate, --duration and --warmup give the run's parameters when
the summary lacks the scenarios/k6 scripts' ledger_bench_* gauges. Reads files only: no
database is opened.`,
  keys: ['reportFormat', 'out', 'budgets', 'budgetMs', 'budgetVariants', 'inconclusive', 'rate', 'durationSec', 'warmupSec'],
  maxPositionals: 1000,
  outMayBeFile: true,
  exitMeanings: BUDGET_EXIT_MEANINGS,
  examples: [
    'ledger-bench report reports/ --format html --out reports/report.html',
    'ledger-bench report reports/baseline.json reports/optimized.json --format junit --budget "p(99)<120"',
    'ledger-bench report reports/ --format all --out site/',
    'ledger-bench report bench-out/   # the comparison with capacity/ and isolation/',
    'ledger-bench report reports/k6-balance-lookup.json --format md',
    'ledger-bench report scale-out/ --format all --out site/   # a scale job: its four reports again',
  ],
  async run({ settings: s, sources, positionals, log }) {
    if (positionals.length === 0) throw new UserError('report needs result files or a directory, e.g. `ledger-bench report reports/`');
    const { scaleInputPath } = await import('../../report/scale-input.js');
    const scalePath = positionals.map(scaleInputPath).find((p) => p !== undefined);
    if (scalePath) return reportScale(scalePath, positionals.length, s, sources, log);
    const { loadReportInputs, toReportData } = await import('../../report/inputs.js');
    const { effectiveBudgets, budgetScenarioProblems, budgetVariantProblems, describeVerdict } = await import('../../budgets/settings.js');
    const given = <T>(key: 'rate' | 'durationSec' | 'warmupSec', v: T) => (sources[key] === 'default' ? {} : { [key === 'rate' ? 'targetRate' : key]: v });
    const loaded = loadReportInputs(positionals, { ...given('rate', s.rate), ...given('durationSec', s.durationSec), ...given('warmupSec', s.warmupSec) });
    const problems = [...loaded.problems, ...(await outProblems(s, sources))];
    const flagged = sources.budgets !== 'default' || sources.budgetMs !== 'default';
    const budgets = flagged || !loaded.recordedBudgets ? effectiveBudgets(s, sources.budgetMs) : loaded.recordedBudgets;
    const budgetVariants = sources.budgetVariants !== 'default' ? s.budgetVariants : (loaded.recordedBudgetVariants ?? '');
    const scenarios = [...new Set(loaded.runs.flatMap((r) => r.result.scenarios.map((x) => x.name)))];
    if (loaded.runs.length) problems.push(...budgetScenarioProblems(budgets, scenarios, sources.budgets), ...budgetVariantProblems(budgetVariants, loaded.runs.map((r) => r.variant)));
    if (problems.length) throw new UserError(problems);
    const { SCENARIOS } = await import('../../../scenarios/registry.js');
    const claims = Object.fromEntries(SCENARIOS.flatMap((x) => (x.claim ? [[x.name, x.claim]] : [])));
    // The policy the runs were judged with, unless --inconclusive (flag, env or config) says otherwise.
    const inconclusive = sources.inconclusive !== 'default' ? s.inconclusive : (loaded.recordedInconclusive ?? s.inconclusive);
    const data = toReportData(loaded, budgets, budgetVariants, claims, inconclusive);
    const { RENDERERS } = await import('../../report/write-reports.js');
    await writeOutput(s, sources, data, RENDERERS, log);
    const { reportOutcome } = await import('../../report/outcome.js');
    const outcome = reportOutcome(data);
    for (const line of outcome.lines) log(line);
    return outcome.failed ? ExitCode.thresholdFailed : ExitCode.ok;
  },
});

type ReportSettings = Pick<Settings, 'reportFormat' | 'out' | 'budgetMs' | 'budgetVariants' | 'inconclusive'>;
type ReportSources = Partial<Record<keyof Settings, Source>>;

/** Problems of --format all and --out, found before anything is written. */
async function outProblems(s: ReportSettings, sources: ReportSources): Promise<string[]> {
  const problems: string[] = [];
  if (s.reportFormat === 'all' && sources.out === 'default') problems.push('--format all writes four files: name their directory with --out DIR');
  if (sources.out !== 'default') {
    const { outDirProblem } = await import('../out-dir-check.js');
    const dir = s.reportFormat === 'all' || !extname(s.out) ? s.out : dirname(resolve(s.out));
    const problem = outDirProblem(dir, `--out ${s.out}`);
    if (problem) problems.push(problem);
  }
  return problems;
}

/** Renders `data` as --format says: every format into --out DIR, or one to stdout or --out FILE|DIR. */
async function writeOutput<T>(s: ReportSettings, sources: ReportSources, data: T, renderers: Readonly<Record<ReportFormat, (d: T) => string>>, log: (line: string) => void): Promise<void> {
  const { NO_STEP_SUMMARY, REPORT_FILES, writeRendered } = await import('../../report/write-reports.js');
  if (s.reportFormat === 'all') {
    const dir = resolve(s.out);
    mkdirSync(dir, { recursive: true });
    // No step summary from `report`: the command that ran the benchmark already appended one.
    for (const f of await writeRendered(dir, data, renderers, NO_STEP_SUMMARY)) log(`wrote ${f}`);
    return;
  }
  const text = renderers[s.reportFormat](data);
  if (sources.out === 'default') {
    process.stdout.write(text);
    return;
  }
  const target = extname(s.out) ? resolve(s.out) : join(resolve(s.out), REPORT_FILES[s.reportFormat]);
  mkdirSync(resolve(target, '..'), { recursive: true });
  writeFileSync(target, text);
  log(`wrote ${target}`);
}

/**
 * `report` on a scale job's scale.json: the scale reports, the budget judged as `scale`
 * judges it (report's budget flags over the recorded ones). A partial file is rendered
 * and never judged, and exits 1: the job it records did not complete.
 */
async function reportScale(file: string, inputs: number, s: ReportSettings, sources: ReportSources, log: (line: string) => void): Promise<number> {
  const { loadScaleInput } = await import('../../report/scale-input.js');
  const given = (key: keyof Settings) => sources[key] !== undefined && sources[key] !== 'default';
  const loaded = loadScaleInput(file, {
    ...(given('budgetMs') ? { budgetMs: s.budgetMs } : {}),
    ...(given('budgetVariants') ? { budgetVariants: s.budgetVariants } : {}),
    ...(given('inconclusive') ? { inconclusive: s.inconclusive } : {}),
    budgetSpec: given('budgets'),
  });
  const problems = [
    ...(inputs > 1 ? [`${file}: a scale job's scale.json is rendered on its own; give it (or its directory) as the only input`] : []),
    ...(loaded.ok ? [] : loaded.problems),
    ...(await outProblems(s, sources)),
  ];
  if (problems.length || !loaded.ok) throw new UserError(problems);
  const f = loaded.value;
  const { SCALE_RENDERERS } = await import('../../report/scale-reports.js');
  await writeOutput(s, sources, f, SCALE_RENDERERS, log);
  if (f.partial) {
    // As for partial runs: report renders what was measured; the job that broke exited 1 itself.
    log(`report: ${file} is partial (${f.partialReason ?? 'incomplete'}): ${f.points.length} point(s) rendered, the budget not judged`);
    return ExitCode.ok;
  }
  const { scaleBudgetOutcome } = await import('../../report/scale-rows.js');
  const outcome = scaleBudgetOutcome(f, `report: scale complete (${f.points.length} points)`);
  log(outcome.line);
  return outcome.blocking ? ExitCode.thresholdFailed : ExitCode.ok;
}
