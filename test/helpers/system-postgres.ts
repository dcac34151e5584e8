/**
 * Starts a throwaway cluster of a Debian-installed PostgreSQL major version
 * (/usr/lib/postgresql/<major>/bin), so tests also cover a server that is not
 * the embedded one. Rejects when the binaries are absent.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chownTree, serverUser } from '../../src/db/os-user.js';
import { freePort } from '../../src/db/free-port.js';

/** A running system server. */
export interface SystemServer {
  url: string;
  stop(): Promise<void>;
}

export async function startSystemPostgres(major: number, dir: string, log: (l: string) => void): Promise<SystemServer> {
  const bin = `/usr/lib/postgresql/${major}/bin`;
  if (!existsSync(join(bin, 'pg_ctl'))) throw new Error(`${bin}/pg_ctl not found`);
  const runAs = serverUser();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  if (runAs) chownTree(dir, runAs);
  const opts = { ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}), stdio: 'pipe' as const, env: { ...process.env, LC_ALL: 'C' } };
  const data = join(dir, 'data');
  execFileSync(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C'], opts);
  const port = await freePort();
  const o = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c shared_preload_libraries=pg_stat_statements -c max_connections=100`;
  execFileSync(join(bin, 'pg_ctl'), ['start', '-D', data, '-w', '-l', join(dir, 'server.log'), '-o', o], { ...opts, detached: true } as never);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  log(`PostgreSQL ${major} at ${url}`);
  return {
    url,
    stop: async () => {
      execFileSync(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'fast', '-w'], opts);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
