/**
 * The endpoint table of the ledger API. Each read endpoint runs its scenario's own
 * query (`queryFor`: the variant's after-query, or the baseline's before-query) with
 * the parameters taken from the request instead of drawn from the RNG; the writes
 * run the scenarios' `postEntry` / `runAnchorStep`. No SQL is restated here except
 * the account existence check behind a 404 (only run when an answer is empty).
 */
import { z } from 'zod';
import { runAnchorStep } from '../../scenarios/anchor-lifecycle.js';
import { USER_THETA, addDays } from '../../scenarios/context.js';
import { postEntry } from '../../scenarios/post-journal-entry.js';
import { getScenario, queryFor } from '../../scenarios/registry.js';
import type { ReadScenario, Row } from '../../scenarios/types.js';
import type { ApiContext } from './api-context.js';
import { poolConn, withConn, withRetries } from './api-context.js';
import { HttpError } from './http-error.js';
import * as I from './inputs.js';

/** One route: where it listens, what it accepts, what it runs. */
export interface Endpoint<P = any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Scenario the endpoint serves (or a name of its own), also the result's transaction name. */
  name: string;
  method: 'GET' | 'POST';
  /** Fastify route path (`:name` segments). */
  path: string;
  /** Validates path params, query string and body merged into one object. */
  input: z.ZodType<P>;
  handle(p: P, api: ApiContext): Promise<{ status?: number; body: unknown }>;
}

/** Tries for write transactions that hit 40001 / 40P01 (the engine's default). */
const WRITE_TRIES = 5;

/** Runs read scenario `name` with `params`: its SQL, its binding, its prepared-statement name. */
export async function runRead(api: ApiContext, name: string, params: unknown): Promise<Row[]> {
  const s = getScenario(name) as ReadScenario<unknown>;
  const q = queryFor(s, api.scenarios.features, api.side);
  const r = await api.pool.query({ name: `${name}:${q.label}`, text: q.sql, values: q.values(params) });
  return r.rows as Row[];
}

async function requireAccount(api: ApiContext, id: number): Promise<void> {
  const r = await api.pool.query({ name: 'api:account-exists', text: 'SELECT 1 FROM accounts WHERE id = $1', values: [id] });
  if (r.rowCount === 0) throw new HttpError(404, `unknown account ${id}`);
}

const def = <P>(e: Endpoint<P>): Endpoint<P> => e;

/** Every endpoint, in the order `--help` and docs/http.md list them. */
export const ENDPOINTS: readonly Endpoint[] = [
  def({
    name: 'health',
    method: 'GET',
    path: '/health',
    input: z.object({}),
    async handle(_p, api) {
      await api.pool.query('SELECT 1');
      return { body: { ok: true, variant: api.variant, database: api.database, side: api.side, asOf: api.scenarios.asOf } };
    },
  }),
  def({
    // What a load generator outside this process (k6) needs to draw what the scenarios draw:
    // asOf, the seeder's hottest accounts and users first, and the skews to draw them with.
    name: 'scenario-context',
    method: 'GET',
    path: '/scenario-context',
    input: I.scenarioContextInput,
    async handle(p, api) {
      const s = api.scenarios;
      const ranks = Math.min(p.limit, s.regularAccounts);
      return {
        body: {
          asOf: s.asOf,
          accounts: { count: s.regularAccounts, theta: s.zipfTheta, byRank: Array.from({ length: ranks }, (_, i) => s.accountForRank(i + 1)) },
          users: { count: s.userAddresses.length, theta: USER_THETA, byRank: s.userAddresses.slice(0, p.limit) },
        },
      };
    },
  }),
  def({
    name: 'balance-lookup',
    method: 'GET',
    path: '/accounts/:accountId/balance',
    input: I.balanceInput,
    async handle(p, api) {
      const rows = await runRead(api, 'balance-lookup', p);
      const balance = (rows[0]?.current_balance as string | undefined) ?? '0';
      // No row / 0 is also the answer for an account without posted lines: tell it from an unknown one.
      if (Number(balance) === 0) await requireAccount(api, p.accountId);
      return { body: { accountId: p.accountId, balance } };
    },
  }),
  def({
    name: 'journal-entry-search',
    method: 'GET',
    path: '/journal-entries',
    input: I.journalSearchInput,
    async handle(p, api) {
      return { body: { entries: await runRead(api, 'journal-entry-search', p) } };
    },
  }),
  def({
    name: 'recent-entries',
    method: 'GET',
    path: '/journal-entries/recent',
    input: I.recentInput,
    async handle(p, api) {
      return { body: { entries: await runRead(api, 'recent-entries', { asOf: p.asOf ?? api.scenarios.asOf }) } };
    },
  }),
  def({
    name: 'balance-history',
    method: 'GET',
    path: '/accounts/:accountId/balance-history',
    input: I.balanceHistoryInput,
    async handle(p, api) {
      const rows = await runRead(api, 'balance-history', p);
      if (rows.length === 0) await requireAccount(api, p.accountId);
      return { body: { accountId: p.accountId, lines: rows } };
    },
  }),
  def({
    name: 'anchor-obligation-summary',
    method: 'GET',
    path: '/anchors/:user/obligations',
    input: I.obligationsInput,
    async handle(p, api) {
      const soon = p.soon ?? addDays(api.scenarios.asOf, 2) + 'T00:00:00Z';
      return { body: { user: p.user, obligations: await runRead(api, 'anchor-obligation-summary', { user: p.user, soon }) } };
    },
  }),
  def({
    name: 'all-account-balances',
    method: 'GET',
    path: '/accounts/balances',
    input: z.object({}),
    async handle(_p, api) {
      return { body: { accounts: await runRead(api, 'all-account-balances', {}) } };
    },
  }),
  def({
    name: 'post-journal-entry',
    method: 'POST',
    path: '/journal-entries',
    input: I.postEntryInput,
    async handle(p, api) {
      // Lines in account-id order, as the scenario draws them: same lock order, no deadlocks between postings.
      const lines = [...p.lines].sort((a, b) => a.accountId - b.accountId);
      const params = {
        source: p.source,
        lines: { accounts: lines.map((l) => l.accountId), types: lines.map((l) => l.type), amounts: lines.map((l) => l.amount) },
      };
      try {
        const id = await withRetries(WRITE_TRIES, () => withConn(api.pool, (conn) => postEntry(conn, params, api.scenarios)));
        return { status: 201, body: { id, date: api.scenarios.asOf } };
      } catch (err) {
        if ((err as { code?: string }).code === '23503') throw new HttpError(404, 'unknown account in lines', { detail: (err as { detail?: string }).detail });
        throw err;
      }
    },
  }),
  def({
    name: 'anchor-create',
    method: 'POST',
    path: '/anchors/authorizations',
    input: I.createAuthorizationInput,
    async handle(p, api) {
      await withRetries(WRITE_TRIES, () =>
        runAnchorStep(poolConn(api.pool), { action: 'create', user: p.user, type: p.type, amount: p.amount, expires: p.expiresAt }),
      );
      return { status: 201, body: { user: p.user, status: 'AUTHORIZED' } };
    },
  }),
  def({
    name: 'anchor-advance',
    method: 'POST',
    path: '/anchors/:user/advance',
    input: I.advanceInput,
    async handle(p, api) {
      const row = await withRetries(WRITE_TRIES, () => runAnchorStep(poolConn(api.pool), { action: 'advance', user: p.user, outcome: p.outcome }));
      // Nothing active (or a concurrent advance won the row): not an error, nothing moved.
      return { body: { user: p.user, advanced: row ?? null } };
    },
  }),
];
