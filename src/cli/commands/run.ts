/** `ledger-bench run`: one open-model, fixed-rate run of a variant's scenario mix or of a pgbench script. */
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { resolve } from 'node:path';
import { redactSettings } from '../../config/load.js';
import { databaseOf, withDatabase } from '../../db/connection-url.js';
import { baselineDatabaseName } from '../../db/names.js';
import { databaseState, withAdminClient } from '../../db/ownership.js';
import { ExitCode, UserError } from '../../errors.js';
import { defineCommand } from '../command.js';
import { parseMix, parseSegment, parseVariantList, problemsOf } from '../parse-lists.js';
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
\`ledger-bench seed\`); its writes stay in that database. With --sql-file it runs a pgbench
custom script (\\set with random(), random_zipfian(), random_exponential(),
random_gaussian(), :variables) unchanged, in the database --database-url names (with
the embedded server: <prefix>_baseline). A lost connection is re-established with
backoff for up to --reconnect-timeout while the run goes on. Exits 99 when a
scenario's p95 is over --budget-ms; a run that did not finish exits 130 when
interrupted and 1 when it broke (server gone past --reconnect-timeout), its partial
result still written.`,
  keys: [
    'databaseUrl', 'dataDir', 'dbPrefix', 'variant', 'sqlFile', 'mix', 'rate', 'durationSec', 'warmupSec', 'connections', 'arrival',
    'maxTries', 'backlog', 'workers', 'segment', 'queryMode', 'seed', 'budgetMs', 'refreshIntervalSec', 'reconnectTimeoutSec',
    'engineTimer', 'engineDriver', 'quiet', 'json', 'out',
  ],
  examples: [
    'ledger-bench run --variant indexes --rate 1000 --duration 30s',
    'ledger-bench run --variant baseline --mix balance-lookup=1 --rate 500',
    'ledger-bench run --sql-file q.sql --rate 1000 --duration 60s --database-url postgres://me@127.0.0.1/mydb',
    'ledger-bench run --variant optimized --segment 2/3 --out results/machine-2   # one of three machines',
  ],
  async run({ settings: s, sources, log, signal }) {
    // Validate everything that needs no database first: bad input changes nothing.
    const sqlPath = s.sqlFile ? resolve(s.sqlFile) : '';
    if (sqlPath && !existsSync(sqlPath)) throw new UserError(`--sql-file: ${s.sqlFile} does not exist`);
    if (sqlPath && sources.variant !== 'default') throw new UserError('--sql-file and --variant exclude each other: a pgbench script runs as written');
    let workloadSpec;
    if (sqlPath) {
      const { parsePgbenchScript } = await import('../../pgbench/script.js');
      try {
        parsePgbenchScript(readFileSync(sqlPath, 'utf8'));
      } catch (err) {
        throw new UserError(`--sql-file ${s.sqlFile}: ${(err as Error).message}`);
      }
      workloadSpec = { kind: 'pgbench-script' as const, path: sqlPath };
    } else {
      const { SCENARIOS } = await import('../../../scenarios/registry.js');
      const { listVariants } = await import('../../variants/registry.js');
      const { scenarioWorkloadSpec } = await import('../../../scenarios/workload.js');
      const variants = (await listVariants()).map((v) => v.name);
      // Both checks run before either throws, so every problem is reported at once.
      const problems = [
        ...problemsOf(() => parseVariantList(s.variant, variants, '--variant', false)),
        ...problemsOf(() => s.mix && parseMix(s.mix, SCENARIOS.map((x) => x.name))),
      ];
      if (s.variant.includes(',')) problems.push('--variant takes one variant; use `ledger-bench compare --variants` for several');
      if (problems.length) throw new UserError(problems);
      const mix = s.mix ? parseMix(s.mix, SCENARIOS.map((x) => x.name)) : undefined;
      workloadSpec = scenarioWorkloadSpec({
        variant: s.variant,
        side: s.variant === 'baseline' ? 'before' : 'after',
        ...(mix ? { mix } : {}),
        refreshIntervalSec: s.refreshIntervalSec,
      });
    }

    const server = await openServer(s, log);
    let databaseUrl: string;
    if (sqlPath) {
      databaseUrl = server.kind === 'url' ? server.url : withDatabase(server.url, baselineDatabaseName(s.dbPrefix));
    } else {
      const { variantDatabase } = await import('../../variants/migrate.js');
      databaseUrl = withDatabase(server.url, variantDatabase(s.dbPrefix, s.variant));
    }
    const dbName = databaseOf(databaseUrl);
    const state = await withAdminClient(server.url, (c) => databaseState(c, dbName));
    if (!state.exists) {
      const how = sqlPath ? 'create it, or seed one with `ledger-bench seed`' : s.variant === 'baseline' ? 'run `ledger-bench seed` first' : `run \`ledger-bench migrate --variant ${s.variant}\` first`;
      throw new UserError(`database "${dbName}" does not exist on ${server.label}: ${how}`);
    }

    const { runLoad } = await import('../../engine/run-load.js');
    const { writeResultAtomic } = await import('../../result/write.js');
    const { renderRunSummary, budgetVerdicts } = await import('../../report/run-summary.js');
    log(`running ${sqlPath ? `pgbench script ${s.sqlFile}` : `variant ${s.variant}`} on ${dbName}: ${s.rate}/s for ${s.durationSec}s after ${s.warmupSec}s warm-up`);
    const segment = parseSegment(s.segment);
    // The engine watches the signal itself: Ctrl-C ends the run with a partial result, still written.
    const result = await runLoad({
        databaseUrl,
        workload: workloadSpec,
        rate: s.rate,
        durationSec: s.durationSec,
        warmupSec: s.warmupSec,
        arrival: s.arrival,
        ...(s.connections > 0 ? { connections: s.connections } : {}),
        ...(s.backlog > 0 ? { backlog: s.backlog } : {}),
        maxTries: s.maxTries,
        workers: s.workers,
        ...(segment ? { segment } : {}),
        queryMode: s.queryMode,
        reconnectTimeoutSec: s.reconnectTimeoutSec,
        timer: s.engineTimer,
        driver: s.engineDriver,
        quiet: s.quiet,
        seed: s.seed,
        signal,
        config: redactSettings({ command: 'run', ...s }),
        variant: sqlPath ? `sql-file:${basename(sqlPath)}` : s.variant,
      });
    const file = await writeResultAtomic(resolve(s.out), result);
    if (s.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    else process.stdout.write(renderRunSummary(result, s.budgetMs));
    log(`result written to ${file}`);
    // A partial run is never judged against the budget: it exits 130 (interrupted) or 1 (broke).
    const partial = partialOutcome([{ label: 'run', result }]);
    if (partial) {
      log(partial.line);
      return partial.code;
    }
    const over = [...budgetVerdicts(result, s.budgetMs)].filter(([, v]) => v !== 'ok').map(([n]) => n);
    if (over.length > 0) {
      log(`p95 budget of ${s.budgetMs} ms not met by: ${over.join(', ')}: exit ${ExitCode.thresholdFailed}`);
      return ExitCode.thresholdFailed;
    }
    log(`run complete: exit ${ExitCode.ok}`);
    return ExitCode.ok;
  },
});
