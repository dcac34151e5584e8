/**
 * A private embedded PostgreSQL server for fault tests (kill, restart): the suite's
 * shared server (DATABASE_URL) must never be stopped, so these tests start their own,
 * with its own data directory, and drive it with pg_ctl.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reachableBinaries } from '../../src/db/embedded-binaries.js';
import { startEmbedded, stopEmbedded } from '../../src/db/embedded.js';
import { serverUser } from '../../src/db/os-user.js';

export interface PrivateServer {
  url: string;
  /** pg_ctl stop -m immediate: the server is gone at once (a crash, from the client's view). */
  kill(): void;
  /** pg_ctl restart -m fast: backends terminated, server back on the same port. */
  restart(): void;
  /** Stops it (if running) and removes its data. */
  destroy(): Promise<void>;
}

export async function startPrivateServer(log: (line: string) => void = () => undefined): Promise<PrivateServer> {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'lb-private-pg-')), 'pg');
  const h = await startEmbedded({ dataDir, mode: 'ephemeral', log });
  const pgdata = join(h.dataDir, 'data');
  const runAs = serverUser();
  // The binaries the server runs from: a copy beside the data when the server user
  // cannot reach node_modules (root in a 0700 clone), as the server itself uses.
  const bins = reachableBinaries(runAs, h.dataDir);
  const pgCtl = (args: string[]): void => {
    const r = spawnSync(bins.pgCtl, [...args, '-D', pgdata], {
      ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
      env: { ...process.env, LC_ALL: 'C' },
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`pg_ctl ${args.join(' ')} failed (${r.error?.message ?? r.status}): ${r.stderr || r.stdout}`);
  };
  return {
    url: h.url,
    kill: () => pgCtl(['stop', '-m', 'immediate', '-w']),
    restart: () => pgCtl(['restart', '-m', 'fast', '-w', '-t', '60', '-l', join(h.dataDir, 'server.log')]),
    destroy: async () => {
      await stopEmbedded(dataDir).catch(() => false);
      rmSync(join(dataDir, '..'), { recursive: true, force: true });
      rmSync(join(h.dataDir, '..'), { recursive: true, force: true });
    },
  };
}
