/**
 * The HTTP API the k6 scripts (and docker-compose's k6 service) drive: every path in
 * ONE place, so it can be reconciled with `ledger-bench serve` (src/api) at a glance.
 *
 * Plain TypeScript with no imports: k6 loads it at run time, and Node-side code
 * (tests, the script generator) may read it too.
 */

/** One endpoint: method and path template (`:name` segments are filled by {@link pathOf}). */
export interface Endpoint {
  method: 'GET' | 'POST';
  path: string;
  /** Query parameters the endpoint accepts (all optional). */
  query?: readonly string[];
}

/** The agreed endpoints of `ledger-bench serve`. */
export const ENDPOINTS = {
  health: { method: 'GET', path: '/health' },
  balance: { method: 'GET', path: '/accounts/:id/balance' },
  journalSearch: { method: 'GET', path: '/journal-entries', query: ['account_id', 'from', 'to', 'status', 'limit'] },
  recentEntries: { method: 'GET', path: '/journal-entries/recent', query: ['limit'] },
  balanceHistory: { method: 'GET', path: '/accounts/:id/balance-history', query: ['from', 'to'] },
  obligationsSummary: { method: 'GET', path: '/anchors/obligations/summary' },
  postEntry: { method: 'POST', path: '/journal-entries' },
  anchorTransition: { method: 'POST', path: '/anchors/:id/transitions' },
} as const satisfies Record<string, Endpoint>;

/** An endpoint's name. */
export type EndpointName = keyof typeof ENDPOINTS;

/** One line of the `POST /journal-entries` body (amount in major units, two decimals, as text). */
export interface PostEntryLine {
  account_id: number;
  line_type: 'DEBIT' | 'CREDIT';
  amount: string;
}

/** Body of `POST /journal-entries`: one balanced entry. */
export interface PostEntryBody {
  date: string;
  source: string;
  description: string;
  lines: PostEntryLine[];
}

/** Body of `POST /anchors/:id/transitions`. */
export interface AnchorTransitionBody {
  to: string;
}

/**
 * The path of `name` with its `:segments` replaced by `params` and the given query
 * parameters appended (undefined ones left out). Throws on a missing segment or an
 * undeclared query parameter, so a typo fails the first iteration, not silently.
 */
export function pathOf(name: EndpointName, params: Record<string, string | number> = {}, query: Record<string, string | number | undefined> = {}): string {
  const e: Endpoint = ENDPOINTS[name];
  const path = e.path.replace(/:([a-z_]+)/g, (_, key: string) => {
    const v = params[key];
    if (v === undefined) throw new Error(`${e.path}: no value for :${key}`);
    return encodeURIComponent(String(v));
  });
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    if (!(e.query ?? []).includes(k)) throw new Error(`${e.path} takes no query parameter "${k}"`);
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  }
  return parts.length ? `${path}?${parts.join('&')}` : path;
}
