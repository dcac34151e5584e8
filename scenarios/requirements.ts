/**
 * The tables and columns each scenario's "before" query (and its parameter draws on an
 * existing database) reads or writes. A database measured as it is (`--target`) must
 * have them all: the schema check names every one missing before anything runs.
 * After-queries are not listed: they run only where the catalog shows their feature.
 */

/** Table -> columns a scenario needs. */
export type TableColumns = Readonly<Record<string, readonly string[]>>;

const ENTRY_COLUMNS = ['id', 'entry_number', 'date', 'source', 'status', 'description', 'created_at', 'posted_at'] as const;

/** What each scenario needs, by name (keep in step with the scenario's SQL). */
export const SCENARIO_REQUIREMENTS: Readonly<Record<string, TableColumns>> = {
  'balance-lookup': { account_balances: ['account_id', 'current_balance'] },
  'journal-entry-search': { journal_entries: ENTRY_COLUMNS },
  'recent-entries': { journal_entries: ENTRY_COLUMNS },
  'balance-history': {
    journal_entry_lines: ['id', 'journal_entry_id', 'account_id', 'line_type', 'amount'],
    journal_entries: ['id', 'date', 'entry_number', 'status'],
  },
  'anchor-obligation-summary': { anchor_authorizations: ['user_address', 'status', 'amount', 'expires_at'] },
  'all-account-balances': {
    accounts: ['id', 'name'],
    journal_entry_lines: ['journal_entry_id', 'account_id', 'line_type', 'amount'],
    journal_entries: ['id', 'status'],
  },
  'post-journal-entry': {
    journal_entries: ['id', 'date', 'source', 'status', 'description', 'posted_at'],
    journal_entry_lines: ['journal_entry_id', 'line_number', 'account_id', 'line_type', 'amount'],
  },
  'anchor-lifecycle': { anchor_authorizations: ['id', 'user_address', 'anchor_type', 'amount', 'status', 'expires_at', 'updated_at'] },
};

/**
 * What drawing parameters from the data always reads (hot accounts, the date range,
 * sources); users are ranked from anchor_authorizations only where it exists.
 */
export const DRAW_REQUIREMENTS: TableColumns = {
  journal_entry_lines: ['account_id'],
  journal_entries: ['date', 'source'],
};

/** The union of the requirements of `scenarios` and of the parameter draws, table by table. */
export function requirementsOf(scenarios: readonly string[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const req of [DRAW_REQUIREMENTS, ...scenarios.map((s) => SCENARIO_REQUIREMENTS[s] ?? {})]) {
    for (const [table, columns] of Object.entries(req)) {
      const set = out.get(table) ?? new Set<string>();
      for (const c of columns) set.add(c);
      out.set(table, set);
    }
  }
  return out;
}
