import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { cli } from '../helpers/cli.js';
import { serverUrl } from '../helpers/db.js';
import { dropOwnedDatabase, withAdminClient } from '../../src/db/ownership.js';

const prefix = `ledger_bench_t_cap_${randomBytes(3).toString('hex')}`;
const env = () => ({ DATABASE_URL: serverUrl() });

after(async () => {
  const names = await withAdminClient(serverUrl(), async (c) =>
    (await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${prefix}%`])).rows.map((r) => r.datname),
  );
  for (const n of names) await dropOwnedDatabase(serverUrl(), n);
});

test('capacity: bad input is reported at once, exit 2, nothing touched', async () => {
  const r = await cli(['capacity', '--variants', 'nope', '--start-rate', '500', '--max-rate', '100', '--budget', 'no-such:p(95)<5', '--db-prefix', prefix], { env: env() });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--variants/);
  assert.match(r.stderr, /--start-rate 500 is above --max-rate 100/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
});

test('capacity: a real search on a tiny scale, fresh clone per probe, reports, exit codes', { timeout: 300_000 }, async () => {
  const seeded = await cli(['seed', '--scale', 'tiny', '--quiet', '--db-prefix', prefix], { env: env(), timeoutMs: 300_000 });
  assert.equal(seeded.code, 0, seeded.stderr);
  const out = mkdtempSync(join(tmpdir(), 'lb-cap-'));
  // A budget every probe meets, decided on its value (a p95's upper bound can stay undecided on a loaded machine):
  // the search climbs 50 -> 100 and stops at --max-rate.
  // Without --quiet: the probe lines are progress.
  const base = ['capacity', '--db-prefix', prefix, '--step-sec', '2s', '--step-warmup', '0.5s', '--mix', 'balance-lookup=1'];
  const r = await cli([...base, '--variants', 'baseline,indexes', '--start-rate', '50', '--max-rate', '100', '--budget', 'avg<60000', '--out', out], { env: env(), timeoutMs: 240_000 });
  assert.equal(r.code, 0, r.stderr);
  // Each probe: its three-valued budget verdict, whether it sustained the rate, its stages (sequential sampling).
  // (one stage: a budget decided on its value needs no more)
  assert.match(r.stderr, /capacity: baseline at 50\/s: holds; sustained, achieved [\d.]+\/s; 1 of 3 stage\(s\) at 98\.3%/);
  assert.match(r.stderr, /capacity: indexes at 100\/s: holds; sustained/);
  // The headline in words, numbers from capacity.json.
  assert.match(r.stdout, /\nCapacity: indexes sustains at least 100\/s \(baseline at least 100\/s\); within 50 ms it holds (100\/s|50\/s|no rate probed) for every query/);
  assert.match(r.stdout, /\| baseline \| >= 100 \| - \| - \| 2: 50 held, 100 held \| held --max-rate \|/);
  assert.match(r.stdout, /\| indexes \| >= 100 \| - \| - \| 2: 50 held, 100 held \| held --max-rate \|/);
  assert.match(r.stdout, /Budgets: `avg<60000`, `mix:rate>=0.99`; each probe 2 s after 0.5 s warm-up/);
  const summary = JSON.parse(readFileSync(join(out, 'capacity.json'), 'utf8'));
  // The rate each variant actually achieved at 100/s, as measured (capacity.json), side by side on stdout.
  const achieved = summary.map((c: { probes: { rate: number; achievedRate: number }[] }) => c.probes.find((p) => p.rate === 100)!.achievedRate.toFixed(1));
  assert.match(r.stdout, /p95 \(ms\) at 100 TPS, the highest rate every variant held within budget/);
  assert.ok(r.stdout.includes(`| achieved tx/s | ${achieved.join(' | ')} |`), r.stdout);
  assert.deepEqual(summary.map((c: { variant: string; maxRateWithinBudget: number; probes: { rate: number }[] }) => [c.variant, c.maxRateWithinBudget, c.probes.map((p) => p.rate)]), [
    ['baseline', 100, [50, 100]],
    ['indexes', 100, [50, 100]],
  ]);
  // Each probe pre-warmed its fresh clone; the result at capacity carries the search for the reporters.
  assert.ok(summary[0].probes.every((p: { prewarm: { relations: number } }) => p.prewarm.relations > 0));
  // A probe that held kept up with its rate: sustained (what bench falls back on when nothing holds).
  assert.ok(summary.every((c: { probes: { holds: boolean; sustained: boolean }[] }) => c.probes.every((p) => p.holds && p.sustained === true)));
  // Saturation, capacity within each p95 threshold and the curve, from the same probes.
  for (const c of summary) {
    assert.equal(c.maxSustainedRate, 100);
    assert.deepEqual(c.withinBudgets.map((w: { thresholdMs: number }) => w.thresholdMs), [10, 25, 50, 100]);
    assert.deepEqual(c.curve.map((p: { rate: number }) => p.rate), [50, 100]);
    assert.ok(c.curve.every((p: { p95: { n: number; value: number } }) => p.p95.n > 0 && p.p95.value > 0));
    assert.ok(Math.abs(c.sequential.conf - (1 - 0.05 / 3)) < 1e-9);
    assert.ok(c.probes.every((p: { verdict: string; sequential: { looks: number } }) => p.verdict === 'holds' && p.sequential.looks >= 1));
  }
  const at = JSON.parse(readFileSync(join(out, 'indexes.json'), 'utf8'));
  assert.equal(at.target.rate, 100);
  assert.equal(at.capacity.maxRateWithinBudget, 100);
  for (const f of ['report.md', 'report.json', 'junit.xml', 'report.html']) assert.ok(existsSync(join(out, f)), f);
  // stdout is the report's capacity section, word for word: one formatter, no drift.
  const section = /## Capacity: max TPS within budget \(mix\)\n[^]*?(?=\n## |$)/.exec(readFileSync(join(out, 'report.md'), 'utf8'))?.[0];
  assert.ok(section, 'report.md has a capacity section');
  assert.ok(section.includes('| baseline | >= 100 | - | - | 2: 50 held, 100 held | held --max-rate |'), section);
  assert.ok(r.stdout.includes(section.trimEnd()), `stdout lacks report.md's capacity section:\n${section}\n--- stdout:\n${r.stdout}`);
  // The probe clones are gone; the variant built for them stays.
  const dbs = await withAdminClient(serverUrl(), async (c) => (await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${prefix}%`])).rows.map((x) => x.datname));
  assert.deepEqual(dbs.sort(), [`${prefix}_baseline`, `${prefix}_indexes`]);

  // A budget no real query meets: 50/s is sustained (the search stops at --max-rate) but fails the budget, decided;
  // no step down below the gate (40); below --min-rate is exit 99.
  const none = await cli([...base, '--variants', 'baseline', '--start-rate', '50', '--max-rate', '50', '--budget', 'p(95)<0.001', '--min-rate', '40', '--out', mkdtempSync(join(tmpdir(), 'lb-cap-'))], {
    env: env(),
    timeoutMs: 120_000,
  });
  assert.equal(none.code, 99, none.stderr);
  assert.match(none.stderr, /capacity: baseline at 50\/s: fails \(balance-lookup: p\(95\)<0.001 \(measured [\d.]+ \[[\d.]+, ([\d.]+|>max)\]( at [\d.]+%)?\)\); sustained/);
  assert.doesNotMatch(none.stderr, /unsampled|at 40\/s/);
  assert.match(none.stderr, /capacity below --min-rate 40: baseline none: exit 99\n/);
});
