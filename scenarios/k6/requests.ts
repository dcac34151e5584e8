/**
 * One request per scenario, drawn like the harness's scenarios (scenarios/*.ts): the
 * same windows, weights, line counts, amounts and lifecycle steps, over the seeder's
 * hot accounts and users (./draw.ts), sent to the endpoint src/api/requests.ts uses
 * for the scenario. Every path and field name comes from the generated ./endpoints.ts
 * (the API's own table), so a request the API would not accept does not type-check.
 *
 * Pure: no k6 import at run time (`send` takes k6's `http` as an argument), so Node
 * tests run these exact builders against the real API.
 */
import { ANCHOR_TYPES, OUTCOMES, SOURCES, requestOf, type ApiRequest } from './endpoints.ts';
import { addDays, exponential, int, type DrawContext } from './draw.ts';

/** journal-entry-search's source weights (scenarios/journal-entry-search.ts), in SOURCES order. */
const SEARCH_SOURCE_WEIGHTS = [0.45, 0.25, 0.15, 0.1, 0.05];

function weightedSource(c: DrawContext): (typeof SOURCES)[number] {
  let u = c.random();
  for (let i = 0; i < SOURCES.length; i++) {
    u -= SEARCH_SOURCE_WEIGHTS[i]!;
    if (u < 0) return SOURCES[i]!;
  }
  return SOURCES[0];
}

/** A balanced posting of 2-5 lines: n-1 lines one way, their sum the other (scenarios/post-journal-entry.ts). */
function posting(c: DrawContext): ApiRequest {
  const source = SOURCES[Math.floor(c.random() * SOURCES.length)]!;
  const n = 2 + Math.floor(c.random() * 4);
  const manyDebits = c.random() < 0.5;
  const lines: Array<{ accountId: number; type: 'DEBIT' | 'CREDIT'; amount: string }> = [];
  let total = 0;
  for (let i = 0; i < n - 1; i++) {
    const cents = 1 + Math.floor(exponential(c, 10_000));
    total += cents;
    lines.push({ accountId: c.pickAccount(), type: manyDebits ? 'DEBIT' : 'CREDIT', amount: (cents / 100).toFixed(2) });
  }
  lines.push({ accountId: c.pickAccount(), type: manyDebits ? 'CREDIT' : 'DEBIT', amount: (total / 100).toFixed(2) });
  return requestOf('post-journal-entry', { source, lines });
}

/** One lifecycle step (scenarios/anchor-lifecycle.ts): create (1/3) or advance the user's oldest-expiring active authorization (2/3). */
function anchorStep(c: DrawContext): ApiRequest {
  const user = c.pickUser();
  if (c.random() < 1 / 3) {
    const type = ANCHOR_TYPES[Math.floor(c.random() * ANCHOR_TYPES.length)]!;
    const amount = (1 + exponential(c, 5_000) / 100).toFixed(2);
    const expiresAt = `${addDays(c.asOf, 1 + int(c, 0, 6))}T${String(int(c, 0, 23)).padStart(2, '0')}:00:00Z`;
    return requestOf('anchor-create', { user, type, amount, expiresAt });
  }
  const u = c.random();
  return requestOf('anchor-advance', { user, outcome: u < 0.8 ? OUTCOMES[0] : u < 0.9 ? OUTCOMES[1] : OUTCOMES[2] });
}

/** Request draws by scenario name (the names of scenarios/registry.ts the API serves). */
export const REQUESTS: Readonly<Record<string, (c: DrawContext) => ApiRequest>> = {
  'balance-lookup': (c) => requestOf('balance-lookup', { accountId: c.pickAccount() }),
  'journal-entry-search': (c) => {
    const from = addDays(c.asOf, -int(c, 7, 700));
    return requestOf('journal-entry-search', { from, to: addDays(from, 7), source: weightedSource(c) });
  },
  'recent-entries': (c) => requestOf('recent-entries', { asOf: c.asOf }),
  'balance-history': (c) => {
    const from = addDays(c.asOf, -int(c, 30, 700));
    return requestOf('balance-history', { accountId: c.pickAccount(), from, to: addDays(from, 30) });
  },
  'anchor-obligation-summary': (c) => requestOf('anchor-obligation-summary', { user: c.pickUser(), soon: addDays(c.asOf, 2) + 'T00:00:00Z' }),
  'all-account-balances': () => requestOf('all-account-balances', {}),
  'post-journal-entry': posting,
  'anchor-lifecycle': anchorStep,
};

/** The request of `setup()`: the data set's context, at most `limit` accounts and users. */
export function contextRequest(limit: number): ApiRequest {
  return requestOf('scenario-context', { limit });
}

/** The part of k6's `http` module `send` uses (k6's own object at run time; a stub in Node tests). */
export interface HttpLike<R> {
  request(method: string, url: string, body: string | null, params: { headers: Record<string, string>; tags: Record<string, string> }): R;
}

/** Sends `r` to `baseUrl` with `http.request`, tagged with its endpoint; returns http's response. */
export function send<R>(http: HttpLike<R>, baseUrl: string, r: ApiRequest): R {
  return http.request(r.method, baseUrl + r.path, r.body, {
    headers: r.body === null ? {} : { 'Content-Type': 'application/json' },
    tags: { endpoint: r.endpoint },
  });
}
