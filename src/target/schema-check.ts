/**
 * The schema check of an existing database (`--target`), before anything runs: every
 * table and column the chosen scenarios' "before" queries and the parameter draws
 * need (scenarios/requirements.ts). What is missing is bad input, each one named
 * with the scenarios that need it.
 */
import type pg from 'pg';
import { DRAW_REQUIREMENTS, SCENARIO_REQUIREMENTS } from '../../scenarios/requirements.js';

/** Who needs each table's columns: table -> column -> the scenarios (or 'parameter draws'). */
function neededBy(scenarios: readonly string[]): Map<string, Map<string, string[]>> {
  const out = new Map<string, Map<string, string[]>>();
  const add = (who: string, req: Readonly<Record<string, readonly string[]>>) => {
    for (const [table, columns] of Object.entries(req)) {
      const cols = out.get(table) ?? new Map<string, string[]>();
      for (const c of columns) cols.set(c, [...(cols.get(c) ?? []), who]);
      out.set(table, cols);
    }
  };
  add('the parameter draws', DRAW_REQUIREMENTS);
  for (const s of scenarios) add(s, SCENARIO_REQUIREMENTS[s] ?? {});
  return out;
}

const unique = (xs: readonly string[]) => [...new Set(xs)];

/**
 * What the database behind `client` lacks for `scenarios` (tables or views in its
 * search path, and their columns), one problem per missing table or column; empty
 * when nothing is missing. Reads the catalog only.
 */
export async function schemaProblems(client: pg.Client, scenarios: readonly string[], where: string): Promise<string[]> {
  const problems: string[] = [];
  for (const [table, columns] of neededBy(scenarios)) {
    const r = await client.query<{ attname: string }>(
      `SELECT a.attname FROM pg_attribute a WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped`,
      [table],
    );
    const exists = await client.query<{ ok: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS ok`, [table]);
    if (!exists.rows[0]?.ok) {
      const who = unique([...columns.values()].flat());
      problems.push(`${where}: table "${table}" is missing (needed by ${who.join(', ')}: columns ${[...columns.keys()].join(', ')}); measure a database with the ledger's schema, or leave those scenarios out with --mix / --scenarios`);
      continue;
    }
    const have = new Set(r.rows.map((x) => x.attname));
    for (const [column, who] of columns) {
      if (!have.has(column)) problems.push(`${where}: column "${table}.${column}" is missing (needed by ${unique(who).join(', ')}); measure a database with the ledger's schema, or leave those scenarios out`);
    }
  }
  return problems;
}
