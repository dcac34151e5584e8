/**
 * The evidence section of the reports, from a stored result (a real run of the
 * `indexes` variant on the test fixture): Markdown and HTML show the plan summary,
 * pg_stat_statements beside our p50, index sizes and idx_scan deltas, and flag the
 * indexes the workload never scanned. Results without evidence render no section.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resultSchema } from '../../src/result/schema.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderHtml } from '../../src/report/html.js';
import { renderJson } from '../../src/report/json.js';
import type { ReportData } from '../../src/report/model.js';

const stored = resultSchema.parse(JSON.parse(readFileSync(new URL('../fixtures/evidence/indexes-result.json', import.meta.url), 'utf8')));
const data = (result = stored): ReportData => ({ runs: [{ variant: 'indexes', result }], claims: {}, budgets: {}, budgetVariants: '' });

test('Markdown: plan, statement counters beside p50, indexes with unused ones flagged', () => {
  const md = renderMarkdown(data());
  const section = md.slice(md.indexOf('## Server evidence: indexes'));
  assert.ok(section.length > 30, 'the section is there');
  assert.match(section, /different things/);
  // scenario | query | plan | buffers | EXPLAIN ms | calls | mean exec | p50 (the stored run: 71 calls, p50 1.17 ms)
  assert.match(section, /\| journal-entry-search \| compound-index \| Limit \/ `idx_journal_entries_date_source_status` \| 22 \/ 0 \| 0\.08 \| 71 \| 0\.13 \| 1\.17 \[0\.95, 2\.15\] \|/);
  assert.match(section, /\| idx_journal_entries_date_source_status \| journal_entries \| 128 kB \| 71 \| +\|/);
  assert.match(section, /\| idx_journal_entries_posted_date \| journal_entries \| 64 kB \| 0 \| \*\*not scanned under this workload\*\* \|/);
  assert.match(section, /\| accounts_code_key \| accounts \| 32 kB \| 0 \| not scanned \(enforces a constraint\) \|/);
  assert.match(section, /```\nLimit \(actual [\d.]+ ms, rows 6, loops 1, shared hit 22 read 0\)\n-> Sort/);
});

test('HTML carries the same section, the plan as preformatted text', () => {
  const html = renderHtml(data());
  assert.match(html, /<h2 id="server-evidence-indexes">Server evidence: indexes<\/h2>/);
  assert.match(html, /<td>idx_journal_entries_posted_date<\/td><td>journal_entries<\/td><td>64 kB<\/td><td>0<\/td><td><strong>not scanned under this workload<\/strong><\/td>/);
  assert.match(html, /<pre><code>Limit \(actual [^<]*\n-&gt; Sort/);
});

test('the JSON report carries the evidence as stored', () => {
  const report = JSON.parse(renderJson(data()));
  assert.deepEqual(report.runs[0].evidence, JSON.parse(JSON.stringify(stored.evidence)));
});

test('a result without evidence (older, or --no-evidence) parses and renders no section', () => {
  const { evidence: _e, ...older } = stored;
  const parsed = resultSchema.parse(older);
  assert.equal(parsed.evidence, undefined);
  assert.doesNotMatch(renderMarkdown(data(parsed)), /Server evidence/);
});

test('statement counters unavailable: the report says why', () => {
  const ev = { ...stored.evidence!, statementsAvailable: false, statementsUnavailable: 'pg_stat_statements is not in shared_preload_libraries on this server', scenarios: stored.evidence!.scenarios.map(({ statement: _s, ...rest }) => rest) };
  const md = renderMarkdown(data({ ...stored, evidence: ev }));
  assert.match(md, /Statement counters unavailable: pg_stat_statements is not in shared_preload_libraries/);
  assert.match(md, /\| journal-entry-search \| compound-index \| [^\n]* \| - \| - \| 1\.17 \[0\.95, 2\.15\] \|/);
});
