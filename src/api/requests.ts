/**
 * The HTTP side of each scenario for the load driver: the scenario's own parameter
 * draw (same RNG stream, same order as the engine's) turned into the request of the
 * endpoint that runs the same SQL. So `ledger-bench http` and `ledger-bench run`
 * send the same parameters for the same seed and slot.
 */
import { drawAnchorStep } from '../../scenarios/anchor-lifecycle.js';
import type { ScenarioContext } from '../../scenarios/context.js';
import { drawPosting } from '../../scenarios/post-journal-entry.js';
import { getScenario } from '../../scenarios/registry.js';
import type { ReadScenario } from '../../scenarios/types.js';
import { UserError } from '../errors.js';
import type { Rng } from '../workload/types.js';

/** One request as autocannon takes it. */
export interface HttpRequestSpec {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

type Builder = (rng: Rng, ctx: ScenarioContext) => HttpRequestSpec;

const get = (path: string, query: Record<string, string | undefined> = {}): HttpRequestSpec => {
  const q = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined)).toString();
  return { method: 'GET', path: q ? `${path}?${q}` : path };
};

const post = (path: string, body: unknown): HttpRequestSpec => ({
  method: 'POST',
  path,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json' },
});

/** The read scenario's own draw, typed by the caller. */
function params<P>(name: string, rng: Rng, ctx: ScenarioContext): P {
  return (getScenario(name) as ReadScenario<P>).params(rng, ctx);
}

/** Scenario name -> request builder, for every scenario the API serves. */
export const REQUEST_BUILDERS: Readonly<Record<string, Builder>> = {
  'balance-lookup': (rng, ctx) => get(`/accounts/${params<{ accountId: number }>('balance-lookup', rng, ctx).accountId}/balance`),
  'journal-entry-search': (rng, ctx) => get('/journal-entries', params<{ from: string; to: string; source: string }>('journal-entry-search', rng, ctx)),
  'recent-entries': (rng, ctx) => get('/journal-entries/recent', params<{ asOf: string }>('recent-entries', rng, ctx)),
  'balance-history': (rng, ctx) => {
    const p = params<{ accountId: number; from: string; to: string }>('balance-history', rng, ctx);
    return get(`/accounts/${p.accountId}/balance-history`, { from: p.from, to: p.to });
  },
  'anchor-obligation-summary': (rng, ctx) => {
    const p = params<{ user: string; soon: string }>('anchor-obligation-summary', rng, ctx);
    return get(`/anchors/${p.user}/obligations`, { soon: p.soon });
  },
  'all-account-balances': () => get('/accounts/balances'),
  'post-journal-entry': (rng, ctx) => {
    const p = drawPosting(rng, ctx);
    const lines = p.lines.accounts.map((accountId, i) => ({ accountId, type: p.lines.types[i], amount: p.lines.amounts[i] }));
    return post('/journal-entries', { source: p.source, lines });
  },
  'anchor-lifecycle': (rng, ctx) => {
    const s = drawAnchorStep(rng, ctx);
    return s.action === 'create'
      ? post('/anchors/authorizations', { user: s.user, type: s.type, amount: s.amount, expiresAt: s.expires })
      : post(`/anchors/${s.user}/advance`, { outcome: s.outcome });
  },
};

/** The builder of `scenario`, or a UserError naming those the API serves. */
export function requestBuilder(scenario: string): Builder {
  const b = REQUEST_BUILDERS[scenario];
  if (!b) throw new UserError(`scenario "${scenario}" has no HTTP endpoint; the API serves ${Object.keys(REQUEST_BUILDERS).join(', ')}`);
  return b;
}
