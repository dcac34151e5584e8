/**
 * Test access to a real PostgreSQL server. `npm test` (test/run.ts) starts the
 * embedded server once and exports DATABASE_URL to every test file; with
 * DATABASE_URL already set it uses that server instead (any PostgreSQL 13+).
 */
import { randomBytes } from 'node:crypto';
import { dropOwnedDatabase, recreateOwnedDatabase } from '../../src/db/ownership.js';

/** The server-level URL (maintenance database) tests run against. */
export function serverUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run tests with `npm test`, which starts an embedded PostgreSQL');
  return url;
}

/** A unique, harness-marked scratch database; call `drop()` when done. */
export async function scratchDatabase(label = 'test'): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `ledger_bench_t_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(3).toString('hex')}`;
  const url = await recreateOwnedDatabase(serverUrl(), name, { purpose: 'test' });
  return { name, url, drop: async () => void (await dropOwnedDatabase(serverUrl(), name)) };
}
