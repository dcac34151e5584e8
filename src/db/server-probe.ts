/**
 * What every backend hands back (a server handle) and the one check of a server before
 * use: reachable, and PostgreSQL 13 or newer. server.ts (which backend) and container.ts
 * (one of them) both need it; living here, neither imports the other back.
 */
import { UserError } from '../errors.js';
import { newClient } from './client.js';
import { redactUrl } from './connection-url.js';

/** An acquired server; `release()` ends this command's use (the embedded one stops with its last user). */
export interface ServerHandle {
  kind: 'embedded' | 'url' | 'container';
  url: string;
  /** For humans: version and where it runs (no secrets). */
  label: string;
  version: string;
  versionNum: number;
  release(): Promise<void>;
}

/** The oldest server the harness supports (pg_stat_statements *_exec_time, WITH (FORCE), gen_random_uuid). */
export const MIN_SERVER_VERSION_NUM = 130000;

/** Connects once to check reachability and version; user-facing errors for bad URLs. */
export async function probeServer(url: string, where: string): Promise<{ version: string; versionNum: number }> {
  const client = newClient({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UserError(
      `${where}: cannot connect to ${redactUrl(url)} (${e.code ?? ''} ${e.message}). ` +
        `Check host, port, user and password, and that the server is running; or omit it to use the embedded server.`,
    );
  }
  try {
    const r = await client.query<{ v: string; n: string }>(`SELECT current_setting('server_version') AS v, current_setting('server_version_num') AS n`);
    const version = r.rows[0]!.v;
    const versionNum = Number(r.rows[0]!.n);
    if (versionNum < MIN_SERVER_VERSION_NUM) {
      throw new UserError(`${where}: ${redactUrl(url)} runs PostgreSQL ${version}; ledger-bench needs 13 or newer. Point it at a newer server.`);
    }
    return { version, versionNum };
  } finally {
    await client.end().catch(() => {});
  }
}
