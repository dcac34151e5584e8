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
