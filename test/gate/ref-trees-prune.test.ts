/**
 * The gate's ref-tree cache is pruned: trees unused for longer than the limit and
 * extractions of ended processes go; recent trees, the tree in use, running extractions
 * and anything that is not a tree stay.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pruneRefTrees, touchRefTree } from '../../src/gate/ref-trees-prune.js';

const MARK = '.done';
const DAY = 24 * 3600 * 1000;
const sha = (c: string): string => c.repeat(40);

test('ref trees unused for longer than the limit and dead extractions are removed; the rest stays', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lb-ref-trees-'));
  try {
    const now = Date.now();
    const tree = (name: string, ageDays: number | null): void => {
      mkdirSync(join(dir, name, 'variants'), { recursive: true });
      const mark = join(dir, name, MARK);
      if (ageDays === null) {
        utimesSync(join(dir, name), new Date(now - 30 * DAY), new Date(now - 30 * DAY));
        return;
      }
      writeFileSync(mark, 'x');
      utimesSync(mark, new Date(now - ageDays * DAY), new Date(now - ageDays * DAY));
    };
    tree(sha('a'), 20); // unused for 20 days: removed
    tree(sha('b'), 3); // recent: kept
    tree(sha('c'), 40); // old, but the one this gate uses: kept
    tree(sha('d'), null); // no mark, folder 30 days old: an abandoned half tree, removed
    // An extraction by a process that ended, and one by this (running) process.
    const deadPid = 2 ** 22 + 12345; // above pid_max's default: no such process
    mkdirSync(join(dir, `${sha('e')}.tmp-${deadPid}`));
    writeFileSync(join(dir, `${sha('e')}.tmp-${deadPid}.tar`), 'x');
    mkdirSync(join(dir, `${sha('f')}.tmp-${process.pid}`));
    mkdirSync(join(dir, 'not-a-tree'));
    utimesSync(join(dir, 'not-a-tree'), new Date(now - 90 * DAY), new Date(now - 90 * DAY));

    const removed = pruneRefTrees(dir, MARK, sha('c'), 14, now).sort();
    assert.deepEqual(removed, [sha('a'), sha('d'), `${sha('e')}.tmp-${deadPid}`, `${sha('e')}.tmp-${deadPid}.tar`].sort());
    for (const kept of [sha('b'), sha('c'), `${sha('f')}.tmp-${process.pid}`, 'not-a-tree']) assert.ok(existsSync(join(dir, kept)), `${kept} kept`);

    // Using a tree refreshes it: an old tree touched now survives the next prune.
    tree(sha('a'), 20);
    touchRefTree(join(dir, sha('a'), MARK));
    assert.deepEqual(pruneRefTrees(dir, MARK, sha('c'), 14, Date.now()), []);
    // A missing cache folder is nothing to do.
    assert.deepEqual(pruneRefTrees(join(dir, 'absent'), MARK, sha('c')), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
