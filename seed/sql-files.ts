/** Reads the baseline schema SQL files (phase 1, 2, 3) that sit next to the seeder. */
import { readFile } from 'node:fs/promises';

/** The baseline schema phases: 1 bare tables, 2 keys and indexes, 3 triggers. */
export const BASELINE_SQL = {
  tables: '01-tables.sql',
  keys: '02-keys-and-indexes.sql',
  triggers: '03-triggers.sql',
} as const;

/** Text of one baseline SQL file. */
export function baselineSql(file: (typeof BASELINE_SQL)[keyof typeof BASELINE_SQL]): Promise<string> {
  return readFile(new URL(`./sql/baseline/${file}`, import.meta.url), 'utf8');
}

/** One "-- group: name [after a, b]" section of a phase file. */
export interface SqlGroup {
  name: string;
  after: string[];
  sql: string;
}

/**
 * Splits a phase file at its `-- group: <name> [after <name>, ...]` lines (text before
 * the first marker is a prologue and must hold no statements).
 */
export function sqlGroups(text: string): SqlGroup[] {
  const groups: SqlGroup[] = [];
  for (const line of text.split('\n')) {
    const m = /^-- group: (\S+)(?: after (.+))?$/.exec(line.trim());
    if (m) groups.push({ name: m[1]!, after: m[2] ? m[2].split(',').map((s) => s.trim()) : [], sql: '' });
    else if (groups.length) groups[groups.length - 1]!.sql += line + '\n';
    else if (line.trim() && !line.trim().startsWith('--')) throw new Error(`statement before the first "-- group:" line: ${line}`);
  }
  const names = new Set(groups.map((g) => g.name));
  for (const g of groups) for (const a of g.after) if (!names.has(a)) throw new Error(`group ${g.name} is after unknown group ${a}`);
  return groups;
}
