/**
 * Keeps the gate's cache of extracted ref trees (`.ledger-bench/gate-refs/<sha>/`, see
 * git-ref.ts) from growing without end: every PR gate extracts its base commit, so a
 * long-lived runner or a developer's checkout would collect one full tree per commit
 * ever gated. Each use of a tree touches its completion mark; a tree whose mark has not
 * been touched for {@link REF_TREE_MAX_IDLE_DAYS} days is removed when the gate next
 * prepares a ref, and so is an extraction left behind by a process that no longer runs.
 * A tree in use is never touched: its mark was refreshed when its gate began, and the
 * tree the current gate needs is always kept.
 */
import { readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';

/** Days a cached ref tree may go unused before it is removed. */
export const REF_TREE_MAX_IDLE_DAYS = 14;

/** Marks a tree as used now: its completion mark `markFile` gets the current time. */
export function touchRefTree(markFile: string, now = new Date()): void {
  try {
    utimesSync(markFile, now, now);
  } catch {
    // A tree without a mark is not complete and is replaced on use anyway.
  }
}

/** True when a process with this pid runs on this machine (signal 0 checks without sending). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes, under `treesDir`, trees whose mark (`markName`) is older than `maxIdleDays`
 * and extractions (`<sha>.tmp-<pid>`, `<sha>.tmp-<pid>.tar`) of processes that ended.
 * `keep` (a sha) is never removed. Returns the names removed. Never throws: a cache it
 * cannot clean is left as it is.
 */
export function pruneRefTrees(treesDir: string, markName: string, keep: string, maxIdleDays = REF_TREE_MAX_IDLE_DAYS, now = Date.now()): string[] {
  let names: string[];
  try {
    names = readdirSync(treesDir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  const limit = now - maxIdleDays * 24 * 3600 * 1000;
  for (const name of names) {
    if (name === keep) continue;
    const tmp = /^[0-9a-f]{40,64}\.tmp-(\d+)(\.tar)?$/.exec(name);
    let stale = false;
    if (tmp) stale = !alive(Number(tmp[1]));
    else if (/^[0-9a-f]{40,64}$/.test(name)) {
      try {
        stale = statSync(join(treesDir, name, markName)).mtimeMs < limit;
      } catch {
        // No mark: an extraction interrupted by hand (the next use of that commit replaces
        // it); judged by the folder's own age.
        try {
          stale = statSync(join(treesDir, name)).mtimeMs < limit;
        } catch {
          stale = false;
        }
      }
    }
    if (!stale) continue;
    try {
      rmSync(join(treesDir, name), { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Left for the next time.
    }
  }
  return removed;
}
