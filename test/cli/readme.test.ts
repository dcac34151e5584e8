/**
 * The README is the front page: its commands table lists exactly the binary's commands,
 * in the order of `ledger-bench --help`, and every page it links to exists. Modelled on
 * test/cli/failure-semantics.test.ts, which keeps docs/exit-codes.md and --help equal.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cli, ROOT } from '../helpers/cli.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The body of a `## title` section, up to the next `## `. */
function section(text: string, title: string): string {
  const start = text.indexOf(`\n## ${title}\n`);
  assert.ok(start >= 0, `README has "## ${title}"`);
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

test('README: the commands table names the commands of `ledger-bench --help`, in its order', async () => {
  const rows = section(README, 'Commands').split('\n').filter((l) => /^\| `/.test(l));
  const inReadme = rows.map((l) => /^\| `([a-z-]+)` \|/.exec(l)?.[1]);
  const h = await cli(['--help']);
  assert.equal(h.code, 0, h.stderr);
  const listed = h.stdout.slice(h.stdout.indexOf('Commands:\n') + 'Commands:\n'.length).split('\n\n')[0]!;
  const inHelp = listed.split('\n').map((l) => /^ {2}([a-z-]+) /.exec(l)?.[1]);
  assert.ok(inHelp.length > 5 && inHelp.every(Boolean), `the help lists commands: ${listed}`);
  assert.deepEqual(inReadme, inHelp, 'README commands table vs `ledger-bench --help` (add, remove or reorder the row)');
});

test('README: every linked page exists; the answers excerpt sits between its markers', () => {
  const links = [...README.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)].map((m) => m[1]!).filter((l) => !/^https?:/.test(l));
  assert.ok(links.length > 10, 'the README links its docs');
  for (const l of links) assert.ok(existsSync(join(ROOT, l)), `README links ${l}, which does not exist`);
  const start = README.indexOf('<!-- answers-excerpt:start -->');
  const end = README.indexOf('<!-- answers-excerpt:end -->');
  assert.ok(start > README.indexOf('## The answers') && end > start, 'the markers are under "The answers", start before end');
  assert.equal(README.split('answers-excerpt:start').length, 2, 'one excerpt');
  // A front page: the whole README on a screen or two (the session hook warns above 200 lines).
  assert.ok(README.split('\n').length < 200, `README has ${README.split('\n').length} lines`);
});

test('docs: the links between pages of docs/ resolve', () => {
  const pages = README.match(/docs\/[a-z-]+\.md/g) ?? [];
  for (const page of new Set(pages)) {
    const text = readFileSync(join(ROOT, page), 'utf8');
    for (const m of text.matchAll(/\]\(([a-z-]+\.md)(#[^)]*)?\)/g)) assert.ok(existsSync(join(dirname(join(ROOT, page)), m[1]!)), `${page} links ${m[1]}, which does not exist`);
  }
});
