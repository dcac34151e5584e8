/** Names of the databases the harness owns on a server. */

/** `<prefix>_<name>`, e.g. ledger_bench_baseline. */
export function ownedDatabaseName(prefix: string, name: string): string {
  return `${prefix}_${name.replace(/-/g, '_')}`;
}

/** The seeded database every variant is cloned from. */
export function baselineDatabaseName(prefix: string): string {
  return ownedDatabaseName(prefix, 'baseline');
}
