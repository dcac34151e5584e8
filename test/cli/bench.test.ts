import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { cli } from '../helpers/cli.js';
import { serverUrl } from '../helpers/db.js';
import { chartCounts, chromiumSkip, headless } from '../helpers/chromium.js';
import { dropOwnedDatabase, withAdminClient } from '../../src/db/ownership.js';
import { tempDir } from '../helpers/temp-dir.js';
import { markdownTables, repeatedTables } from '../helpers/markdown-tables.js';

const prefix = `ledger_bench_t_bench_${randomBytes(3).toString('hex')}`;

after(async () => {
  const names = await withAdminClient(serverUrl(), async (c) =>
    (await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${prefix}%`])).rows.map((r) => r.datname),
  );
  for (const n of names) await dropOwnedDatabase(serverUrl(), n);
});

/** bench kept short, into `out`. The tiny scale: these tests are about the job's steps and outputs, not the data (seconds, not minutes). */
const benchArgs = (out: string) => ['bench', '--db-prefix', prefix, '--scale', 'tiny', '--variants', 'indexes', '--sample', '3', '--writes', '10', '--rate', '40', '--duration', '2s', '--warmup', '0.5s', '--quiet',
  // A budget any run meets on a busy test machine (these tests are about the job; the 99 exit is checked below).
  // Only balance-lookup: in 2 s at 40/s a rare scenario may finish nothing, and "no data" never passes.
  // Decided on its value: a p95's upper bound may stay undecided (inconclusive: exit 99) on a loaded machine.
  '--budget', 'balance-lookup:avg<60000',
  // The capacity step kept short: at most 2 probes per variant (50/s, 100/s) of 2 s each.
  '--bench-probes', '2', '--start-rate', '50', '--max-rate', '100', '--step-sec', '2s', '--step-warmup', '0.5s',
  // The isolation step kept short: one claimed query alone, 1 s on each side.
  '--scenarios', 'balance-lookup', '--isolate-sec', '1s', '--isolate-warmup', '0.2s',
  // One look per run: sequential sampling has its own tests (test/capacity, test/cli/isolate); these are about the job.
  '--looks', '1', '--out', out];

test('bench, the main job: seed, verify, compare, table; a second run reuses the seeded baseline', { timeout: 600_000 }, async () => {
  const out = tempDir('bench');
  const args = benchArgs(out);
  const r = await cli(args, { env: { DATABASE_URL: serverUrl() }, timeoutMs: 280_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /\[2\/6\] seed/);
  assert.match(r.stderr, new RegExp(`seeding ${prefix}_baseline: scale tiny, seed 42`));
  assert.match(r.stderr, /verify: OK/);
  assert.match(r.stdout, /\| scenario \| claimed before \| claimed after \| baseline p95 \| indexes p95 \|/);
  // Each p95 with its interval (or the sample count too few for one), the improvement with its own.
  assert.match(r.stdout, /\| balance-lookup \| 150-300 \| 5-10 \| [\d.]+ [^|]*\| [\d.]+ [^|]*, ([\d.]+x (faster|slower)|no significant difference)[^|]*\|/);
  for (const f of ['baseline.json', 'indexes.json', 'comparison.md', 'report.md', 'report.json', 'junit.xml', 'report.html']) assert.ok(existsSync(join(out, f)), f);
  // Step 5: the floor (each claimed query alone); step 6: the capacity of both, with its own results and reports.
  assert.match(r.stderr, /\[5\/6\] the floor: each claimed query alone on baseline, indexes at 20\/s/);
  assert.match(r.stderr, /\[6\/6\] capacity of baseline, indexes \(at most 2 probes each\)/);
  assert.match(r.stdout, /\ncapacity: indexes sustains [^\n]+; within 50 ms it holds [^\n]+\n/);
  assert.doesNotMatch(r.stdout + r.stderr, /unsampled/);
  // The step says what it found and where its tables are; the tables themselves are in the answers and the files.
  assert.match(r.stdout, /\ncapacity \(max TPS within budget\): baseline (>= 100\/s|50\/s|none at or above 50\/s)[^\n]*; indexes [^\n]+\n/);
  assert.ok(r.stdout.includes(`every probe: ${join(out, 'capacity', 'report.md')}`), r.stdout);
  assert.match(r.stdout, /(p95 \(ms\) at (50|100) TPS(, the highest rate every variant held|: NOT within budget)|No rate was held by every variant)/);
  // The claimed query alone on both, then the answers.
  for (const f of ['baseline--balance-lookup.json', 'indexes--balance-lookup.json', 'isolation.json', 'report.md']) assert.ok(existsSync(join(out, 'isolation', f)), f);
  // The answers lead with the verdict, then the capacities in words, then the figures.
  assert.match(r.stdout, /## The answers\n\nDoes the review's claim hold\? Budgets `balance-lookup:avg<60000`, judged on indexes:\n/);
  assert.match(r.stdout, /\nCapacity: indexes sustains [^\n]+\(baseline [^\n]+\); within 50 ms it holds [^\n]+\.\n\nMax TPS within budget \(the whole mix; balance-lookup:avg<60000, mix:rate>=0.99\):\n\n- baseline  +(>= 100\/s|50\/s|none at or above)/);
  assert.match(r.stdout, /p95 \(ms\) of each query alone @ the rate it ran at .*\n\n\| scenario \| baseline p95 \| indexes p95 \| baseline -> indexes \|\n\|---\|---\|---\|---\|\n\| balance-lookup \| [\d.]+ [^|]*@ (20|10|5)\/s( \(not held\))? \| [\d.]+ [^|]*@ (20|10|5)\/s( \(not held\))? \| ([\d.]+x (faster|slower)|no significant difference)[^|]* \|/);
  assert.match(r.stdout, /\nisolation \(each query alone\): 2 runs, (every one held its rate|[12] NOT held)\n  the p95 table: "The answers" below; every run: /);
  assert.ok(r.stdout.includes(`every run: ${join(out, 'isolation', 'report.md')}`), r.stdout);
  // Each table once on the terminal: before the answers only the comparison's own tables (p95, service
  // time, migration); the capacity and isolation steps leave theirs to the answers (and their files).
  assert.deepEqual(repeatedTables(r.stdout + r.stderr), []);
  const [steps, answers] = r.stdout.split('## The answers');
  assert.deepEqual(markdownTables(steps!).map((t) => t.split('\n')[0]), [
    '| scenario | claimed before | claimed after | baseline p95 | indexes p95 |',
    '| scenario | claimed before | claimed after | baseline p95 | indexes p95 |',
    '| variant | clone s | steps s | analyze s | total s | indexes built (concurrently) | index MB |',
  ]);
  assert.equal(markdownTables(answers!).length, /No rate was held by every variant/.test(answers!) ? 1 : 2, answers);
  const cap = JSON.parse(readFileSync(join(out, 'capacity', 'capacity.json'), 'utf8'));
  assert.deepEqual(cap.map((c: { variant: string }) => c.variant), ['baseline', 'indexes']);
  assert.ok(cap.every((c: { probes: unknown[] }) => c.probes.length >= 1 && c.probes.length <= 2));
  for (const f of ['capacity.json', 'report.md', 'junit.xml', 'report.html']) assert.ok(existsSync(join(out, 'capacity', f)), f);
  // The review's table shape, baseline before and indexes after, beside the claims.
  const md = readFileSync(join(out, 'report.md'), 'utf8');
  assert.match(md, /## baseline -> indexes\n\n\| Query Type \| Before \(claimed\) \| After \(claimed\) \|/);
  assert.match(md, /\| balance-lookup \| 150-300 \| 5-10 \| [\d.]+ [^|]+ \| [\d.]+ [^|]+ \| ([\d.]+x (faster|slower)|no significant difference)[^|]* \|/);
  // One report of the whole job: the query alone and the capacity as rows of the review's table.
  assert.match(md, /\| balance-lookup \(alone\) \| 150-300 \| 5-10 \| [\d.]+ [^|]+ \| [\d.]+ [^|]+ \| ([\d.]+x (faster|slower)|no significant difference)[^|]* \| [^|]+ \| before (held|\*\*not held)/);
  assert.match(md, /\| max TPS within budget \(mix\) \| - \| - \| /);
  assert.match(md, /## Capacity: max TPS within budget \(mix\)\n\n\| variant \| max TPS within budget \| first failing TPS \| fails first \| probes \| search ended \|\n\|---.*\n\| baseline \| (>= 100|50|none) .*\| [12]: 50 (held|sustained|failed).*\n\| indexes \| /);
  // The written reports keep every table, each once.
  assert.deepEqual(repeatedTables(md), []);
  for (const f of ['capacity', 'isolation']) assert.deepEqual(repeatedTables(readFileSync(join(out, f, 'report.md'), 'utf8')), [], f);
  assert.match(md, /## Each query alone\n/);
  assert.match(md, /## Migration \(clone \+ steps \+ ANALYZE\)\n\n\| variant .*\n.*\n\| indexes \|/);
  // `report` on the directory renders the same Markdown from the files alone.
  const again0 = await cli(['report', out]);
  assert.equal(again0.code, 0, again0.stderr);
  assert.equal(again0.stdout, md);
  if (!chromiumSkip) {
    const dom = headless(join(out, 'report.html'));
    const counts = chartCounts(dom);
    // Percentile curves of the scenarios with data, p95 and throughput, errors and drops, the latency-throughput curve, migration times.
    assert.ok(counts.expected >= 7, JSON.stringify(counts));
    assert.match(dom, /<h3>latency-throughput curve: the mix's p95 \(band: its interval\) against the offered rate<\/h3>/);
    assert.deepEqual(counts, { expected: counts.expected, drawn: counts.expected, inked: counts.expected });
  }

  // The second run reuses the baseline; a budget no real query meets fails it with 99, and the step summary gets the report.
  const summary = join(tempDir('bench'), 'summary.md');
  const out2 = tempDir('bench');
  const again = await cli([...args.slice(0, -2), '--out', out2, '--budget', 'balance-lookup:p(99)<0.001'], {
    env: { DATABASE_URL: serverUrl(), GITHUB_STEP_SUMMARY: summary },
    timeoutMs: 280_000,
  });
  assert.equal(again.code, 99, again.stderr);
  assert.match(again.stderr, /reusing .*_baseline \(baseline complete scale=tiny seed=42/);
  assert.match(again.stderr, /budgets (failed|not decided): \d+ pass, \d+ fail, \d+ inconclusive.*\n  indexes \/ balance-lookup: p\(99\)<0.001 (FAIL|INCONCLUSIVE)/);
  const summaryMd = readFileSync(summary, 'utf8');
  // The answer first: the verdict block names the variant and the query before any table.
  assert.match(summaryMd, /^# ledger-bench report\n\n.*\n\n## The answer\n\nDoes the review's claim hold\?[^|]*\*\*indexes[^*]*: (FAILED|inconclusive)\*\*[^|]*balance-lookup \(p\(99\)<0.001: /);
  assert.match(summaryMd, /Verdict: \*\*(FAILED|NOT DECIDED)\*\*\. Checks: \d+ pass, \d+ fail, \d+ inconclusive;/);
  // Once, and the whole job's report: not the comparison's, capacity's or isolation's own beside it.
  assert.equal(summaryMd, readFileSync(join(out2, 'report.md'), 'utf8'));
  assert.equal(summaryMd.match(/^# ledger-bench report$/gm)?.length, 1);
  assert.match(summaryMd, /## Capacity: max TPS within budget \(mix\)[\s\S]*## Each query alone\n/);
});

test('bench stopped in its last step (Ctrl-C in the capacity step): the step summary holds the comparison\'s report, once', { timeout: 300_000 }, async () => {
  const out = tempDir('bench');
  const summary = join(tempDir('bench'), 'summary.md');
  let sent = false;
  // Reuses the baseline the test above seeded (same prefix and scale); seeds it when run alone.
  const r = await cli(benchArgs(out), {
    env: { DATABASE_URL: serverUrl(), GITHUB_STEP_SUMMARY: summary },
    timeoutMs: 240_000,
    // A real Ctrl-C once the comparison and the floor are done and the capacity search has begun.
    onStderr: (all, child) => {
      if (!sent && /\[6\/6\] capacity/.test(all)) {
        sent = true;
        child.kill('SIGINT');
      }
    },
  });
  assert.ok(sent, r.stderr);
  assert.equal(r.code, 130, r.stderr);
  assert.match(r.stderr, /comparison complete \(2 runs\)/);
  assert.match(r.stderr, /bench: no combined report/);
  assert.match(r.stderr, /isolation complete/);
  assert.doesNotMatch(r.stdout, /## The answers/);
  // The comparison's report (comparison.md is its copy), exactly once; nothing of the steps after it.
  const summaryMd = readFileSync(summary, 'utf8');
  assert.equal(summaryMd, readFileSync(join(out, 'comparison.md'), 'utf8'));
  assert.equal(summaryMd.match(/^# ledger-bench report$/gm)?.length, 1);
  assert.match(summaryMd, /## baseline -> indexes\n\n\| Query Type \|/);
  assert.doesNotMatch(summaryMd, /## Capacity|## Each query alone/);
});
