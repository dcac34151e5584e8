/** Helpers for PostgreSQL connection URLs: switch database, hide secrets. */

/** Returns `url` pointing at database `database` on the same server. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = '/' + encodeURIComponent(database);
  return u.toString();
}

/** The database a URL names (`postgres` when it names none, as libpq does for user postgres). */
export function databaseOf(url: string): string {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.replace(/^\//, ''));
  return name || decodeURIComponent(u.username) || 'postgres';
}

/** The URL with its password (and any password/sslkey query parameter) replaced by `***`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    for (const key of ['password', 'sslpassword', 'sslkey']) {
      if (u.searchParams.has(key)) u.searchParams.set(key, '***');
    }
    return u.toString();
  } catch {
    return '<unparseable URL>';
  }
}

/**
 * Databases a server URL may name: the maintenance databases. ledger-bench creates its
 * own databases beside them, so any other name in a server URL would be ignored.
 */
export const MAINTENANCE_DATABASES: readonly string[] = ['postgres', 'template1'];

/**
 * Why `url` cannot name a server (undefined when it can): it names a database other
 * than a maintenance one, which every command that creates its own databases would
 * silently not measure. `where` names the flag or variable in the message.
 */
export function serverUrlProblem(url: string, where: string): string | undefined {
  let name: string;
  try {
    name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  } catch {
    return undefined; // Reported by the option's own parser.
  }
  if (name === '' || MAINTENANCE_DATABASES.includes(name)) return undefined;
  const asServer = withDatabase(url, 'postgres');
  return (
    `${where} names the database "${name}", but it names a server here: ledger-bench creates its own databases ` +
    `(<prefix>_baseline, one per variant) beside the maintenance database and would not measure "${name}". ` +
    `To measure "${name}" as it is, read-only, use --target ${redactUrl(url)} (run, isolate, capacity; docs/target.md); ` +
    `to use the server, end the URL in /postgres (${redactUrl(asServer)})`
  );
}
