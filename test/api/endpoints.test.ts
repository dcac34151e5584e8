/**
 * The ledger API against a real database: one request per endpoint, bad parameters
 * rejected with 400 JSON (every problem listed, never a stack), unknown accounts and
 * routes 404, and a real failure a generic 500 that the server logs.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { dropOwnedDatabase, recreateOwnedDatabase } from '../../src/db/ownership.js';
import { buildFixtureBaseline } from '../helpers/fixture.js';
import { startApi, type RunningApi } from '../../src/api/server.js';
import { serverUrl } from '../helpers/db.js';
import { hasStackTrace } from '../helpers/cli.js';

const prefix = `ledger_bench_t_api_${randomBytes(3).toString('hex')}`;
let api: RunningApi;
let dbUrl = '';
const serverLog: string[] = [];
let account = 0;
let user = '';

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any; text: string }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const r = await fetch(api.url + path, {
    method,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await r.text();
  assert.match(r.headers.get('content-type') ?? '', /application\/json/, `${method} ${path}: ${text}`);
  return { status: r.status, json: JSON.parse(text), text };
}

describe('ledger API', () => {
  before(async () => {
    dbUrl = await recreateOwnedDatabase(serverUrl(), `${prefix}_baseline`, { purpose: 'test' });
    await buildFixtureBaseline({ url: dbUrl, entries: 2000 });
    api = await startApi({ databaseUrl: dbUrl, variant: 'baseline', host: '127.0.0.1', port: 0, poolSize: 4, log: (l) => serverLog.push(l) });
    const c = new pg.Client({ connectionString: dbUrl });
    await c.connect();
    try {
      account = (await c.query(`SELECT account_id FROM account_balances WHERE current_balance <> 0 ORDER BY account_id LIMIT 1`)).rows[0].account_id;
      user = (await c.query(`SELECT user_address FROM anchor_authorizations WHERE status = 'AUTHORIZED' ORDER BY id LIMIT 1`)).rows[0].user_address;
    } finally {
      await c.end();
    }
  });
  after(async () => {
    await api?.close();
    await dropOwnedDatabase(serverUrl(), `${prefix}_baseline`);
  });

  test('health names the variant, its database and the SQL side it serves', async () => {
    const r = await call('GET', '/health');
    assert.equal(r.status, 200);
    assert.deepEqual({ ...r.json, asOf: undefined }, { ok: true, variant: 'baseline', database: `${prefix}_baseline`, side: 'before', asOf: undefined });
  });

  test('scenario context: asOf, the hottest accounts and users first (the scenarios\' own context), limited by ?limit', async () => {
    const ctx = api.context.scenarios;
    const r = await call('GET', '/scenario-context?limit=5');
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, {
      asOf: ctx.asOf,
      accounts: { count: ctx.regularAccounts, theta: ctx.zipfTheta, byRank: [1, 2, 3, 4, 5].map((k) => ctx.accountForRank(k)) },
      users: { count: ctx.userAddresses.length, theta: 0.9, byRank: ctx.userAddresses.slice(0, 5) },
    });
    const c = new pg.Client({ connectionString: dbUrl });
    await c.connect();
    try {
      // The hottest user of the answer is the one with the most authorizations in the data.
      const top = (await c.query(`SELECT user_address FROM anchor_authorizations GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`)).rows[0].user_address;
      assert.equal(r.json.users.byRank[0], top);
      const n = Number((await c.query(`SELECT count(*) AS n FROM accounts WHERE id = ANY($1::int[])`, [r.json.accounts.byRank])).rows[0].n);
      assert.equal(n, 5, 'every ranked account exists');
    } finally {
      await c.end();
    }
    const all = await call('GET', '/scenario-context');
    assert.equal(all.json.accounts.byRank.length, Math.min(10_000, ctx.regularAccounts));
    const bad = await call('GET', '/scenario-context?limit=0');
    assert.equal(bad.status, 400);
    assert.equal(bad.json.details[0].path, 'limit');
  });

  test('account balance: the trigger-maintained balance; unknown account 404', async () => {
    const r = await call('GET', `/accounts/${account}/balance`);
    assert.equal(r.status, 200);
    const c = new pg.Client({ connectionString: dbUrl });
    await c.connect();
    const expected = (await c.query('SELECT current_balance FROM account_balances WHERE account_id = $1', [account])).rows[0].current_balance;
    await c.end();
    assert.deepEqual(r.json, { accountId: account, balance: expected });
    const missing = await call('GET', '/accounts/2000000000/balance');
    assert.equal(missing.status, 404);
    assert.match(missing.json.error, /unknown account 2000000000/);
  });

  test('journal search, recent entries, balance history, all balances, obligations answer with rows', async () => {
    const asOf = (await call('GET', '/health')).json.asOf as string;
    const search = await call('GET', `/journal-entries?from=2020-01-01&to=2020-12-31&source=ANCHOR`);
    assert.equal(search.status, 200);
    assert.ok(Array.isArray(search.json.entries));
    const recent = await call('GET', '/journal-entries/recent');
    assert.equal(recent.status, 200);
    assert.ok(recent.json.entries.length > 0 && recent.json.entries.length <= 100);
    const from = new Date(Date.parse(asOf) - 300 * 86_400_000).toISOString().slice(0, 10);
    const history = await call('GET', `/accounts/${account}/balance-history?from=${from}&to=${asOf}`);
    assert.equal(history.status, 200);
    assert.ok(history.json.lines.length > 0, 'an active account has lines in 300 days');
    assert.ok('running_balance' in history.json.lines[0]);
    const all = await call('GET', '/accounts/balances');
    assert.equal(all.status, 200);
    assert.ok(all.json.accounts.some((a: { id: number }) => a.id === account));
    const ob = await call('GET', `/anchors/${user}/obligations`);
    assert.equal(ob.status, 200);
    assert.ok(ob.json.obligations.some((o: { status: string }) => o.status === 'AUTHORIZED'));
  });

  test('posting an entry writes a balanced entry and moves the balance', async () => {
    const before = (await call('GET', `/accounts/${account}/balance`)).json.balance as string;
    const other = account === 1 ? 2 : 1;
    const r = await call('POST', '/journal-entries', {
      source: 'MANUAL',
      lines: [
        { accountId: account, type: 'DEBIT', amount: '12.3400' },
        { accountId: other, type: 'CREDIT', amount: 12.34 },
      ],
    });
    assert.equal(r.status, 201, r.text);
    assert.match(r.json.id, /^[0-9a-f-]{36}$/);
    const afterBalance = (await call('GET', `/accounts/${account}/balance`)).json.balance as string;
    assert.equal(Math.round((Number(afterBalance) - Number(before)) * 100), 1234);
  });

  test('anchor transitions: create AUTHORIZED, advance to PENDING', async () => {
    const fresh = '0x' + randomBytes(20).toString('hex');
    const created = await call('POST', '/anchors/authorizations', { user: fresh, type: 'FUEL', amount: '5.00', expiresAt: '2030-01-01T00:00:00Z' });
    assert.equal(created.status, 201, created.text);
    const adv = await call('POST', `/anchors/${fresh}/advance`, { outcome: 'FULFILLED' });
    assert.equal(adv.status, 200);
    assert.equal(adv.json.advanced.status, 'PENDING');
    const ob = await call('GET', `/anchors/${fresh}/obligations`);
    assert.deepEqual(ob.json.obligations.map((o: { status: string; authorizations: string }) => [o.status, o.authorizations]), [['PENDING', '1']]);
    assert.equal((await call('POST', `/anchors/${fresh}/advance`, { outcome: 'EXPIRED' })).json.advanced.status, 'EXPIRED');
    assert.equal((await call('POST', `/anchors/${fresh}/advance`, { outcome: 'EXPIRED' })).json.advanced, null, 'nothing left to advance');
  });

  test('bad parameters: 400 JSON listing every problem, no stack, nothing written', async () => {
    const cases: [string, string, unknown, string[]][] = [
      ['GET', '/accounts/abc/balance', undefined, ['accountId']],
      ['GET', '/accounts/0/balance', undefined, ['accountId']],
      ['GET', '/journal-entries?from=2025-02-30&to=2025-01-01&source=NOPE', undefined, ['from', 'source']],
      ['GET', '/journal-entries?from=2025-02-01&to=2025-01-01&source=ANCHOR', undefined, ['to']],
      ['GET', '/journal-entries/recent?asOf=yesterday', undefined, ['asOf']],
      ['GET', `/accounts/${account}/balance-history?from=2020-01-01&to=2024-01-01`, undefined, ['to']],
      ['GET', '/anchors/0xABC/obligations?soon=tomorrow', undefined, ['user', 'soon']],
      ['POST', '/journal-entries', { source: 'MANUAL', lines: [{ accountId: account, type: 'DEBIT', amount: '1' }, { accountId: 1, type: 'CREDIT', amount: '2' }] }, ['lines']],
      ['POST', '/journal-entries', { source: 'X', lines: [{ accountId: -1, type: 'UP', amount: '1.23456' }] }, ['source', 'lines.0.accountId', 'lines.0.type', 'lines.0.amount', 'lines']],
      ['POST', '/anchors/authorizations', { user, type: 'BOAT', amount: 0, expiresAt: 'soon' }, ['type', 'amount', 'expiresAt']],
      ['POST', `/anchors/${user}/advance`, { outcome: 'DONE' }, ['outcome']],
    ];
    const c = new pg.Client({ connectionString: dbUrl });
    await c.connect();
    const count = async () => (await c.query(`SELECT (SELECT count(*) FROM journal_entries) + (SELECT count(*) FROM anchor_authorizations) AS n`)).rows[0].n;
    const rowsBefore = await count();
    for (const [method, path, body, paths] of cases) {
      const r = await call(method, path, body);
      assert.equal(r.status, 400, `${method} ${path}: ${r.text}`);
      assert.match(r.json.error, /invalid parameters/);
      assert.deepEqual([...new Set(r.json.details.map((d: { path: string }) => d.path))].sort(), [...paths].sort(), `${method} ${path}: ${r.text}`);
      assert.ok(!hasStackTrace(r.text));
    }
    const malformed = await call('POST', '/journal-entries', '{"source":');
    assert.equal(malformed.status, 400);
    const unknownAccount = await call('POST', '/journal-entries', {
      source: 'MANUAL',
      lines: [{ accountId: 1, type: 'DEBIT', amount: '1' }, { accountId: 1999999999, type: 'CREDIT', amount: '1' }],
    });
    assert.equal(unknownAccount.status, 404);
    assert.equal(await count(), rowsBefore, 'rejected requests wrote nothing');
    await c.end();
    const route = await call('GET', '/nowhere');
    assert.equal(route.status, 404);
    assert.ok(route.json.details.routes.includes('GET /accounts/:accountId/balance'));
  });

  test('a real failure is a generic 500 JSON, logged by the server with its cause', async () => {
    const log: string[] = [];
    const broken = await startApi({ databaseUrl: dbUrl, variant: 'baseline', host: '127.0.0.1', port: 0, poolSize: 1, log: (l) => log.push(l) });
    try {
      // The table the endpoint reads is gone: a server-side failure, not the client's fault.
      const admin = new pg.Client({ connectionString: dbUrl });
      await admin.connect();
      await admin.query('ALTER TABLE account_balances RENAME TO account_balances_gone');
      try {
        const r = await fetch(`${broken.url}/accounts/${account}/balance`);
        const text = await r.text();
        assert.equal(r.status, 500);
        assert.deepEqual(JSON.parse(text), { error: 'internal error (logged by the server)' });
        assert.ok(!hasStackTrace(text));
        assert.ok(log.some((l) => /42P01/.test(l) && /account_balances/.test(l)), log.join('\n'));
      } finally {
        await admin.query('ALTER TABLE account_balances_gone RENAME TO account_balances');
        await admin.end();
      }
    } finally {
      await broken.close();
    }
  });
});
