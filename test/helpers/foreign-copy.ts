/**
 * A database ledger-bench did not create, as a `--target` meets it: the fixture ledger
 * seeded in a scratch database, dumped and restored under another name with the
 * PostgreSQL major's own pg_dump/pg_restore, its harness marks removed (no
 * "ledger-bench:owned" comment, no ledger_bench_meta table). The scratch source is
 * dropped; `drop()` removes the copy.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { withDatabase } from '../../src/db/connection-url.js';
import { databaseState, dropOwnedDatabase, quoteIdent, recreateOwnedDatabase, withAdminClient } from '../../src/db/ownership.js';
import { buildFixtureBaseline } from './fixture.js';

/** An unmarked copy of the fixture on `serverUrl` (a server of PostgreSQL `major`, whose tools are in /usr/lib/postgresql/<major>/bin). */
export async function foreignFixtureCopy(serverUrl: string, major: number, o: { entries?: number; name?: string } = {}): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const hex = randomBytes(3).toString('hex');
  const source = `ledger_bench_t_src_${hex}`;
  const name = o.name ?? `sovr_staging_${hex}`;
  const sourceUrl = await recreateOwnedDatabase(serverUrl, source, { purpose: 'test' });
  try {
    await buildFixtureBaseline({ url: sourceUrl, entries: o.entries ?? 2000 });
    const bin = `/usr/lib/postgresql/${major}/bin`;
    const dump = execFileSync(`${bin}/pg_dump`, ['--format=custom', '--no-owner', '--dbname', sourceUrl], { maxBuffer: 256 * 2 ** 20 });
    await withAdminClient(serverUrl, (c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
    const url = withDatabase(serverUrl, name);
    execFileSync(`${bin}/pg_restore`, ['--no-owner', '--exit-on-error', '--dbname', url], { input: dump });
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      // The harness's marks go: this database is someone else's now.
      await c.query('DROP TABLE ledger_bench_meta');
      await c.query('ANALYZE');
    } finally {
      await c.end();
    }
    const state = await withAdminClient(serverUrl, (a) => databaseState(a, name));
    if (!state.exists || state.owned) throw new Error(`the copy ${name} must exist unmarked`);
    return {
      name,
      url,
      drop: async () => void (await withAdminClient(serverUrl, (a) => a.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`))),
    };
  } finally {
    await dropOwnedDatabase(serverUrl, source);
  }
}
