/**
 * The k6 scripts of scenarios/k6/: generated files are current (so any change of the
 * API's endpoint table or inputs, the scenarios or the budget fails here until
 * `npm run k6:generate` is run, and then `npm run typecheck` checks the scripts
 * against the new API), one script per scenario the API serves, the budget threshold
 * and the arrival-rate executor. test/k6/api-requests.test.ts sends the scripts'
 * requests to the real API.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { k6Scenarios, renderK6Files } from '../../src/k6/render-scripts.js';
import { endpointShapes } from '../../src/k6/render-endpoints.js';
import { ENDPOINTS as API_ENDPOINTS } from '../../src/api/endpoints.js';
import { SCENARIOS } from '../../scenarios/registry.js';
import { DEFAULTS } from '../../src/config/defaults.js';
import { ENDPOINTS, requestOf } from '../../scenarios/k6/endpoints.js';

const dir = new URL('../../scenarios/k6/', import.meta.url);

test('generated k6 files are current (run `npm run k6:generate` after changing the API, scenarios or defaults)', () => {
  for (const [name, text] of Object.entries(renderK6Files())) {
    assert.equal(readFileSync(new URL(name, dir), 'utf8'), text, `scenarios/k6/${name} is stale: run npm run k6:generate`);
  }
});

test('the k6 endpoint table is the API\'s: same names, methods and paths, fields from its inputs', () => {
  assert.deepEqual(
    Object.entries(ENDPOINTS).map(([name, e]) => [name, e.method, e.path]),
    API_ENDPOINTS.map((e) => [e.name, e.method, e.path]),
  );
  const history = endpointShapes().find((e) => e.name === 'balance-history')!;
  assert.deepEqual([history.pathParams, history.query, history.body], [['accountId'], ['from', 'to'], []]);
  const advance = endpointShapes().find((e) => e.name === 'anchor-advance')!;
  assert.deepEqual([advance.pathParams, advance.query, advance.body], [['user'], [], ['outcome']]);
});

test('one script per scenario the API serves, none for others', () => {
  const served = k6Scenarios().map((s) => s.name);
  assert.deepEqual(served, SCENARIOS.map((s) => s.name), 'the API serves every registry scenario');
  const scripts = readdirSync(dir).filter((f) => SCENARIOS.some((s) => `${s.name}.ts` === f)).map((f) => f.replace(/\.ts$/, '')).sort();
  assert.deepEqual(scripts, [...served].sort());
});

test('the budget threshold and the arrival-rate executor come from the project defaults', () => {
  const defaults = readFileSync(new URL('defaults.ts', dir), 'utf8');
  assert.match(defaults, new RegExp(`"budgetMs": ${DEFAULTS.budgetMs}\\b`));
  const params = readFileSync(new URL('params.ts', dir), 'utf8');
  assert.match(params, /executor: 'constant-arrival-rate'/);
  assert.match(params, /\[`http_req_duration\{scenario:\$\{name\}\}`\]: \[`p\(95\)<\$\{BUDGET_MS\}`\]/);
});

test('requestOf fills and encodes path segments, puts query fields in the query and body fields in JSON', () => {
  assert.deepEqual(requestOf('balance-lookup', { accountId: 42 }), { endpoint: 'balance-lookup', method: 'GET', path: '/accounts/42/balance', body: null });
  assert.equal(requestOf('journal-entry-search', { from: '2026-01-01', to: '2026-01-08', source: 'ANCHOR' }).path, '/journal-entries?from=2026-01-01&to=2026-01-08&source=ANCHOR');
  assert.equal(requestOf('recent-entries', {}).path, '/journal-entries/recent');
  assert.equal(requestOf('anchor-obligation-summary', { user: 'a b', soon: '2026-01-01T00:00:00+01:00' }).path, '/anchors/a%20b/obligations?soon=2026-01-01T00%3A00%3A00%2B01%3A00');
  const adv = requestOf('anchor-advance', { user: '0xab', outcome: 'FAILED' });
  assert.deepEqual([adv.method, adv.path, JSON.parse(adv.body!)], ['POST', '/anchors/0xab/advance', { outcome: 'FAILED' }]);
});
