/**
 * The k6 scripts of scenarios/k6/: generated files are current, every registry
 * scenario is either driven over HTTP or explicitly not, and the scripts use only
 * the agreed endpoints. (`npm run typecheck` type-checks them against @types/k6.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { K6_EXPOSURE, renderK6Files } from '../../src/k6/render-scripts.js';
import { SCENARIOS } from '../../scenarios/registry.js';
import { DEFAULTS } from '../../src/config/defaults.js';
import { ENDPOINTS, pathOf } from '../../scenarios/k6/endpoints.js';

const dir = new URL('../../scenarios/k6/', import.meta.url);

test('generated k6 files are current (run `npm run k6:generate` after changing scenarios or defaults)', () => {
  for (const [name, text] of Object.entries(renderK6Files())) {
    assert.equal(readFileSync(new URL(name, dir), 'utf8'), text, `scenarios/k6/${name} is stale`);
  }
});

test('every scenario has a k6 script or a stated reason, and a request draw exactly when it has a script', () => {
  assert.deepEqual(Object.keys(K6_EXPOSURE).sort(), SCENARIOS.map((s) => s.name).sort());
  const exposed = Object.entries(K6_EXPOSURE).filter(([, v]) => 'endpoint' in v).map(([k]) => k).sort();
  const requests = readFileSync(new URL('requests.ts', dir), 'utf8');
  const drawn = [...requests.matchAll(/^  '([a-z-]+)': \(\) =>/gm)].map((m) => m[1]).sort();
  assert.deepEqual(drawn, exposed);
  const scripts = readdirSync(dir).filter((f) => SCENARIOS.some((s) => `${s.name}.ts` === f)).map((f) => f.replace(/\.ts$/, '')).sort();
  assert.deepEqual(scripts, exposed);
  for (const [name, how] of Object.entries(K6_EXPOSURE)) {
    if ('endpoint' in how) assert.ok(how.endpoint in ENDPOINTS, `${name}: unknown endpoint ${how.endpoint}`);
  }
});

test('the budget threshold and the arrival-rate executor come from the project defaults', () => {
  const defaults = readFileSync(new URL('defaults.ts', dir), 'utf8');
  assert.match(defaults, new RegExp(`"budgetMs": ${DEFAULTS.budgetMs}\\b`));
  const params = readFileSync(new URL('params.ts', dir), 'utf8');
  assert.match(params, /executor: 'constant-arrival-rate'/);
  assert.match(params, /\[`http_req_duration\{scenario:\$\{name\}\}`\]: \[`p\(95\)<\$\{BUDGET_MS\}`\]/);
});

test('pathOf fills segments, encodes values and rejects undeclared query parameters', () => {
  assert.equal(pathOf('balance', { id: 42 }), '/accounts/42/balance');
  assert.equal(pathOf('journalSearch', {}, { from: '2026-01-01', to: undefined, status: 'Posted', limit: 200 }), '/journal-entries?from=2026-01-01&status=Posted&limit=200');
  assert.equal(pathOf('anchorTransition', { id: 'a b' }), '/anchors/a%20b/transitions');
  assert.throws(() => pathOf('balance'), /no value for :id/);
  assert.throws(() => pathOf('recentEntries', {}, { from: 'x' }), /takes no query parameter "from"/);
});
