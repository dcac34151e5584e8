/**
 * Server evidence for one run on one variant database, collected outside the timed
 * window: counters before the run, and after it their deltas (pg_stat_statements per
 * scenario statement, idx_scan per index) plus one EXPLAIN (ANALYZE, BUFFERS) of each
 * read scenario's query with one parameter draw. EXPLAIN ANALYZE executes the query,
 * so only read scenarios are explained, inside a transaction that is rolled back.
 */
import type pg from 'pg';
import { newClient } from '../db/client.js';
import { databaseOf } from '../db/connection-url.js';
import { scenarioDrawRng } from '../random/rng.js';
import type { RunEvidence, RunResult, ScenarioEvidence } from '../result/types.js';
import type { Feature } from '../variant-build/types.js';
import { loadScenarioContext, type ScenarioContext } from '../../scenarios/context.js';
import { getScenario, queryFor } from '../../scenarios/registry.js';
import type { ReadQuery, ReadScenario } from '../../scenarios/types.js';
import { summarizePlan, type ExplainJson } from './plan-summary.js';
import { indexDeltas, prepareStatements, snapshotIndexes, snapshotStatements, statementDelta, type IndexCounters, type StatementSnapshot } from './server-counters.js';

/** Options of {@link startEvidence}. */
export interface EvidenceOptions {
  /** The database the run uses. */
  url: string;
  features: readonly Feature[];
  side: 'before' | 'after';
  /** The run's mix: its read scenarios with a positive weight are explained. */
  mix: Record<string, number>;
  /** Seeds the one parameter draw per scenario (the run's seed). */
  seed: number;
  /** May CREATE EXTENSION pg_stat_statements in the database (default true; never on the seeded baseline itself). */
  createExtension?: boolean;
  /** Longest one EXPLAIN ANALYZE may take (default 30 s); a slower one is recorded as planError. */
  explainTimeoutMs?: number;
  /** The run's parameter context (a --target's, drawn from its data); absent: read from the seeded database. */
  context?: ScenarioContext;
}

/** Counters taken before the run; `finish()` after it returns the evidence. */
export interface EvidenceSession {
  finish(): Promise<RunEvidence>;
}

/** How long the index counters may take to settle after the run's connections close. */
const SETTLE_MS = 3000;
const SETTLE_STEP_MS = 250;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Index statistics reach pg_stat_user_indexes when a backend flushes them (at exit,
 * or up to a second late; through the stats collector before 15): read until two
 * readings a step apart agree, for at most SETTLE_MS.
 */
async function settledIndexes(c: pg.Client): Promise<Map<string, IndexCounters>> {
  const total = (m: Map<string, IndexCounters>) => [...m.values()].reduce((a, x) => a + x.scans, 0);
  let last = await snapshotIndexes(c);
  for (let waited = 0; waited < SETTLE_MS; waited += SETTLE_STEP_MS) {
    await sleep(SETTLE_STEP_MS);
    const next = await snapshotIndexes(c);
    const same = total(next) === total(last);
    last = next;
    if (same) break;
  }
  return last;
}

/** The read scenarios of a mix (positive weight), with the query this variant runs. */
function readQueries(o: EvidenceOptions): Array<{ s: ReadScenario<unknown>; q: ReadQuery<unknown> }> {
  const out: Array<{ s: ReadScenario<unknown>; q: ReadQuery<unknown> }> = [];
  for (const [name, weight] of Object.entries(o.mix)) {
    if (!(weight > 0)) continue;
    const s = getScenario(name);
    if (s.kind === 'read') out.push({ s: s as ReadScenario<unknown>, q: queryFor(s as ReadScenario<unknown>, o.features, o.side) });
  }
  return out;
}

/** EXPLAIN (ANALYZE, BUFFERS, VERBOSE, FORMAT JSON) in a rolled-back transaction, with the query id it reports (14+). */
async function explain(c: pg.Client, sql: string, values: unknown[], timeoutMs: number): Promise<{ doc: ExplainJson; queryid: string | undefined }> {
  await c.query('BEGIN');
  try {
    await c.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
    // The plan as raw text: the Query Identifier is a 64-bit integer a JS number would round.
    const r = await c.query<{ 'QUERY PLAN': string }>({
      text: `EXPLAIN (ANALYZE, BUFFERS, VERBOSE, FORMAT JSON) ${sql}`,
      values,
      types: { getTypeParser: () => (v: string) => v },
    });
    const raw = r.rows[0]?.['QUERY PLAN'] ?? '';
    const doc = (JSON.parse(raw || '[]') as ExplainJson[])[0];
    if (!doc?.Plan) throw new Error('EXPLAIN returned no plan');
    return { doc, queryid: /"Query Identifier":\s*(-?\d+)/.exec(raw)?.[1] };
  } finally {
    await c.query('ROLLBACK').catch(() => undefined);
  }
}

/**
 * Takes the "before" counters (creating pg_stat_statements in the database when the
 * server preloads it) and returns the session whose finish() collects the rest.
 */
export async function startEvidence(o: EvidenceOptions): Promise<EvidenceSession> {
  let statementsBefore: StatementSnapshot;
  let indexesBefore: Map<string, IndexCounters>;
  const c = newClient({ connectionString: o.url });
  try {
    await c.connect();
    const why = await prepareStatements(c, o.createExtension ?? true);
    statementsBefore = why ? { ok: false, why } : await snapshotStatements(c);
    indexesBefore = await snapshotIndexes(c);
  } catch (err) {
    // Evidence never stops a run: the failure becomes a note in the result (attachEvidence).
    return { finish: () => Promise.reject(err) };
  } finally {
    await c.end().catch(() => undefined);
  }
  return {
    async finish() {
      const a = newClient({ connectionString: o.url });
      await a.connect();
      try {
        // Counters first: the EXPLAINs below must not count as the run's work.
        const statementsAfter = statementsBefore.ok ? await snapshotStatements(a) : statementsBefore;
        const indexesAfter = await settledIndexes(a);
        const notes: string[] = [];
        const ctx = o.context ?? (await loadScenarioContext(a, o.features));
        const scenarios: ScenarioEvidence[] = [];
        for (const { s, q } of readQueries(o)) {
          const ev: ScenarioEvidence = { scenario: s.name, query: q.label };
          let queryid: string | undefined;
          try {
            const rng = scenarioDrawRng(o.seed, s.name);
            const params = s.params(rng, ctx);
            const explained = await explain(a, q.sql, q.values(params), o.explainTimeoutMs ?? 30_000);
            ev.plan = summarizePlan(explained.doc, params);
            queryid = explained.queryid;
          } catch (err) {
            ev.planError = (err as Error).message;
          }
          if (statementsBefore.ok && statementsAfter.ok) {
            const d = statementDelta(statementsBefore.byId, statementsAfter.byId, { ...(queryid ? { queryid } : {}), sql: q.sql });
            if (d) ev.statement = d;
          }
          scenarios.push(ev);
        }
        const unavailable = !statementsAfter.ok ? statementsAfter.why : undefined;
        if (unavailable) notes.push(`statement counters unavailable: ${unavailable}`);
        return {
          database: databaseOf(o.url),
          collectedAt: new Date().toISOString(),
          statementsAvailable: !unavailable,
          ...(unavailable ? { statementsUnavailable: unavailable } : {}),
          scenarios,
          indexes: indexDeltas(indexesBefore, indexesAfter),
          ...(notes.length ? { notes } : {}),
        };
      } finally {
        await a.end();
      }
    },
  };
}

/**
 * Adds the evidence to a complete run's result. A run that ended early gets none (the
 * server may be gone, or the user wants out); evidence that fails is a note, never a
 * failed run.
 */
export async function attachEvidence(result: RunResult, session: EvidenceSession): Promise<void> {
  if (result.partial) return;
  try {
    result.evidence = await session.finish();
  } catch (err) {
    result.notes = [...(result.notes ?? []), `server evidence not collected: ${(err as Error).message}`];
  }
}
