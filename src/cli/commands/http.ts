/** `ledger-bench http`: the scenario mix through the ledger API, driven by autocannon at a fixed rate. */
import { resolve } from 'node:path';
import { redactSettings } from '../../config/load.js';
import { ExitCode, UserError } from '../../errors.js';
import { defineCommand } from '../command.js';
import { BUDGET_EXIT_MEANINGS, blockingLine } from '../exit-line.js';
import { onShutdown } from '../lifecycle.js';
import { progressLog } from '../output-flags.js';
import { parseMix, problemsOf } from '../parse-lists.js';
import { openVariantDatabase, variantProblems } from '../variant-database.js';

export const httpCommand = defineCommand({
  name: 'http',
  summary: 'the scenario mix over HTTP (the ledger API) at a fixed rate, driven by autocannon',
  usage: 'http --variant NAME [--url URL] [options]',
  description: `
Sends the scenario mix (--mix; default: the standard mix) to the ledger API at --rate
for --duration after --warmup, with autocannon over --connections keep-alive
connections, and writes the same result JSON as \`run\` (variant http:<variant>,
transport http). Each request is sent at its slot's intended start (t0 + i/rate) and its
latency counts from there, so a slow server shows as latency, not as a slower rate;
autocannon's own figures (from the send) are recorded beside. Without --url the API is
started in this process on <prefix>_<variant> with --pool-size connections; with --url
it drives a running \`ledger-bench serve\` (the database is still read for the data set's
hot accounts and users). Exits 99 when a budget (default p(95) under --budget-ms) fails or is not decided
(--inconclusive), 1 when the run ended partial. Details: docs/http.md.`,
  keys: [
    'databaseUrl', 'dataDir', 'dbPrefix', 'variant', 'mix', 'rate', 'durationSec', 'warmupSec', 'connections', 'arrival',
    'seed', 'budgetMs', 'budgets', 'budgetVariants', 'inconclusive', 'quiet', 'json', 'out', 'host', 'poolSize', 'apiUrl',
  ],
  exitMeanings: BUDGET_EXIT_MEANINGS,
  examples: [
    'ledger-bench http --variant optimized --rate 200 --duration 30s',
    'ledger-bench http --variant baseline --mix balance-lookup=1 --rate 100 --url http://127.0.0.1:8080',
  ],
  async run({ settings: s, sources, log, signal }) {
    const { DEFAULT_MIX } = await import('../../../scenarios/mix.js');
    const { REQUEST_BUILDERS } = await import('../../api/requests.js');
    const served = Object.keys(REQUEST_BUILDERS);
    const problems = [...(await variantProblems(s.variant)), ...problemsOf(() => s.mix && parseMix(s.mix, served))];
    if (problems.length) throw new UserError([...new Set(problems)]);
    const mix = s.mix ? parseMix(s.mix, served) : DEFAULT_MIX;

    const databaseUrl = await openVariantDatabase(s, log);
    const { newClient } = await import('../../db/client.js');
    const { loadScenarioContext } = await import('../../../scenarios/context.js');
    const { readServerInfo } = await import('../../result/server-info.js');
    const { getVariant } = await import('../../../variants/registry.js');
    const features = (await getVariant(s.variant)).features;
    const client = newClient({ connectionString: databaseUrl });
    await client.connect();
    let scenarios;
    let server;
    try {
      scenarios = await loadScenarioContext(client, features);
      server = await readServerInfo(client);
    } finally {
      await client.end();
    }

    const progress = progressLog(log, s.quiet);
    let url = s.apiUrl;
    if (!url) {
      const { startApi } = await import('../../api/server.js');
      const api = await startApi({ databaseUrl, variant: s.variant, host: s.host, port: 0, poolSize: s.poolSize, log });
      onShutdown(() => api.close());
      url = api.url;
      progress(`ledger API for variant ${s.variant} started in-process on ${url} (${s.poolSize} database connections)`);
    }
    const { defaultConnections } = await import('../../engine/options.js');
    const connections = s.connections > 0 ? s.connections : defaultConnections(s.rate, 1);
    const { runHttpLoad } = await import('../../api/http-load.js');
    const { httpRunResult } = await import('../../api/http-result.js');
    progress(`http load on ${url} (variant ${s.variant}): ${s.rate}/s for ${s.durationSec}s after ${s.warmupSec}s warm-up, ${connections} connections`);
    const m = await runHttpLoad({
      url,
      scenarios,
      mix,
      rate: s.rate,
      durationSec: s.durationSec,
      warmupSec: s.warmupSec,
      arrival: s.arrival,
      connections,
      seed: s.seed,
      signal,
    });
    const result = httpRunResult(m, {
      variant: s.variant,
      url,
      rate: s.rate,
      durationSec: s.durationSec,
      warmupSec: s.warmupSec,
      arrival: s.arrival,
      connections,
      poolSize: s.apiUrl ? null : s.poolSize,
      seed: s.seed,
      server,
      config: redactSettings({ command: 'http', ...s }),
    });
    const { writeResultAtomic } = await import('../../result/write.js');
    const { renderRunSummary } = await import('../../report/run-summary.js');
    const { effectiveBudgets, describeVerdict } = await import('../../budgets/settings.js');
    const { judgeBudgets } = await import('../../budgets/evaluate.js');
    const verdict = judgeBudgets([{ variant: result.variant ?? 'http', result }], effectiveBudgets(s, sources.budgetMs), s.budgetVariants, s.inconclusive);
    const file = await writeResultAtomic(resolve(s.out), result);
    if (s.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    else {
      process.stdout.write(renderRunSummary(result, verdict));
      const ac = m.autocannon;
      process.stdout.write(
        `autocannon's own latency (from the send, warm-up included): p50 ${ac.latencyMs.p50} ms, p90 ${ac.latencyMs.p90} ms, p99 ${ac.latencyMs.p99} ms, max ${ac.latencyMs.max} ms over ${ac.requests} requests (autocannon's own summary: no histogram, no interval)\n`,
      );
    }
    log(`result written to ${file}`);
    if (result.partial) {
      log(`run ended partial: ${result.partialReason ?? 'ended early'}`);
      return signal.aborted ? ExitCode.interrupted : ExitCode.failure;
    }
    for (const line of describeVerdict(verdict)) log(line);
    if (verdict.blocking.length > 0) {
      log(blockingLine('http complete', verdict));
      return ExitCode.thresholdFailed;
    }
    return ExitCode.ok;
  },
});
