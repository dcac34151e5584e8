/** Reads the server facts a result records (version and the settings that shape performance). */
import type pg from 'pg';
import type { ServerInfo } from './types.js';

/** Settings recorded in every result. */
export const RECORDED_SETTINGS = [
  'shared_buffers',
  'work_mem',
  'max_connections',
  'synchronous_commit',
  'jit',
  'effective_cache_size',
  'maintenance_work_mem',
  'fsync',
  'wal_level',
  'max_wal_size',
  'checkpoint_timeout',
  'random_page_cost',
  'effective_io_concurrency',
  'default_transaction_isolation',
  'max_parallel_workers_per_gather',
  'huge_pages',
  'shared_preload_libraries',
] as const;

/** Queries version and settings (with units, as SHOW prints them) over an open client. */
export async function readServerInfo(client: pg.ClientBase): Promise<ServerInfo> {
  const v = await client.query<{ version: string; num: string }>(
    `SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS num`,
  );
  const s = await client.query<{ name: string }>(
    `SELECT name FROM pg_settings WHERE name = ANY($1::text[])`,
    [RECORDED_SETTINGS as unknown as string[]],
  );
  const settings: Record<string, string> = {};
  // current_setting() renders values with units (128MB), which is what people compare.
  for (const { name } of s.rows) {
    const r = await client.query<{ v: string }>(`SELECT current_setting($1) AS v`, [name]);
    settings[name] = r.rows[0]!.v;
  }
  return { version: v.rows[0]!.version, versionNum: Number(v.rows[0]!.num), settings };
}
