/** `ledger-bench run`: one open-model, fixed-rate run of a variant's scenario mix or of a pgbench script. */
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { resolve } from 'node:path';
import { redactSettings } from '../../config/load.js';
import { databaseOf, withDatabase } from '../../db/connection-url.js';
import { baselineDatabaseName, ownedDatabaseName } from '../../db/names.js';
import { databaseState, withAdminClient } from '../../db/ownership.js';
import { ExitCode, UserError } from '../../errors.js';
import { mixProblems, variantListProblems } from '../list-problems.js';
import { defineCommand } from '../command.js';
import { BUDGET_EXIT_MEANINGS, blockingLine } from '../exit-line.js';
import { parseMix, parseSegment } from '../parse-lists.js';
import { partialOutcome } from '../run-outcome.js';
import { openServer } from '../server-session.js';

export const runCommand = defineCommand({
  name: 'run',
  summary: 'one fixed-rate run: a variant\'s scenario mix, or a pgbench script (--sql-file)',
  usage: 'run [--variant NAME | --sql-file FILE] [options]',
  description: `
Runs an open-model load at --rate for --duration after --warmup and writes the result
JSON to --out. Latency counts from each transaction's intended start. With --variant it
runs the scenario mix (--mix, default: the standard 70% read / 30% write mix) on
<prefix>_<variant> (build it first with \`ledger-bench migrate\`; the baseline comes from
\`ledger-bench seed\`); its writes stay in that database (the next run on it says its
data has diverged; the baseline itself is never written to: a mix with writes runs on a
fresh clone of it, <prefix>_baseline_run). It refuses a database that is incomplete
(interrupted seed or migrate) or was not created by ledger-bench. With --sql-file it runs a pgbench
custom script (\\set with random(), random_zipfian(), random_exponential(),
random_gaussian(), :variables) unchanged, in the database --database-url names (with
the embedded server: <prefix>_baseline); before the clock starts the server parses
every statement (nothing runs), and one it rejects is bad input (exit 2, with its
line). Exits 99 when a budget fails on a complete run: --budget in k6 threshold
syntax ('p(95)<50', 'journal-entry-search:p(99)<120', 'rate>=0.99', 'errors<0.001'),
default p(95) under --budget-ms. A lost connection is re-established with backoff for
up to --reconnect-timeout while the run goes on; a run that did not finish exits 130
when interrupted and 1 when it broke (server gone past --reconnect-timeout), its
partial result still written. A --variant run over the whole schedule also records
server evidence, read outside the timed window (plans, pg_stat_statements deltas,
index use; --no-evidence skips it). With --target URL it measures that existing database
as it is, in read-only sessions: no seeding, no cloning, nothing created there; the
default mix is the read scenarios, each running its after-query where the target's
catalog has the feature and its before-query otherwise, parameters drawn from its
data (docs/target.md); --allow-writes adds post-journal-entry's tagged inserts.`,
  keys: [
    'databaseUrl', 'db', 'containerImage', 'dataDir', 'dbPrefix', 'variant', 'variantsDir', 'sqlFile', 'mix', 'rate', 'durationSec', 'warmupSec', 'connections', 'arrival',
    'maxTries', 'backlog', 'workers', 'segment', 'queryMode', 'seed', 'budgetMs', 'budgets', 'budgetVariants', 'inconclusive', 'refreshIntervalSec', 'reconnectTimeoutSec',
    'engineTimer', 'engineDriver', 'evidence', 'quiet', 'json', 'out', 'maxWarmupSec', 'target', 'allowWrites',
  ],
  measures: true,
  exitMeanings: BUDGET_EXIT_MEANINGS,
  examples: [
    'ledger-bench run --variant indexes --rate 1000 --duration 30s',
    'ledger-bench run --variant baseline --mix balance-lookup=1 --rate 500',
    'ledger-bench run --sql-file q.sql --rate 1000 --duration 60s --database-url postgres://me@127.0.0.1/mydb',
    'ledger-bench run --variant optimized --segment 2/3 --out results/machine-2   # one of three machines',
    'ledger-bench run --target postgres://me@db.staging/ledger --rate 50 --duration 60s   # an existing database, read-only',
    "ledger-bench run --variant indexes --budget 'p(95)<50' --budget 'journal-entry-search:p(99)<120' --budget 'rate>=0.99'",
  ],
  async validate({ settings: s, sources }) {
    const { effectiveBudgets, budgetScenarioProblems } = await import('../../budgets/settings.js');
    const budgets = effectiveBudgets(s, sources.budgetMs);
    const { warmupProblems } = await import('../warmup-settings.js');
    const warmup = warmupProblems(s, sources, s.segment !== '1/1');
    const { targetProblems, mixScenarios } = await import('../target-settings.js');
    const targeted = await targetProblems(s, sources, s.sqlFile ? null : await mixScenarios(s.mix), '--mix', {
      ...(s.sqlFile ? { '--sql-file': 'a pgbench script runs in the database --database-url names; --target runs the scenario mix' } : {}),
      ...(sources.variant !== 'default' ? { '--variant': 'the target is measured as it is, not as a variant (its catalog picks the queries)' } : {}),
      ...(s.segment !== '1/1' ? { '--segment': 'a run on a target covers the whole schedule' } : {}),
    });
    if (s.target) {
      const { SCENARIOS } = await import('../../../scenarios/registry.js');
      return [...targeted, ...(await mixProblems(s.mix)), ...budgetScenarioProblems(budgets, SCENARIOS.map((x) => x.name), sources.budgets), ...warmup];
    }
    if (!s.sqlFile) {
      const { SCENARIOS } = await import('../../../scenarios/registry.js');
      const mixBad = await mixProblems(s.mix);
      const problems = [
        ...targeted,
        ...(await variantListProblems(s.variant, '--variant', false, s.variantsDir)),
        ...mixBad,
        ...budgetScenarioProblems(budgets, SCENARIOS.map((x) => x.name), sources.budgets),
        ...warmup,
      ];
      if (s.variant.includes(',')) problems.push('--variant takes one variant; use `ledger-bench compare --variants` for several');
      if (s.segment !== '1/1' && s.variant === 'baseline' && mixBad.length === 0) {
        // A baseline run with writes goes to a fresh clone (run-target.ts) that every
        // segment's process would recreate under the others' feet.
        const { mixHasWrites } = await import('../run-target.js');
        if (mixHasWrites(s.mix ? parseMix(s.mix, SCENARIOS.map((x) => x.name)) : undefined)) {
          problems.push(
            `--segment ${s.segment} with --variant baseline and a mix that writes: each segment would recreate ${ownedDatabaseName(s.dbPrefix, 'baseline_run')}, the fresh clone such a run writes to, while the other segments run on it; ` +
              `give the baseline copy a variant of its own and run every segment there (echo 'ANALYZE;' > my/base-copy.sql; ledger-bench migrate --variants-dir my --variant base-copy; ` +
              `then run --variants-dir my --variant base-copy --segment I/N), or leave the write scenarios out with --mix`,
          );
        }
      }
      return problems;
    }
    // The script's one transaction type is named after its file.
    const problems = [...targeted, ...budgetScenarioProblems(budgets, [basename(s.sqlFile).replace(/\.[^.]*$/, '')], sources.budgets), ...warmup];
    if (sources.variant !== 'default') problems.push('--sql-file and --variant exclude each other: a pgbench script runs as written');
    if (!existsSync(resolve(s.sqlFile))) return [...problems, `--sql-file: ${s.sqlFile} does not exist`];
    const { parsePgbenchScript } = await import('../../workload/pgbench/script.js');
    try {
      parsePgbenchScript(readFileSync(resolve(s.sqlFile), 'utf8'));
    } catch (err) {
      problems.push(`--sql-file ${s.sqlFile}: ${(err as Error).message}`);
    }
    return problems;
  },
  async run({ settings: s, sources, log, signal }) {
    // validate() has checked every input that needs no database: bad input changes nothing.
    const sqlPath = s.sqlFile ? resolve(s.sqlFile) : '';
    const { effectiveBudgets } = await import('../../budgets/settings.js');
    const budgets = effectiveBudgets(s, sources.budgetMs);
    if (s.target) {
      const { runOnTarget } = await import('../target-run.js');
      return finishRun(await runOnTarget(s, budgets, log, signal), s, budgets, log);
    }
    let workloadSpec;
    if (sqlPath) {
      workloadSpec = { kind: 'pgbench-script' as const, path: sqlPath };
    } else {
      const { SCENARIOS } = await import('../../../scenarios/registry.js');
      const { scenarioWorkloadSpec } = await import('../../../scenarios/workload.js');
      const mix = s.mix ? parseMix(s.mix, SCENARIOS.map((x) => x.name)) : undefined;
      workloadSpec = scenarioWorkloadSpec({
        variant: s.variant,
        ...(s.variantsDir ? { variantsDir: s.variantsDir } : {}),
        side: s.variant === 'baseline' ? 'before' : 'after',
        ...(mix ? { mix } : {}),
        refreshIntervalSec: s.refreshIntervalSec,
      });
    }

    // A pgbench script runs in the database the URL names; a variant's mix names a server.
    const server = await openServer(s, log, { databaseFromUrl: Boolean(sqlPath) });
    let databaseUrl: string;
    let divergence: import('../../db/readiness.js').Divergence | undefined;
    if (sqlPath) {
      // A pgbench script runs in whatever database it is given (the user's own, too): no marks required.
      databaseUrl = server.kind === 'url' ? server.url : withDatabase(server.url, baselineDatabaseName(s.dbPrefix));
      const dbName = databaseOf(databaseUrl);
      const state = await withAdminClient(server.url, (c) => databaseState(c, dbName));
      if (!state.exists) throw new UserError(`database "${dbName}" does not exist on ${server.label}: create it, or seed one with \`ledger-bench seed\``);
    } else {
      // Ours, complete and unchanged (or reported as diverged); the baseline itself is never written to.
      const { prepareRunTarget, mixHasWrites } = await import('../run-target.js');
      const writes = mixHasWrites((workloadSpec as { options?: { mix?: Record<string, number> } }).options?.mix);
      const target = await prepareRunTarget(server.url, { prefix: s.dbPrefix, variant: s.variant, label: server.label, writes }, log);
      databaseUrl = target.url;
      divergence = target.divergence;
    }
    const dbName = databaseOf(databaseUrl);

    if (sqlPath) {
      // Every statement is parsed by the server before the clock starts (nothing runs):
      // a script the server rejects is bad input, not a schedule of identical errors.
      const { parsePgbenchScript } = await import('../../workload/pgbench/script.js');
      const { unpreparableStatements } = await import('../sql-file-check.js');
      const failures = await unpreparableStatements(databaseUrl, parsePgbenchScript(readFileSync(sqlPath, 'utf8')), s.queryMode);
      if (failures.length) throw new UserError(failures.map((f) => `--sql-file ${s.sqlFile} line ${f.line}: ${f.message}; fix the statement (it was not run)`));
    }
    const { runLoad } = await import('../../engine/run-load.js');
    const segment = parseSegment(s.segment);
    // A segment's machines must measure the same seconds: their warm-up stays fixed.
    const { maxWarmupSec } = await import('../warmup-settings.js');
    const maxWarmup = segment ? s.warmupSec : maxWarmupSec(s);
    const warmup = maxWarmup > s.warmupSec ? `${s.warmupSec}-${maxWarmup}s warm-up (until steady)` : `${s.warmupSec}s warm-up`;
    log(`running ${sqlPath ? `pgbench script ${s.sqlFile}` : `variant ${s.variant}`} on ${dbName}: ${s.rate}/s for ${s.durationSec}s after ${warmup}`);
    // A variant's database is pre-warmed before the clock starts, like every variant of
    // compare and bench (a pgbench script's database may be the user's own: left alone).
    let prewarm: import('../../db/prewarm.js').PrewarmReport | undefined;
    if (!sqlPath) {
      const { prewarmDatabase } = await import('../../db/prewarm.js');
      prewarm = await prewarmDatabase(databaseUrl, { createExtension: dbName !== baselineDatabaseName(s.dbPrefix) });
      log(`pre-warmed ${dbName}: ${prewarm.method}, ${prewarm.relations} relations in ${(prewarm.ms / 1000).toFixed(1)} s`);
    }
    // Server evidence around a scenario run that covers the whole schedule (a segment's
    // counters would mix in the other machines' work); read outside the timed window.
    let evidence: import('../../compare/evidence.js').EvidenceSession | undefined;
    if (s.evidence && !sqlPath && !segment) {
      const { getVariant } = await import('../../../variants/registry.js');
      const { DEFAULT_MIX } = await import('../../../scenarios/mix.js');
      const { startEvidence } = await import('../../compare/evidence.js');
      const def = await getVariant(s.variant, { variantsDir: s.variantsDir });
      const mix = (workloadSpec as { options?: { mix?: Record<string, number> } }).options?.mix ?? DEFAULT_MIX;
      evidence = await startEvidence({
        url: databaseUrl,
        features: def.features,
        side: s.variant === 'baseline' ? 'before' : 'after',
        mix,
        seed: s.seed,
        // A read-only mix runs on the seeded baseline itself: read its counters, change nothing there.
        createExtension: dbName !== baselineDatabaseName(s.dbPrefix),
      });
    }
    // The engine watches the signal itself: Ctrl-C ends the run with a partial result, still written.
    const { runEngineSettings } = await import('../engine-settings.js');
    const result = await runLoad({
        databaseUrl,
        workload: workloadSpec,
        ...runEngineSettings(s),
        maxWarmupSec: maxWarmup,
        ...(segment ? { segment } : {}),
        signal,
        // The budgets recorded are the ones judged (--budget-ms folded in), so reports re-judge the same.
        config: redactSettings({ command: 'run', ...s, budgets }),
        variant: sqlPath ? `sql-file:${basename(sqlPath)}` : s.variant,
      });
    if (divergence) result.dataDiverged = { ...divergence };
    if (prewarm) result.prewarm = { ...prewarm };
    if (evidence) await (await import('../../compare/evidence.js')).attachEvidence(result, evidence);
    return finishRun(result, s, budgets, log);
  },
});

/** Writes the result, prints its summary, judges the budgets on a complete run and returns the exit code. */
async function finishRun(
  result: import('../../result/types.js').RunResult,
  s: { out: string; json: boolean; budgetVariants: string; inconclusive: 'fail' | 'pass' },
  budgets: import('../../config/budget-grammar.js').BudgetSet,
  log: (line: string) => void,
): Promise<number> {
  const { writeResultAtomic } = await import('../../result/write.js');
  const { renderRunSummary } = await import('../../report/run-summary.js');
  const { judgeBudgets } = await import('../../budgets/evaluate.js');
  const { describeVerdict } = await import('../../budgets/settings.js');
  const file = await writeResultAtomic(resolve(s.out), result);
  const verdict = judgeBudgets([{ variant: result.variant ?? 'run', result }], budgets, s.budgetVariants, s.inconclusive);
  if (s.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else process.stdout.write(renderRunSummary(result, verdict));
  if (result.targetDatabase && !s.json) {
    const { targetLines } = await import('../../report/target-section.js');
    process.stdout.write('\n' + targetLines(result.targetDatabase).join('\n') + '\n');
  }
  log(`result written to ${file}`);
  // A partial run is never judged against the budgets: it exits 130 (interrupted) or 1 (broke).
  const partial = partialOutcome([{ label: 'run', result }]);
  if (partial) {
    log(partial.line);
    return partial.code;
  }
  for (const line of describeVerdict(verdict)) log(line);
  if (verdict.blocking.length > 0) {
    log(blockingLine('run complete', verdict));
    return ExitCode.thresholdFailed;
  }
  log('run complete');
  return ExitCode.ok;
}
