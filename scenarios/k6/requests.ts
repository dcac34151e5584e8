/**
 * One request per scenario, with parameters drawn like the harness's scenarios
 * (scenarios/*.ts) as far as k6 can: same windows, limits and mixes; accounts
 * Zipf-skewed (see params.ts for what differs).
 */
import http from 'k6/http';
import { check } from 'k6';
import type { Counter } from 'k6/metrics';
import { pathOf, type EndpointName, type PostEntryBody } from './endpoints.ts';
import { AS_OF, addDays, int, measuring, pickAccount } from './params.ts';

/** A request to send: method, path (with query) and JSON body. */
export interface DrawnRequest {
  endpoint: EndpointName;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
}

const SOURCES = ['ANCHOR', 'ORACLE', 'SETTLEMENT', 'SYSTEM', 'MANUAL'];

function get(endpoint: EndpointName, params: Record<string, string | number> = {}, query: Record<string, string | number | undefined> = {}): DrawnRequest {
  return { endpoint, method: 'GET', path: pathOf(endpoint, params, query) };
}

/** Exponential amount in cents, mean 10,000 (as the harness's post-journal-entry), at least 1. */
function cents(): number {
  return 1 + Math.floor(-Math.log(1 - Math.random()) * 10_000);
}

/** A balanced entry of 2-5 lines on Zipf-drawn accounts, dated AS_OF. */
function entryBody(): PostEntryBody {
  const n = 2 + Math.floor(Math.random() * 4);
  const manyDebits = Math.random() < 0.5;
  const lines: PostEntryBody['lines'] = [];
  let total = 0;
  for (let i = 0; i < n - 1; i++) {
    const c = cents();
    total += c;
    lines.push({ account_id: pickAccount(), line_type: manyDebits ? 'DEBIT' : 'CREDIT', amount: (c / 100).toFixed(2) });
  }
  lines.push({ account_id: pickAccount(), line_type: manyDebits ? 'CREDIT' : 'DEBIT', amount: (total / 100).toFixed(2) });
  return { date: AS_OF, source: SOURCES[Math.floor(Math.random() * SOURCES.length)]!, description: 'ledger-bench k6 posting', lines };
}

/** Request draws by scenario name (the names of scenarios/registry.ts). */
export const REQUESTS: Readonly<Record<string, () => DrawnRequest>> = {
  'balance-lookup': () => get('balance', { id: pickAccount() }),
  'journal-entry-search': () => {
    const from = addDays(AS_OF, -int(7, 700));
    return get('journalSearch', {}, { from, to: addDays(from, 7), status: 'Posted', limit: 200 });
  },
  'recent-entries': () => get('recentEntries', {}, { limit: 100 }),
  'balance-history': () => {
    const from = addDays(AS_OF, -int(30, 700));
    return get('balanceHistory', { id: pickAccount() }, { from, to: addDays(from, 30) });
  },
  'anchor-obligation-summary': () => get('obligationsSummary'),
  'post-journal-entry': () => ({ endpoint: 'postEntry', method: 'POST', path: pathOf('postEntry'), body: entryBody() }),
};

/**
 * Sends one request of `scenario` and checks its status (2xx). Failures of the
 * measured scenario are counted in `failed` (0 or 1 per request), so the summary
 * carries the scenario's error count without a threshold that could not fail.
 */
export function sendOne(scenario: string, failed: Counter, baseUrl: string): void {
  const draw = REQUESTS[scenario];
  if (!draw) throw new Error(`no k6 request for scenario "${scenario}"`);
  const r = draw();
  const body = r.body === undefined ? null : JSON.stringify(r.body);
  const res = http.request(r.method, baseUrl + r.path, body, {
    headers: body === null ? {} : { 'Content-Type': 'application/json' },
    tags: { endpoint: r.endpoint },
  });
  const ok = check(res, { 'status is 2xx': (x) => x.status >= 200 && x.status < 300 });
  if (measuring()) failed.add(ok ? 0 : 1);
}
