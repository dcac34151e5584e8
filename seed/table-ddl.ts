/**
 * The baseline's CREATE TABLE statements (seed/sql/baseline/01-tables.sql) as column
 * lists, so variants that rebuild a table (the partitioned one) derive its DDL from
 * the baseline's instead of restating it: same columns, same order, same types,
 * defaults and CHECKs, with only the changes the variant needs (a replaced column, an
 * added column after a named one, a table constraint, a PARTITION BY clause).
 * The file stays the one place the columns are written; it is parsed, never rewritten.
 */
import { readFileSync } from 'node:fs';
import { BASELINE_SQL } from './sql-files.js';

/** One column: its name and its definition as written (with any comment lines above it, without the separating comma). */
export interface ColumnDdl {
  name: string;
  text: string;
}

/** One CREATE TABLE statement of the baseline, split into its columns. */
export interface TableDdl {
  name: string;
  /** The statement exactly as it stands in the file (from `CREATE` to `;`). */
  statement: string;
  columns: readonly ColumnDdl[];
}

/** Words that open a table constraint, not a column: the baseline file has none, and the parser refuses them. */
const TABLE_CONSTRAINT = /^(CONSTRAINT|PRIMARY|UNIQUE|CHECK|FOREIGN|EXCLUDE|LIKE)$/i;

/**
 * Splits every `CREATE TABLE name (\n ... \n);` of `sql` into columns. A column starts
 * at a line indented by exactly four spaces; deeper lines continue it; `--` lines
 * belong to the column below them. Anything else is an error (the caller's file changed
 * shape and the derived DDL would be wrong).
 */
export function parseCreateTables(sql: string): Map<string, TableDdl> {
  const tables = new Map<string, TableDdl>();
  for (const m of sql.matchAll(/^CREATE TABLE (\w+) \(\n([\s\S]*?)\n\);$/gm)) {
    const name = m[1]!;
    const columns: ColumnDdl[] = [];
    let comments: string[] = [];
    for (const line of m[2]!.split('\n')) {
      const start = /^ {4}(\w+)\s/.exec(line);
      if (line.trim().startsWith('--')) comments.push(line);
      else if (start) {
        if (TABLE_CONSTRAINT.test(start[1]!)) throw new Error(`${name}: table constraints are not supported by the column template: ${line.trim()}`);
        columns.push({ name: start[1]!, text: [...comments, line].join('\n') });
        comments = [];
      } else if (/^ {5,}\S/.test(line) && columns.length && !comments.length) columns[columns.length - 1]!.text += '\n' + line;
      else throw new Error(`${name}: cannot read this line of the CREATE TABLE: ${JSON.stringify(line)}`);
    }
    if (comments.length) throw new Error(`${name}: comment after the last column`);
    for (const c of columns.slice(0, -1)) {
      if (!c.text.endsWith(',')) throw new Error(`${name}.${c.name}: expected a comma at the end of the column`);
      c.text = c.text.slice(0, -1);
    }
    tables.set(name, { name, statement: m[0], columns });
  }
  return tables;
}

/** Changes to a baseline table's DDL for {@link deriveCreateTable}. */
export interface TableChanges {
  /** Columns whose definition is replaced (full text, e.g. `    entry_number bigint NOT NULL DEFAULT ...`). */
  replace?: Record<string, string>;
  /** Columns inserted right after the named column (full text). */
  after?: Record<string, string>;
  /** Table constraints appended after the columns (full text). */
  constraints?: string[];
  /** Text after the closing parenthesis, e.g. ` PARTITION BY RANGE (date)`. */
  suffix?: string;
}

/** Renders `CREATE TABLE` from columns: with no changes, the baseline statement byte for byte. */
export function renderCreateTable(name: string, items: readonly string[], suffix = ''): string {
  return `CREATE TABLE ${name} (\n${items.join(',\n')}\n)${suffix};`;
}

/** The baseline's `table` with `changes` applied; an unknown column name is an error. */
export function deriveCreateTable(table: TableDdl, changes: TableChanges = {}): string {
  const known = new Set(table.columns.map((c) => c.name));
  for (const n of [...Object.keys(changes.replace ?? {}), ...Object.keys(changes.after ?? {})]) {
    if (!known.has(n)) throw new Error(`${table.name} has no column ${n}`);
  }
  const items: string[] = [];
  for (const c of table.columns) {
    items.push(changes.replace?.[c.name] ?? c.text);
    const added = changes.after?.[c.name];
    if (added) items.push(added);
  }
  items.push(...(changes.constraints ?? []));
  return renderCreateTable(table.name, items, changes.suffix);
}

let cached: Map<string, TableDdl> | undefined;

/** The baseline's tables (01-tables.sql, read once). */
export function baselineTables(): Map<string, TableDdl> {
  cached ??= parseCreateTables(readFileSync(new URL(`./sql/baseline/${BASELINE_SQL.tables}`, import.meta.url), 'utf8'));
  return cached;
}

/** One baseline table by name (throws if the file has no such table). */
export function baselineTable(name: string): TableDdl {
  const t = baselineTables().get(name);
  if (!t) throw new Error(`${BASELINE_SQL.tables} has no CREATE TABLE ${name}`);
  return t;
}
