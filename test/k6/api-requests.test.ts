/**
 * The k6 scripts' requests against the real API: the API (startApi, as `serve` runs
 * it) on a small seeded database, and the exact requests the k6 scripts would send,
 * made by scenarios/k6's own pure builders (`contextRequest`, `drawContext`,
 * `REQUESTS`, `send`) run under Node, with k6's `http` replaced by a stub that
 * forwards `http.request` to fetch. Not k6: only the scripts' request code, so a path,
 * method or field the API does not accept fails here.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { dropOwnedDatabase, recreateOwnedDatabase } from '../../src/db/ownership.js';
import { buildFixtureBaseline } from '../helpers/fixture.js';
import { serverUrl } from '../helpers/db.js';
import { startApi, type RunningApi } from '../../src/api/server.js';
import { ENDPOINTS as API_ENDPOINTS } from '../../src/api/endpoints.js';
import { REQUEST_BUILDERS } from '../../src/api/requests.js';
import { createRng } from '../../src/random/rng.js';
import { REQUESTS, contextRequest, send, type HttpLike } from '../../scenarios/k6/requests.js';
import { drawContext, type DrawContext, type ScenarioContextBody } from '../../scenarios/k6/draw.js';
import { k6Scenarios } from '../../src/k6/render-scripts.js';

const prefix = `ledger_bench_t_k6api_${randomBytes(3).toString('hex')}`;
/** Draws per scenario: enough that every branch (create and advance, 2 to 5 lines) is taken. */
const DRAWS = 40;
let api: RunningApi;
const serverLog: string[] = [];

interface Answer {
  method: string;
  url: string;
  sent: string | null;
  status: number;
  text: string;
}

/** k6's `http.request`, forwarded to fetch (its answer is a promise, awaited by the test). */
const http: HttpLike<Promise<Answer>> = {
  async request(method, url, body, params) {
    const r = await fetch(url, { method, headers: params.headers, ...(body === null ? {} : { body }) });
    return { method, url, sent: body, status: r.status, text: await r.text() };
  },
};

/** The API route (endpoint name) a method and path hit, from the API's own table. */
function routeOf(method: string, path: string): string {
  const bare = path.split('?')[0]!;
  const hit = API_ENDPOINTS.filter((e) => e.method === method && new RegExp(`^${e.path.replace(/:\w+/g, '[^/]+')}$`).test(bare));
  // Static segments win over parameters (fastify's rule): /accounts/balances is not /accounts/:accountId/...
  hit.sort((a, b) => a.path.split(':').length - b.path.split(':').length);
  return hit[0]?.name ?? `(no route ${method} ${bare})`;
}

describe('k6 requests against the real API', () => {
  let draws: DrawContext;
  before(async () => {
    const url = await recreateOwnedDatabase(serverUrl(), `${prefix}_baseline`, { purpose: 'test' });
    await buildFixtureBaseline({ url, entries: 2000 });
    api = await startApi({ databaseUrl: url, variant: 'baseline', host: '127.0.0.1', port: 0, poolSize: 4, log: (l) => serverLog.push(l) });
    const setup = await send(http, api.url, contextRequest(10_000));
    assert.equal(setup.status, 200, setup.text);
    draws = drawContext(JSON.parse(setup.text) as ScenarioContextBody);
  });
  after(async () => {
    await api?.close();
    await dropOwnedDatabase(serverUrl(), `${prefix}_baseline`);
  });

  test('setup() context is the data set\'s: asOf, existing accounts and users', () => {
    const ctx = api.context.scenarios;
    assert.equal(draws.asOf, ctx.asOf);
    for (let i = 0; i < 50; i++) {
      assert.ok(ctx.userAddresses.includes(draws.pickUser()));
      const a = draws.pickAccount();
      assert.ok(Array.from({ length: ctx.regularAccounts }, (_, k) => ctx.accountForRank(k + 1)).includes(a), `account ${a}`);
    }
  });

  test('every scenario script has a request draw, for exactly the scenarios the API serves', () => {
    assert.deepEqual(Object.keys(REQUESTS).sort(), Object.keys(REQUEST_BUILDERS).sort());
    assert.deepEqual(k6Scenarios().map((s) => s.name).sort(), Object.keys(REQUEST_BUILDERS).sort());
  });

  test(`each scenario's k6 request (${DRAWS} draws) gets a 2xx from the API, on the routes the API's own driver uses`, async () => {
    const failures: string[] = [];
    const used = new Set<string>(['scenario-context']);
    for (const [scenario, draw] of Object.entries(REQUESTS)) {
      const k6Routes = new Set<string>();
      for (let i = 0; i < DRAWS; i++) {
        const req = draw(draws);
        const r = await send(http, api.url, req);
        if (r.status < 200 || r.status >= 300) failures.push(`${scenario}: ${r.method} ${r.url} ${r.sent ?? ''} -> ${r.status} ${r.text}`);
        assert.equal(routeOf(req.method, req.path), req.endpoint, `${scenario}: ${req.method} ${req.path} is the route of ${req.endpoint}`);
        k6Routes.add(req.endpoint);
        used.add(req.endpoint);
      }
      // The same scenario through `ledger-bench http` (src/api/requests.ts, the harness's seeded draws).
      const rng = createRng(7);
      const apiRoutes = new Set<string>();
      for (let i = 0; i < DRAWS; i++) {
        const spec = REQUEST_BUILDERS[scenario]!(rng, api.context.scenarios);
        apiRoutes.add(routeOf(spec.method, spec.path));
      }
      assert.deepEqual([...k6Routes].sort(), [...apiRoutes].sort(), `${scenario}: k6 and ledger-bench http use the same endpoints`);
    }
    assert.deepEqual(failures, [], serverLog.join('\n'));
    assert.deepEqual([...used].sort(), API_ENDPOINTS.map((e) => e.name).filter((n) => n !== 'health').sort(), 'every endpoint but /health is driven by k6');
  });
});
