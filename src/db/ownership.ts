/**
 * Databases the harness creates carry a marker comment. Destructive steps (drop,
 * re-seed, clone over) only touch marked databases unless the user passes --force:
 * ledger-bench must never harm a database it did not create.
 */
import { newClient } from './client.js';
import pg from 'pg';
import { UserError } from '../errors.js';
import { withDatabase } from './connection-url.js';

/** The prefix of the COMMENT ON DATABASE that marks a harness-owned database. */
export const OWNER_MARK = 'ledger-bench:owned';

/** Quotes an SQL identifier. */
export function quoteIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/** Quotes an SQL string literal. */
export function quoteLiteral(value: string): string {
  return "'" + value.replace(/'/g, "''") + "'";
}

/** What the server knows about one database name. */
export type DatabaseState = { exists: false } | { exists: true; owned: boolean; comment: string | null };

/** Runs `fn` with a client connected to the server's maintenance database from `serverUrl`. */
export async function withAdminClient<T>(serverUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = newClient({ connectionString: serverUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Looks up whether `name` exists and whether it carries the harness's mark. */
export async function databaseState(admin: pg.Client, name: string): Promise<DatabaseState> {
  const r = await admin.query<{ comment: string | null }>(
    `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`,
    [name],
  );
  if (r.rowCount === 0) return { exists: false };
  const comment = r.rows[0]!.comment;
  return { exists: true, comment, owned: comment?.startsWith(OWNER_MARK) ?? false };
}

/** Throws a UserError unless `name` is absent, marked, or `force` is set. */
export function assertMayReplace(name: string, state: DatabaseState, force: boolean): void {
  if (!state.exists || state.owned || force) return;
  throw new UserError(
    `database "${name}" exists but was not created by ledger-bench (it has no "${OWNER_MARK}" comment), ` +
      `so it will not be dropped or rewritten. Choose another prefix with --db-prefix, drop it yourself, ` +
      `or pass --force to let ledger-bench replace it.`,
  );
}

/**
 * Drops database `name` if it exists (only when marked, or with `force`) and creates it
 * again, marked, optionally as a copy of `template`. Other sessions connected to a
 * database being dropped are terminated (PostgreSQL 13+ `WITH (FORCE)`).
 */
export async function recreateOwnedDatabase(
  serverUrl: string,
  name: string,
  opts: { force?: boolean; template?: string; purpose?: string } = {},
): Promise<string> {
  return withAdminClient(serverUrl, async (admin) => {
    const state = await databaseState(admin, name);
    assertMayReplace(name, state, opts.force ?? false);
    if (state.exists) await admin.query(`DROP DATABASE ${quoteIdent(name)} WITH (FORCE)`);
    const template = opts.template ? ` TEMPLATE ${quoteIdent(opts.template)}` : '';
    await admin.query(`CREATE DATABASE ${quoteIdent(name)}${template}`);
    const mark = `${OWNER_MARK} ${opts.purpose ?? ''}`.trim();
    await admin.query(`COMMENT ON DATABASE ${quoteIdent(name)} IS ${quoteLiteral(mark)}`);
    return withDatabase(serverUrl, name);
  });
}

/** Drops `name` if it exists and is marked (or `force`); refuses otherwise. */
export async function dropOwnedDatabase(serverUrl: string, name: string, opts: { force?: boolean } = {}): Promise<boolean> {
  return withAdminClient(serverUrl, async (admin) => {
    const state = await databaseState(admin, name);
    if (!state.exists) return false;
    assertMayReplace(name, state, opts.force ?? false);
    await admin.query(`DROP DATABASE ${quoteIdent(name)} WITH (FORCE)`);
    return true;
  });
}

/** Rewrites the mark of an owned database, e.g. once seeding completed (`baseline complete scale=small seed=42`). */
export async function setOwnedDatabasePurpose(serverUrl: string, name: string, purpose: string): Promise<void> {
  await withAdminClient(serverUrl, async (admin) => {
    const state = await databaseState(admin, name);
    if (!state.exists || !state.owned) throw new Error(`database "${name}" is not owned by ledger-bench`);
    await admin.query(`COMMENT ON DATABASE ${quoteIdent(name)} IS ${quoteLiteral(`${OWNER_MARK} ${purpose}`)}`);
  });
}
