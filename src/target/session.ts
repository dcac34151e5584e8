/**
 * An existing database measured as it is (`--target URL`, docs/target.md): opened
 * and inspected once before any run, with nothing created or changed in it.
 *
 * - Every session (the engine's, the inspection's, the evidence's) connects with
 *   `options=-c default_transaction_read_only=on`, checked on the first connection
 *   (a pooler that drops startup options is refused), unless --allow-writes.
 * - The schema check comes first: what the scenarios need and is missing is bad input.
 * - The catalog's features pick each read scenario's query; the data's own ranking
 *   draws the parameters; pg_stat_statements is read only where already installed.
 * - Each run's result gets a `targetDatabase` object: which query ran and why, how the
 *   parameters were drawn, the share of reads that returned no row, and with writes
 *   how many tagged entries it inserted.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { newClient } from '../db/client.js';
import { databaseOf, redactUrl } from '../db/connection-url.js';
import { probeServer } from '../db/server-probe.js';
import { UserError } from '../errors.js';
import { DEFAULTS } from '../config/defaults.js';
import type { RunResult, TargetDatabase } from '../result/types.js';
import type { Feature } from '../variant-build/types.js';
import { prepareStatements } from '../compare/server-counters.js';
import { contextFromDraws, describeDraws, readTargetDraws, type TargetDraws } from '../../scenarios/target-context.js';
import type { ScenarioContext } from '../../scenarios/context.js';
import type { TargetWorkloadOptions } from '../../scenarios/workload.js';
import { ZeroRowCounters } from '../../scenarios/zero-rows.js';
import { getScenario } from '../../scenarios/registry.js';
import { detectFeatures, type FeatureFinding } from './features.js';
import { chooseQueries } from './query-choice.js';
import { schemaProblems } from './schema-check.js';

/** The startup option that makes every transaction of a session read-only. */
export const READ_ONLY_OPTION = '-c default_transaction_read_only=on';

/** `url` with {@link READ_ONLY_OPTION} added to its startup `options` (kept when it has some). */
export function readOnlyUrl(url: string): string {
  const u = new URL(url);
  const given = u.searchParams.get('options');
  u.searchParams.set('options', given ? `${given} ${READ_ONLY_OPTION}` : READ_ONLY_OPTION);
  return u.toString();
}

/** What capacity and isolation need to run on a target instead of a clone of a variant. */
export interface TargetHooks {
  /** URL of the sessions (read-only unless writes are allowed). */
  url: string;
  /** The workload options of one run (fresh zero-row counters each time). */
  workload(): TargetWorkloadOptions;
  /** Adds what the last run found on the target to its result (call once per run, after it). */
  annotate(result: RunResult): Promise<void>;
}

/** An opened target. */
export interface TargetSession extends TargetHooks {
  database: string;
  /** For humans: version and where (no secrets). */
  label: string;
  readOnly: boolean;
  mix: Record<string, number>;
  features: Feature[];
  findings: FeatureFinding[];
  draws: TargetDraws;
  queries: TargetDatabase['queries'];
  /** Whether pg_stat_statements can be read there, and why not. */
  statementsUnavailable: string | undefined;
  /** The parameter context (for evidence's one draw per scenario). */
  context: ScenarioContext;
  /** What the inspection found, one line each (logged before the run). */
  summary(): string[];
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = newClient({ connectionString: url, application_name: 'ledger-bench target check' });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end().catch(() => undefined);
  }
}

/**
 * Opens the target: connects (PostgreSQL 13+), checks the schema for `mix`'s scenarios
 * (UserError naming everything missing, nothing run), reads its features and its
 * data's ranking. Reads only, in read-only sessions.
 */
export async function openTarget(o: { url: string; mix: Record<string, number>; allowWrites: boolean; zipfTheta?: number }): Promise<TargetSession> {
  const where = '--target';
  const info = await probeServer(o.url, where);
  const database = databaseOf(o.url);
  const inspectUrl = readOnlyUrl(o.url);
  const scenarios = Object.entries(o.mix).filter(([, w]) => w > 0).map(([n]) => n);
  const found = await withClient(inspectUrl, async (c) => {
    const ro = await c.query<{ v: string }>(`SELECT current_setting('default_transaction_read_only') AS v`);
    if (ro.rows[0]?.v !== 'on') {
      throw new UserError(`${where}: the server did not apply the startup option "${READ_ONLY_OPTION}" (a connection pooler?), so sessions would not be read-only; connect to PostgreSQL directly`);
    }
    const problems = await schemaProblems(c, scenarios, `${where} ${database}`);
    if (problems.length) throw new UserError(problems);
    const { features, findings } = await detectFeatures(c);
    const draws = await readTargetDraws(c, { accountTheta: o.zipfTheta ?? DEFAULTS.zipfTheta, rankLimit: DEFAULTS.targetRankLimit, where: `${where} ${database}` });
    const statementsUnavailable = await prepareStatements(c, false);
    return { features, findings, draws, statementsUnavailable };
  });
  const readOnly = !o.allowWrites;
  const url = readOnly ? inspectUrl : o.url;
  const entryTag = `ledger-bench target run ${new Date().toISOString()} ${randomBytes(4).toString('hex')}`;
  const queries = chooseQueries(scenarios, found.features, found.findings);
  const writes = !readOnly && scenarios.some((n) => getScenario(n).kind === 'write');
  let counters = new ZeroRowCounters();
  let writtenBefore = 0;
  const label = `PostgreSQL ${info.version}, database "${database}" at ${redactUrl(o.url)}`;
  const serverEvidence = found.statementsUnavailable ? `no pg_stat_statements evidence: ${found.statementsUnavailable}` : 'pg_stat_statements is installed in the target: statement deltas read (nothing reset)';
  return {
    url,
    database,
    label,
    readOnly,
    mix: o.mix,
    ...found,
    queries,
    context: contextFromDraws(found.draws, found.features, entryTag),
    workload() {
      counters = new ZeroRowCounters();
      return { features: found.features, draws: found.draws, entryTag, zeroRows: counters.buffer };
    },
    async annotate(result) {
      const zeroRows = counters.read().map((z) => ({ ...z, share: z.zeroRows / z.reads }));
      const warnShare = DEFAULTS.targetZeroRowWarnShare;
      const zeroRowWarnings = zeroRows
        .filter((z) => z.share > warnShare)
        .map((z) => `${z.scenario}: ${(z.share * 100).toFixed(0)}% of ${z.reads} reads returned no row (above ${warnShare * 100}%): its parameters do not fit this data, and its latency is that of empty lookups`);
      let written: number | undefined;
      if (writes) {
        // Counted by the tag, in a session of its own: the entries this job wrote, less those of earlier runs.
        // A server gone after a broken run leaves the count unknown, never the run unrecorded.
        const total = await withClient(inspectUrl, async (c) => Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM journal_entries WHERE description = $1`, [entryTag])).rows[0]!.n)).catch(() => undefined);
        if (total === undefined) result.notes = [...(result.notes ?? []), `entries written to the target not counted (server unreachable); find them by description "${entryTag}"`];
        else {
          written = total - writtenBefore;
          writtenBefore = total;
        }
      }
      result.targetDatabase = {
        database,
        readOnly,
        features: found.findings.map((f) => ({ ...f })),
        queries,
        parameters: { asOf: found.draws.asOf, firstDate: found.draws.firstDate, historyDays: found.draws.historyDays, description: describeDraws(found.draws) },
        zeroRows,
        ...(zeroRowWarnings.length ? { zeroRowWarnings } : {}),
        serverEvidence,
        ...(written !== undefined ? { entryTag, entriesWritten: written } : {}),
      };
    },
    summary() {
      return [
        `target: ${label}, ${readOnly ? 'read-only sessions (default_transaction_read_only = on)' : 'WRITES ALLOWED: post-journal-entry inserts entries tagged "' + entryTag + '"'}`,
        `target features: ${found.findings.map((f) => `${f.feature} ${f.present ? 'yes' : 'no'}`).join(', ')}`,
        ...queries.map((q) => `target query: ${q.scenario} runs ${q.query} (${q.why})`),
        ...describeDraws(found.draws).map((l) => `target parameters: ${l}`),
        `target evidence: ${serverEvidence}`,
      ];
    },
  };
}
