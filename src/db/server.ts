/**
 * Chooses the database backend for a command: `url` when a database URL is given
 * (flag or env), a container with `--db container`, otherwise the embedded server.
 * All hand back a server-level URL (maintenance database) on which the harness creates its own databases.
 */
import pg from 'pg';
import { UserError } from '../errors.js';
import { redactUrl, serverUrlProblem } from './connection-url.js';
import { startEmbedded } from './embedded.js';
import { acquireContainer } from './container.js';
import { DEFAULTS } from '../config/defaults.js';
import { probeServer, type ServerHandle } from './server-probe.js';

/** The settings that choose the server (db and containerImage default to embedded / postgres:18). */
export interface ServerSettings {
  databaseUrl: string;
  dataDir: string;
  db?: 'embedded' | 'container' | 'url';
  containerImage?: string;
}

/** How a command uses the URL of {@link acquireServer}. */
export interface AcquireOptions {
  /**
   * The command works in the database the URL names (`run --sql-file`), as documented;
   * otherwise the URL names a server and a database path other than a maintenance
   * database is bad input (it would be silently ignored).
   */
  databaseFromUrl?: boolean;
}

/** Acquires the server named by the settings, starting the embedded one if needed. */
export async function acquireServer(s: ServerSettings, log: (line: string) => void, where = '--database-url', opts: AcquireOptions = {}): Promise<ServerHandle> {
  if (s.db === 'container') return acquireContainer(s.containerImage ?? DEFAULTS.containerImage, s.databaseUrl, log);
  if (s.db === 'url' && !s.databaseUrl) throw new UserError('--db url needs --database-url (or DATABASE_URL): the server to use.');
  if (s.databaseUrl) {
    // Before connecting: a URL naming a database it would not use is refused, nothing touched.
    const problem = opts.databaseFromUrl ? undefined : serverUrlProblem(s.databaseUrl, `${where} (or DATABASE_URL)`);
    if (problem) throw new UserError(problem);
    const info = await probeServer(s.databaseUrl, where);
    return { kind: 'url', url: s.databaseUrl, label: `PostgreSQL ${info.version} at ${redactUrl(s.databaseUrl)}`, ...info, release: async () => {} };
  }
  const t0 = performance.now();
  const h = await startEmbedded({ dataDir: s.dataDir, mode: 'ephemeral', log });
  let info: { version: string; versionNum: number };
  try {
    info = await probeServer(h.url, 'embedded server');
  } catch (err) {
    await h.release();
    throw err;
  }
  const how = h.startedHere ? `started in ${((performance.now() - t0) / 1000).toFixed(1)} s` : 'already running';
  log(`embedded PostgreSQL ${info.version} ${how} at ${h.url} (data ${h.dataDir})`);
  if (h.startedHere) {
    log(`  settings: ${Object.entries(h.settings).filter(([k]) => k !== 'port' && k !== 'unix_socket_directories').map(([k, v]) => `${k}=${v.replace(/'/g, '')}`).join(' ')}`);
  }
  return {
    kind: 'embedded',
    url: h.url,
    label: `embedded PostgreSQL ${info.version} at ${h.url}`,
    ...info,
    release: async () => {
      const o = await h.release();
      if (o.stopped) log('embedded PostgreSQL stopped');
      else if (o.users.length > 0) log(`embedded PostgreSQL left running: still used by pid ${o.users.join(', ')}`);
    },
  };
}
