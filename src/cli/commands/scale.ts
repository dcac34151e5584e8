/** `ledger-bench scale`: each claimed query alone at several data sizes, and how its p95 grows with the number of entries. */
import { dirname } from 'node:path';
import { ExitCode } from '../../errors.js';
import { defineCommand } from '../command.js';
import { openServer } from '../server-session.js';
import { variantListProblems } from '../list-problems.js';
import { parseVariantList, problemsOf } from '../parse-lists.js';
import { nameLengthProblems, parseScales } from '../parse-scales.js';
import { isolationProblems } from './isolate.js';
import type { ScaleDone } from '../scale-job.js';

export const scaleCommand = defineCommand({
  name: 'scale',
  summary: "each claimed query alone at several data sizes: how its p95 grows with the entries, and its estimate at production size",
  usage: 'scale [--scales LIST] [--variants LIST] [--production-entries N] [options]',
  description: `
For each size of --scales (smallest first; a named scale or a custom ENTRIES or
ENTRIESxACCOUNTS): a complete baseline of that size, reused when one exists
(<prefix>_baseline seeded with exactly that size, e.g. by bench, or the size's own
<prefix>_<scale>_baseline from an earlier scale run; --reseed seeds again), else seeded
as <prefix>_<scale>_baseline; then, as \`ledger-bench isolate\` does, each of --scenarios
(default: the queries the review claims numbers for) ALONE on each variant (built from
that baseline) at --isolate-rate for --isolate-sec after --isolate-warmup.
Then, per variant and query, a least-squares line through (log entries, log p95): its
slope is the growth exponent (p95 ~ entries^b) with its 95% t-interval (none with two
sizes: a line fits two points exactly), classified flat (b < 0.15), logarithmic-ish
(< 0.5), linear (0.5-1.2) or worse (> 1.2). With --production-entries N, each query's
p95 at N entries from the fit, with its 95% prediction interval, labelled a model
estimate: never a measurement.
Writes scale.json (rewritten after each point: an interrupted job leaves a partial
one), <size>/<variant>--<scenario>.json per run, and report.md, report.json, junit.xml
and report.html (a log-log chart per query, one line per variant, the budget as a
line) to --out. Not part of \`npm run bench\`: seeding and building each size takes
time (docs/scale.md gives the cost per scale). Exit 99 when a measured p95 of a judged
variant (--budget-variants; default every variant but the baseline) is not decided
under --budget-ms on a complete job: its 95% interval above the budget (fail) or
straddling it (inconclusive); estimates are never judged. 130 interrupted, 1 a run
broke. --json prints scale.json instead of the tables.`,
  keys: [
    'databaseUrl', 'db', 'containerImage', 'dataDir', 'dbPrefix', 'force', 'scales', 'productionEntries', 'variants', 'variantsDir', 'isolateScenarios', 'isolateRate', 'isolateSec',
    'isolateWarmupSec', 'seed', 'zipfTheta', 'asOf', 'reseed', 'connections', 'workers', 'maxTries', 'budgetMs', 'budgetVariants', 'inconclusive', 'refreshIntervalSec', 'reconnectTimeoutSec',
    'engineTimer', 'engineDriver', 'quiet', 'json', 'out',
  ],
  measures: true,
  examples: [
    'ledger-bench scale --scales tiny,small,medium --variants baseline,optimized',
    'ledger-bench scale --scales small,medium --production-entries 50000000 --scenarios balance-history,journal-entry-search',
    'ledger-bench scale --scales 20000,100000,400000 --isolate-sec 10s   # custom sizes (entries; 10,000 accounts)',
  ],
  async validate({ settings: s }) {
    const problems = [...problemsOf(() => parseScales(s.scales)), ...(await variantListProblems(s.variants, '--variants', true, s.variantsDir)), ...(await isolationProblems(s))];
    if (s.isolateSec <= 0) problems.push('--isolate-sec must be above 0 for scale (each query is measured for that long)');
    if (problems.length) return problems;
    const { listVariants } = await import('../../../variants/registry.js');
    const names = parseVariantList(s.variants, (await listVariants({ variantsDir: s.variantsDir })).map((v) => v.name));
    const all = ['baseline', ...names.filter((v) => v !== 'baseline')];
    const { budgetVariantProblems } = await import('../../budgets/settings.js');
    problems.push(...budgetVariantProblems(s.budgetVariants, all));
    const longest = all.reduce((a, b) => (b.length > a.length ? b : a), '');
    problems.push(...nameLengthProblems(s.dbPrefix, parseScales(s.scales), `_${longest.replace(/-/g, '_')}_iso`));
    return problems;
  },
  async run({ settings: s, log, signal }) {
    const { listVariants } = await import('../../../variants/registry.js');
    const { SCENARIOS } = await import('../../../scenarios/registry.js');
    const names = parseVariantList(s.variants, (await listVariants({ variantsDir: s.variantsDir })).map((v) => v.name));
    const variants = ['baseline', ...names.filter((v) => v !== 'baseline')];
    const split = s.isolateScenarios.split(',').map((x) => x.trim()).filter(Boolean);
    const scenarios = split.length ? split : SCENARIOS.filter((x) => x.claim).map((x) => x.name);
    const server = await openServer(s, log);
    const { planSizes, replacedDatabases, runScaleJob } = await import('../scale-job.js');
    const plans = await planSizes(server.url, s);
    // Before anything is seeded or built: every database the job replaces must be ours (or --force).
    const { assertReplaceable } = await import('../../db/readiness.js');
    await assertReplaceable(server.url, await replacedDatabases(plans, variants), s.force);
    log(`scale: ${scenarios.join(', ')} alone on ${variants.join(', ')} at ${plans.map((p) => `${p.size.label}${p.reuse ? ' (reused)' : ''}`).join(', ')}`);
    const done = await runScaleJob(server.url, s, plans, variants, scenarios, log, signal);
    const { writeScaleReports } = await import('../../report/scale-reports.js');
    const { scaleQueryTables } = await import('../../report/scale-markdown.js');
    if (s.json) (await import('../output-flags.js')).printJsonFile(done.path);
    else process.stdout.write('\n' + scaleQueryTables(done.file).join('\n') + '\n');
    const files = await writeScaleReports(dirname(done.path), done.file);
    log(`results: ${done.path}, ${files.join(', ')}`);
    return scaleOutcome(done, log, signal);
  },
});

/** The exit code of a scale job, with its outcome line: broken 1, interrupted 130, a judged budget failed 99, else 0. */
async function scaleOutcome(done: ScaleDone, log: (line: string) => void, signal: AbortSignal): Promise<number> {
  const n = done.file.points.length;
  if (done.broken) {
    log(`scale incomplete: a run broke (${done.broken})`);
    return ExitCode.failure;
  }
  if (done.file.partial) {
    log(`scale interrupted after ${n} of ${done.planned} point(s)`);
    return signal.aborted ? ExitCode.interrupted : ExitCode.failure;
  }
  const { scaleBudgetOutcome } = await import('../../report/scale-rows.js');
  const outcome = scaleBudgetOutcome(done.file, `scale complete (${n} points)`);
  log(outcome.line);
  return outcome.blocking ? ExitCode.thresholdFailed : ExitCode.ok;
}
