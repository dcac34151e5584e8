/** Hashes of a seeded database's tables, row by row in a stable order (seed determinism tests). */
import pg from 'pg';

/** Table -> ORDER BY of a stable row order for hashing. */
export const SEEDED_TABLES: Readonly<Record<string, string>> = {
  accounts: 'id',
  journal_entries: 'entry_number',
  journal_entry_lines: 'id',
  account_balances: 'account_id',
  anchor_authorizations: 'id',
  event_correlations: 'id',
  audit_log: 'id',
  ledger_bench_meta: 'key',
};

/** md5 of every table's rows as text; the session settings that shape row text are fixed. */
export async function tableHashes(url: string, tables: readonly string[] = Object.keys(SEEDED_TABLES)): Promise<Record<string, string>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET extra_float_digits = 1`);
    const out: Record<string, string> = {};
    for (const t of tables) {
      const r = await c.query<{ h: string }>(`SELECT md5(string_agg(x::text, E'\\n' ORDER BY x.${SEEDED_TABLES[t]})) AS h FROM ${t} x`);
      out[t] = r.rows[0]!.h;
    }
    return out;
  } finally {
    await c.end();
  }
}
