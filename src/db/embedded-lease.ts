/**
 * Sharing one embedded server between ledger-bench processes.
 *
 * - The start/stop lock (`<dir>/lock`, created exclusively, holding the holder's pid)
 *   serialises starting, reusing and stopping, so a second command started while the
 *   first is still starting the server waits for that start and then reuses the server,
 *   instead of racing it. A lock whose holder died (kill -9) is broken.
 * - Leases (`<dir>/leases/<pid>.<n>`, one per command using the server) say who uses
 *   it: the server is stopped only when the last live lease is dropped. Leases of dead
 *   processes are ignored and removed, so a killed command never keeps a server alive.
 */
import { linkSync, mkdirSync, rmSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** True when a process with this pid exists (EPERM: it exists but belongs to someone else). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** How long one start or stop may hold the lock before it counts as abandoned (pid reused after a reboot). */
const LOCK_MAX_AGE_MS = 15 * 60_000;
/** How long a waiter waits at most: pg_ctl start gets 120 s, initdb and the binary copy come on top. */
const LOCK_WAIT_MS = 10 * 60_000;

function readHolder(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function isStale(file: string, content: string): boolean {
  let ageMs: number;
  try {
    ageMs = Date.now() - statSync(file).mtimeMs;
  } catch {
    return false; // gone: the next attempt will create it
  }
  // An empty file is a holder between creating and writing it; after a second it is a dead one.
  if (content.trim() === '') return ageMs > 1000;
  return !pidAlive(Number(content.trim())) || ageMs > LOCK_MAX_AGE_MS;
}

/**
 * Moves a stale lock aside and deletes it, unless what was moved is no longer the stale
 * lock that was judged (another process broke it and took a fresh one meanwhile): that
 * one is put back.
 */
function breakStale(file: string, judged: string): void {
  const aside = `${file}.stale.${process.pid}`;
  try {
    renameSync(file, aside);
  } catch {
    return;
  }
  if (readHolder(aside) !== judged) {
    try {
      linkSync(aside, file);
    } catch {
      // a third process holds the lock now; the moved one's owner will find it gone
    }
  }
  unlinkSync(aside);
}

/** Runs `fn` holding the start/stop lock of data directory `dir`. */
export async function withStartLock<T>(dir: string, log: (line: string) => void, fn: () => Promise<T>): Promise<T> {
  const file = join(dir, 'lock');
  const me = `${process.pid}\n`;
  const t0 = Date.now();
  let told = false;
  for (;;) {
    try {
      writeFileSync(file, me, { flag: 'wx' });
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // ENOENT: a first start that failed removed the directory it had created; recreate it.
      if (code === 'ENOENT') {
        mkdirSync(dir, { recursive: true });
        continue;
      }
      if (code !== 'EEXIST') throw err;
    }
    const holder = readHolder(file);
    if (holder === undefined) continue;
    if (isStale(file, holder)) {
      breakStale(file, holder);
      continue;
    }
    if (!told) {
      log(`waiting for another ledger-bench (pid ${holder.trim() || '?'}) to finish starting or stopping the embedded server`);
      told = true;
    }
    if (Date.now() - t0 > LOCK_WAIT_MS) {
      throw new Error(`gave up waiting for the embedded server lock ${file} held by pid ${holder.trim()}; if no ledger-bench runs, delete that file`);
    }
    await sleep(50);
  }
  try {
    return await fn();
  } finally {
    if (readHolder(file) === me) unlinkSync(file);
  }
}

let leaseCount = 0;

/** Records this process as a user of the server in `dir`; returns the lease's file. Call under the lock. */
export function takeLease(dir: string): string {
  const leases = join(dir, 'leases');
  mkdirSync(leases, { recursive: true });
  const file = join(leases, `${process.pid}.${++leaseCount}`);
  writeFileSync(file, `${new Date().toISOString()}\n`);
  return file;
}

/** Drops a lease (missing is fine). */
export function dropLease(file: string): void {
  try {
    unlinkSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/**
 * The pids holding live leases on the server in `dir`, sorted. With `prune`, the
 * leases of dead processes are removed (call under the lock).
 */
export function liveUsers(dir: string, prune = false): number[] {
  let names: string[];
  try {
    names = readdirSync(join(dir, 'leases'));
  } catch {
    return [];
  }
  const pids = new Set<number>();
  for (const name of names) {
    const pid = Number(name.split('.')[0]);
    if (pidAlive(pid)) pids.add(pid);
    else if (prune) dropLease(join(dir, 'leases', name));
  }
  return [...pids].sort((a, b) => a - b);
}

/** Removes every lease (call under the lock, when no server runs). */
export function clearLeases(dir: string): void {
  rmSync(join(dir, 'leases'), { recursive: true, force: true });
}
