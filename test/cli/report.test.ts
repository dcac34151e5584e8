import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { cli, hasStackTrace, lastLines, ROOT } from '../helpers/cli.js';
import { scratchDatabase } from '../helpers/db.js';
import { chartCounts, chromiumSkip, headless } from '../helpers/chromium.js';
import { tempDir } from '../helpers/temp-dir.js';

const dir = tempDir('report');
const script = join(dir, 'q.sql');
writeFileSync(script, '\\set id random(1, 1000)\nSELECT v FROM t WHERE id = :id;\n');

async function withTable<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const db = await scratchDatabase('report');
  try {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    await c.query('CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t SELECT g, g FROM generate_series(1, 1000) g');
    await c.end();
    return await fn(db.url);
  } finally {
    await db.drop();
  }
}

const runArgs = (url: string, out: string) => ['run', '--sql-file', script, '--database-url', url, '--rate', '50', '--duration', '3s', '--warmup', '0.5s', '--quiet', '--out', out];

test('run: every bad budget is bad input (exit 2, each named, nothing written) before any database is touched', async () => {
  const out = join(dir, 'never');
  const r = await cli(['run', '--sql-file', script, '--database-url', 'postgres://nobody@127.0.0.1:1/none', '--budget', 'p95<5', '--budget', 'rate>=x', '--rate', '0', '--out', out]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /3 problems:/);
  assert.match(r.stderr, /--budget: "p95<5": unknown metric "p95"/);
  assert.match(r.stderr, /--budget: "rate>=x": expected a number after >=/);
  assert.match(r.stderr, /--rate must be at least/);
  assert.equal(hasStackTrace(r.stderr), false);
  // Scenario names are checked once the expressions parse, still before any database.
  const s = await cli(['run', '--sql-file', script, '--database-url', 'postgres://nobody@127.0.0.1:1/none', '--budget', 'nosuch:avg<1', '--out', out]);
  assert.equal(s.code, 2, s.stderr);
  assert.match(s.stderr, /--budget: unknown scenario "nosuch"; scenarios: q/);
  assert.equal(existsSync(out), false);
  const file = join(dir, 'cfg.json');
  writeFileSync(file, JSON.stringify({ budgets: { '*': ['p(95)<50'], q: ['p(99)<'] } }));
  const f = await cli(['run', '--sql-file', script, '--database-url', 'postgres://nobody@127.0.0.1:1/none', '--config', file]);
  assert.equal(f.code, 2, f.stderr);
  assert.match(f.stderr, /cfg\.json: "budgets": "q": "p\(99\)<": expected a number/);
});

test('budgets on a real run (exit 0 / 99), then report renders it as Markdown, JUnit and HTML that draws in a headless browser', { timeout: 180_000 }, async (t) => {
  await withTable(async (url) => {
    const okOut = join(dir, 'ok');
    const ok = await cli([...runArgs(url, okOut), '--budget', 'p(50)>=0,errors<0.5', '--budget', 'q:max>0']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, /budgets met: 3 checks on sql-file:q.sql/);
    assert.deepEqual(lastLines(ok.stderr, 2), ['run complete', 'ledger-bench run: exit 0 (ok)']);

    const failOut = join(dir, 'fail');
    const fail = await cli([...runArgs(url, failOut), '--budget', 'q:p(50)<0.001', '--budget', 'p(50)>=0']);
    assert.equal(fail.code, 99, fail.stderr);
    assert.match(fail.stdout, /FAIL p\(50\)<0.001: [\d.]+ \[[\d.]+, [\d.]+\]/);
    assert.match(fail.stderr, /budgets failed: 1 pass, 1 fail, 0 inconclusive\n  sql-file:q.sql \/ q: p\(50\)<0.001 FAIL \(measured [\d.]+ \[[\d.]+, [\d.]+\]\)/);
    assert.deepEqual(lastLines(fail.stderr, 2), ['run complete: 1 budget check failed', 'ledger-bench run: exit 99 (a budget failed or was not decided)']);
    const resultFile = join(failOut, readdirSync(failOut)[0]!);

    // The report judges with the budgets recorded in the result, unless told otherwise.
    // A judged budget failed on a complete run: report exits 99 like the run did, and says so last.
    const junit = await cli(['report', resultFile, '--format', 'junit']);
    assert.equal(junit.code, 99, junit.stderr);
    assert.deepEqual(lastLines(junit.stderr, 2), ['report: a judged budget failed or was not decided on complete runs', 'ledger-bench report: exit 99 (a budget failed or was not decided)']);
    assert.match(junit.stdout, /<testsuites name="ledger-bench" tests="2" failures="1" skipped="0">/);
    assert.match(junit.stdout, /<testcase classname="ledger-bench.sql-file:q.sql" name="q p\(50\)&gt;=0"[^>]*>\n\s*<system-out>measured [\d.]+ \[[\d.]+, [\d.]+\]<\/system-out>/);
    assert.match(junit.stdout, /name="q p\(50\)&lt;0.001"[^>]*>\n\s*<failure message="p\(50\)&lt;0.001 failed: measured [\d.]+ \[[\d.]+, [\d.]+\]" type="budget">/);
    // The recorded policy is the run's (strict); --inconclusive pass re-renders an undecided p99 (150 samples < 299) as skipped.
    const lenient = await cli(['report', resultFile, '--format', 'junit', '--budget', 'p(99)<100000', '--inconclusive', 'pass']);
    assert.equal(lenient.code, 0, lenient.stderr);
    assert.match(lenient.stdout, /<skipped message="p\(99\)&lt;100000 inconclusive, counted as passed \(--inconclusive pass\): measured [\d.]+ \(299 samples needed for a p99 interval, \d+ measured\)"\/>/);
    const relaxed = await cli(['report', resultFile, '--format', 'junit', '--budget', 'p(50)<100000']);
    assert.match(relaxed.stdout, /tests="1" failures="0"/);
    assert.equal(relaxed.code, 0, relaxed.stderr);

    const md = await cli(['report', resultFile]);
    assert.equal(md.code, 99, md.stderr);
    // The answer first, then the tables.
    assert.match(md.stdout, /^# ledger-bench report\n\n50 tx\/s target, 3 s measured after 0.5 s warm-up.*\n\n## The answer\n\nDoes the review's claim hold\? Budgets `q:p\(50\)<0.001`, `p\(50\)>=0`, judged on sql-file:q.sql:\n\n- \*\*sql-file:q.sql: FAILED\*\* on q \(p\(50\)<0.001: [\d.]+ \[[\d.]+, [\d.]+\]\)\n/);
    assert.match(md.stdout, /\| Query Type \| Before \(claimed\) \| After \(claimed\) \| Before p50 \/ p95 \/ p99 \| After p50 \/ p95 \/ p99 \| Improvement \(p95\) \| Claim \(after\) \| Budgets \|/);
    assert.match(md.stdout, /\| q \| - \| - \| - \| [\d.]+ \[[\d.]+, [\d.]+\] \/ [\d.]+ \[[\d.]+, ([\d.]+|>max)\] \/ [\d.]+ \(n=\d+, too few for an interval\) \| - \| - \| \*\*FAIL\*\* p\(50\)<0.001: [\d.]+ \[[\d.]+, [\d.]+\] \|/);
    assert.match(md.stdout, /Verdict: \*\*FAILED\*\*\. Checks: 1 pass, 1 fail, 0 inconclusive;/);

    const summary = join(dir, 'step-summary.md');
    const all = await cli(['report', okOut, '--format', 'all', '--out', join(dir, 'site')], { env: { GITHUB_STEP_SUMMARY: summary } });
    assert.equal(all.code, 0, all.stderr);
    assert.deepEqual(readdirSync(join(dir, 'site')).sort(), ['junit.xml', 'report.html', 'report.json', 'report.md']);
    const json = JSON.parse(readFileSync(join(dir, 'site', 'report.json'), 'utf8'));
    assert.equal(json.budgets.passed, true);
    assert.deepEqual([json.budgets.verdict, json.budgets.counts.fail, json.budgets.inconclusive], ['passed', 0, 'fail']);
    assert.equal(typeof json.runs[0].scenarios[0].latencyCi.p50.lo, 'number');
    assert.equal(json.runs[0].scenarios[0].name, 'q');

    const html = join(dir, 'site', 'report.html');
    const page = readFileSync(html, 'utf8');
    assert.doesNotMatch(page, /<script[^>]+src=|<link[^>]+href=/, 'self-contained: no external script or stylesheet');
    if (chromiumSkip) return t.skip(chromiumSkip);
    const counts = chartCounts(headless(html));
    // One percentile curve (one scenario), p95 and throughput over time, errors and drops over time.
    assert.deepEqual(counts, { expected: 4, drawn: 4, inked: 4 });
  });
});

test('report: unreadable or foreign files are bad input, all reported at once', async () => {
  const foreign = join(dir, 'foreign.json');
  writeFileSync(foreign, '{"hello": 1}');
  const r = await cli(['report', join(dir, 'missing.json'), foreign, '--format', 'pdf']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--format expected one of md, json, junit, html, all, got "pdf"/);
  const r2 = await cli(['report', join(dir, 'missing.json'), foreign]);
  assert.equal(r2.code, 2, r2.stderr);
  assert.match(r2.stderr, /missing\.json: no such file/);
  assert.match(r2.stderr, /foreign\.json: not a ledger-bench result/);
  assert.equal(hasStackTrace(r2.stderr), false);
});

test('report renders a k6 end-of-test summary (handleSummary JSON) like a result, its figures labelled as k6\'s own summary statistics', async () => {
  const r = await cli(['report', `${ROOT}test/fixtures/k6/handle-summary.json`, '--format', 'md']);
  assert.equal(r.code, 0, r.stderr);
  // The fixture's http_req_duration{scenario:balance-lookup} med / p(95) / p(99), not the whole test's (warm-up included).
  // k6 exports no histogram: its percentiles say they have no interval (never a bare figure), and no claim is decided on them.
  assert.match(r.stdout, /\| balance-lookup \| 150-300 \| 5-10 \| - \| 2\.90 \(no interval\) \/ 11\.4 \(no interval\) \/ 37\.5 \(no interval\) \| - \| not decided \(no interval\) \| pass \|/);
  assert.match(r.stdout, /500 req\/s target \(k6 constant-arrival-rate\), 30 s measured after 5 s warm-up, run by k6/);
  assert.match(r.stdout, /Figures of handle-summary: k6's own end-of-test summary statistics/);
  assert.doesNotMatch(r.stdout, /from the intended start/);
  assert.match(r.stdout, /\| handle-summary \| 500 \| 500\.0 \| yes \| - \| 6 \| 0 \| 0 \| yes \|/);
});

test('report reads a --summary-export file; the run parameters it lacks are bad input until --rate and --duration give them', async () => {
  const file = `${ROOT}test/fixtures/k6/summary-export.json`;
  const bad = await cli(['report', file, '--format', 'md']);
  assert.equal(bad.code, 2, bad.stderr);
  assert.match(bad.stderr, /2 problems:/);
  assert.match(bad.stderr, /summary-export\.json: the target rate is unknown .*report --rate N/);
  assert.match(bad.stderr, /summary-export\.json: the measured window is unknown .*report --duration 30s/);
  assert.equal(hasStackTrace(bad.stderr), false);
  assert.equal(bad.stdout, '');
  // Readable now; its p95 is over the default budget, so report exits 99 (a judged budget failed).
  const ok = await cli(['report', file, '--format', 'md', '--rate', '20', '--duration', '30s']);
  assert.equal(ok.code, 99, ok.stderr);
  assert.match(ok.stdout, /\| k6 \| - \| - \| - \| 15\.0 \(no interval\) \/ 61\.7 \(no interval\) \/ 120 \(no interval\) \| - \| - \| \*\*FAIL\*\* p\(95\)<50: 61\.7 \|/);
  assert.match(ok.stdout, /k6's own end-of-test summary statistics/);
  const json = await cli(['report', file, '--format', 'json', '--rate', '20', '--duration', '30s']);
  assert.equal(json.code, 99, json.stderr);
  const run = JSON.parse(json.stdout).runs[0];
  assert.equal(run.tool.name, 'k6');
  assert.match(run.notes.join(' '), /converted from a k6 end-of-test summary: summary statistics only/);
  assert.equal(run.scenarios[0].latencyMs.p95, 61.7);
});
