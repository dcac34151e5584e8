/**
 * Git-ref sides of the gate, with real git in a temp clone of this project: what
 * resolves as a ref, `REF:VARIANT`, the tree extracted per commit with this checkout's
 * node_modules, and the clear problems for a ref that does not resolve, lacks the
 * variant or a scenario, is older than the gate, or has other dependencies.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifySide } from '../../src/gate/sides.js';
import { DEFAULT_REF_VARIANT, prepareRefSide, shortSha } from '../../src/gate/git-ref.js';
import { ROOT } from '../helpers/cli.js';
import { tempClone, type TempClone } from '../helpers/git-clone.js';
import { tempDir } from '../helpers/temp-dir.js';

const variants = ['baseline', 'indexes', 'matviews', 'optimized'];
let repo: TempClone;
const sha: Record<string, string> = {};

before(() => {
  repo = tempClone('gate-ref-unit');
  sha.start = repo.git('rev-parse', 'HEAD');
  sha.noMv = repo.commit('drop matviews', 'no-mv', { 'variants/matviews.ts': null });
  sha.lock = repo.commit('other deps', 'new-lock', { 'package-lock.json': readFileSync(join(ROOT, 'package-lock.json'), 'utf8') + '\n' });
  // A commit from before the gate existed: none of the files it loads.
  sha.old = repo.git('commit-tree', repo.git('hash-object', '-t', 'tree', '/dev/null'), '-m', 'ancient');
});

test('a side that is neither a variant nor a file but names a commit is a git ref; REF:VARIANT picks the variant', () => {
  assert.ok('problem' in classifySide('--base', 'start', variants, repo.dir), 'no tag "start" yet: not a ref');
  repo.git('tag', 'start', sha.start!);
  assert.deepEqual(classifySide('--base', 'start', variants, repo.dir), { side: { kind: 'ref', ref: 'start', commit: sha.start, variant: DEFAULT_REF_VARIANT } });
  assert.deepEqual(classifySide('--head', 'start:indexes', variants, repo.dir), { side: { kind: 'ref', ref: 'start', commit: sha.start, variant: 'indexes' } });
  assert.deepEqual(classifySide('--head', `${sha.noMv}:baseline`, variants, repo.dir), { side: { kind: 'ref', ref: sha.noMv, commit: sha.noMv, variant: 'baseline' } });
  assert.deepEqual(classifySide('--head', 'HEAD~1', variants, repo.dir), { side: { kind: 'ref', ref: 'HEAD~1', commit: sha.noMv, variant: DEFAULT_REF_VARIANT } });
  // A variant name wins over a ref of the same name.
  repo.git('tag', 'indexes', sha.start!);
  assert.deepEqual(classifySide('--base', 'indexes', variants, repo.dir), { side: { kind: 'variant', name: 'indexes' } });
});

test('a value that resolves to no commit is one clear problem naming all three kinds of side', () => {
  // start~N with N the number of commits there are: past the root, whatever the history's length
  // (a fixed start~99 began to resolve once the project had 100 commits in a line).
  const pastRoot = `start~${repo.git('rev-list', '--count', 'start')}`;
  for (const v of ['no-such-branch', 'start:', pastRoot, '--all']) {
    const c = classifySide('--base', v, variants, repo.dir);
    assert.ok('problem' in c, `${v} is not a side`);
    assert.match(c.problem, /is neither a variant \(baseline, .*\), nor a result JSON file, nor a git ref of the repository in /);
    assert.match(c.problem, /git fetch/);
  }
  // Outside any git repository, nothing resolves.
  const c = classifySide('--base', 'HEAD', variants, '/');
  assert.ok('problem' in c && /nor a git ref/.test(c.problem));
});

test('a good ref is extracted once per commit, with this checkout\'s node_modules, and its variant is the one at that commit', async () => {
  const p = await prepareRefSide('--base', { ref: 'start', commit: sha.start!, variant: 'matviews' }, ['journal-entry-search', 'post-journal-entry'], repo.dir);
  assert.ok(!('problem' in p), JSON.stringify(p));
  assert.equal(p.tree.dir, join(realpathSync(repo.dir), '.ledger-bench', 'gate-refs', sha.start!));
  assert.equal(p.variant.name, 'matviews');
  assert.ok((p.variant.materializedViews ?? []).length > 0, 'the definition is the variant file of that commit');
  assert.equal(readlinkSync(join(p.tree.dir, 'node_modules')), join(ROOT, 'node_modules'));
  assert.equal(readFileSync(join(p.tree.dir, 'variants', 'matviews.ts'), 'utf8'), repo.git('show', `${sha.start}:variants/matviews.ts`) + '\n');
  assert.ok(existsSync(p.tree.workloadModule));
  // The same commit again reuses the tree; the project's own repository is untouched.
  const again = await prepareRefSide('--head', { ref: sha.start!, commit: sha.start!, variant: 'indexes' }, [], repo.dir);
  assert.ok(!('problem' in again) && again.tree.dir === p.tree.dir && again.variant.name === 'indexes');
  // A half tree left by an interrupted extraction (no completion mark) is replaced, not used.
  const leftover = join(repo.dir, '.ledger-bench', 'gate-refs', sha.noMv!);
  mkdirSync(join(leftover, 'variants'), { recursive: true });
  writeFileSync(join(leftover, 'variants', 'junk.ts'), 'export const variant = 1;');
  const fresh = await prepareRefSide('--head', { ref: 'no-mv', commit: sha.noMv!, variant: 'indexes' }, [], repo.dir);
  assert.ok(!('problem' in fresh), JSON.stringify(fresh));
  assert.equal(existsSync(join(leftover, 'variants', 'junk.ts')), false);
  assert.equal(existsSync(join(leftover, 'variants', 'matviews.ts')), false, 'the tree of that commit, without matviews');
  assert.equal(existsSync(join(ROOT, '.ledger-bench', 'gate-refs', sha.noMv!)), false, 'extracted in the repository of cwd, not the project');
});

test('bad refs are clear problems: no such variant at the ref, no such scenario, too old, other dependencies', async () => {
  const noVariant = await prepareRefSide('--head', { ref: 'no-mv', commit: sha.noMv!, variant: 'matviews' }, [], repo.dir);
  assert.ok('problem' in noVariant);
  assert.equal(noVariant.problem.startsWith(`--head no-mv (commit ${shortSha(sha.noMv!)}) has no variant "matviews": its variants are baseline, `), true, noVariant.problem);
  assert.match(noVariant.problem, /name one as no-mv:<variant>/);

  const noScenario = await prepareRefSide('--base', { ref: 'no-mv', commit: sha.noMv!, variant: 'indexes' }, ['journal-entry-search', 'made-up-scenario'], repo.dir);
  assert.ok('problem' in noScenario);
  assert.match(noScenario.problem, /has no scenario made-up-scenario of the mix: its scenarios are .*journal-entry-search.*; leave them out with --mix/);

  const old = await prepareRefSide('--base', { ref: sha.old!, commit: sha.old!, variant: 'optimized' }, [], repo.dir);
  assert.ok('problem' in old);
  assert.match(old.problem, /is too old for the gate: it has no package-lock\.json, variants\/registry\.ts, scenarios\/registry\.ts, scenarios\/workload\.ts; gate against a newer commit/);

  const lock = await prepareRefSide('--base', { ref: 'new-lock', commit: sha.lock!, variant: 'optimized' }, [], repo.dir);
  assert.ok('problem' in lock);
  assert.match(lock.problem, /--base new-lock \(commit [0-9a-f]{12}\): its package-lock\.json differs from this checkout's/);
  assert.equal(existsSync(join(repo.dir, '.ledger-bench', 'gate-refs', sha.lock!)), false, 'nothing extracted for a ref that cannot run');
  assert.equal(existsSync(join(repo.dir, '.ledger-bench', 'gate-refs', sha.old!)), false);
});

test('with --variants-dir a ref side also finds the SQL variants of that folder as they are at the ref; clear problems when the ref has no such folder or it is outside the repository', async () => {
  // On top of the commit with other dependencies: this one restores the project's lock file.
  const lock = readFileSync(join(ROOT, 'package-lock.json'), 'utf8');
  sha.sqlv1 = repo.commit('my variant, first try', 'sqlv1', { 'package-lock.json': lock, 'my/idx.sql': 'CREATE INDEX my_idx_v1 ON accounts (account_type);\n' });
  sha.sqlv2 = repo.commit('my variant, second try', 'sqlv2', { 'my/idx.sql': 'CREATE INDEX my_idx_v2 ON accounts (currency);\n' });
  const at = async (commit: string, dir: string) => prepareRefSide('--base', { ref: commit.slice(0, 7), commit, variant: 'idx' }, [], repo.dir, dir);
  const v1 = await at(sha.sqlv1!, 'my');
  assert.ok(!('problem' in v1), JSON.stringify(v1));
  assert.equal(v1.variant.name, 'idx');
  assert.match(JSON.stringify(v1.variant.steps), /my_idx_v1/, 'the SQL of that commit, not of the working tree');
  assert.equal(v1.variantsDir, join(v1.tree.dir, 'my'), 'the workload resolves the variant in the ref\'s copy of the folder');
  const v2 = await at(sha.sqlv2!, join(repo.dir, 'my'));
  assert.ok(!('problem' in v2) && /my_idx_v2/.test(JSON.stringify(v2.variant.steps)), JSON.stringify(v2));
  // A commit from before the folder existed, and a folder no commit can hold.
  const none = await at(sha.start!, 'my');
  assert.ok('problem' in none);
  assert.match(none.problem, /has no variant "idx" \(that commit has no my\/ folder for --variants-dir\): its variants are baseline, /);
  const outside = await at(sha.sqlv2!, tempDir('gate-ref-outside'));
  assert.ok('problem' in outside);
  assert.match(outside.problem, /lies outside the git repository, so no commit holds it/);
  // Built-in variants still resolve with the folder given.
  const builtIn = await prepareRefSide('--head', { ref: 'sqlv2', commit: sha.sqlv2!, variant: 'indexes' }, [], repo.dir, 'my');
  assert.ok(!('problem' in builtIn) && builtIn.variant.name === 'indexes', JSON.stringify(builtIn));
});
