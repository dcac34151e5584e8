/**
 * The seeder generates on a worker thread (seed/generator-thread.ts): the COPY text it
 * hands over, chunk by chunk, must be byte for byte what the generator makes in
 * process, account_balances included, and a failure in the thread must surface as an
 * error, not a hang.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { generateOnThread, type GeneratorJob } from '../seed/generator-thread.js';
import { GENERATED_TABLES, LedgerGenerator, balanceRows, type GeneratedTable } from '../seed/ledger-generator.js';
import { createCalendar } from '../seed/calendar.js';
import { buildValuePools } from '../seed/value-pools.js';
import { accountRows, SYSTEM_ACCOUNTS } from '../seed/accounts.js';

const ASOF = '2026-10-31';

function job(seed: number, entries: number): GeneratorJob {
  const cal = createCalendar(ASOF);
  const created = [''];
  for (const row of accountRows(200, seed, buildValuePools(seed), cal).split('\n')) if (row) created.push(row.slice(row.lastIndexOf('\t') + 1));
  assert.equal(created.length, SYSTEM_ACCOUNTS.length + 200 + 1);
  return { seed, entries, accounts: 200, userAddresses: 300, zipfTheta: 0.99, scatterKey: 12345, asOf: ASOF, chunkEntries: 500, accountCreatedTs: created };
}

test('the generator thread hands over the same bytes, in order, as the in-process generator', async () => {
  const j = job(7, 3000);
  const hashes = Object.fromEntries(GENERATED_TABLES.map((t) => [t, createHash('sha256')])) as Record<GeneratedTable, ReturnType<typeof createHash>>;
  let chunks = 0;
  const end = await generateOnThread(j, async (c) => {
    chunks++;
    for (const t of GENERATED_TABLES) for (const b of c.bufs[t]) hashes[t].update(b);
    await new Promise((r) => setTimeout(r, 1)); // a slow consumer: the thread must wait, not drop or reorder
  });

  const cal = createCalendar(ASOF);
  const gen = new LedgerGenerator({ ...j, calendar: cal, pools: buildValuePools(j.seed) });
  const expected = Object.fromEntries(GENERATED_TABLES.map((t) => [t, createHash('sha256')])) as typeof hashes;
  while (gen.nextChunk(j.chunkEntries)) for (const t of GENERATED_TABLES) for (const b of gen.out[t].take()) expected[t].update(b);
  for (const t of GENERATED_TABLES) {
    gen.out[t].seal();
    for (const b of gen.out[t].take()) expected[t].update(b);
  }
  for (const t of GENERATED_TABLES) assert.equal(hashes[t].digest('hex'), expected[t].digest('hex'), t);
  assert.deepEqual(end.counts, gen.counts);
  assert.equal(end.balances, balanceRows(gen, cal, j.accountCreatedTs));
  assert.ok(chunks > 6, `several chunks crossed (${chunks})`);
});

test('a failure on the generator thread rejects with its message', async () => {
  await assert.rejects(generateOnThread({ ...job(7, 10), asOf: '2026-02-30' }, async () => {}), /seed generator thread: .*2026-02-30/);
  await assert.rejects(
    generateOnThread(job(7, 2000), async () => {
      throw new Error('stream broke');
    }),
    /stream broke/,
  );
});
