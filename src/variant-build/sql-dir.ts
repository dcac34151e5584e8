/**
 * Variants written as plain SQL (`--variants-dir DIR`): every `DIR/<name>.sql` is a
 * variant called `<name>`, built like the built-in ones (a TEMPLATE clone of the
 * baseline, per-step times, index sizes). Each statement is one step: statements
 * containing CONCURRENTLY run outside a transaction (PostgreSQL refuses them inside
 * one), every other statement in its own transaction. If one fails, the migration
 * drops the clone, so no half-built variant is left behind.
 *
 * Such a variant declares no features, so scenarios run the baseline's queries on it:
 * exactly right for an index-only change.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.js';
import { splitSqlStatements } from './sql-split.js';
import type { SqlStep, VariantDefinition } from './types.js';

/** Allowed variant names: they become database names and CLI arguments. */
const NAME = /^[a-z][a-z0-9-]{0,39}$/;

/** `CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] name ON [ONLY] table`, plain identifiers only. */
const CREATE_INDEX = /^create\s+(?:unique\s+)?index\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?([a-z_][a-z0-9_$]*)\s+on\s+(?:only\s+)?([a-z_][a-z0-9_$.]*)/i;

/** The steps of one SQL file: one per statement (see the module comment). */
export function sqlFileSteps(file: string, script: string): SqlStep[] {
  return splitSqlStatements(script).map(({ sql, line }) => {
    const concurrently = /\bconcurrently\b/i.test(sql);
    const index = CREATE_INDEX.exec(sql.replace(/^(\s*(--[^\n]*\n|\/\*[\s\S]*?\*\/))*\s*/, ''));
    const head = sql.replace(/\s+/g, ' ').slice(0, 60);
    return {
      kind: 'sql',
      name: `${file}:${line} ${head}${head.length < sql.replace(/\s+/g, ' ').length ? '...' : ''}`,
      sql,
      ...(concurrently ? { transaction: false } : {}),
      ...(index ? { createsIndex: { index: (index[1] as string).toLowerCase(), table: (index[2] as string).toLowerCase() } } : {}),
    };
  });
}

/**
 * Reads every `*.sql` file of `dir` as a variant (sorted by name). Every problem (a
 * missing directory, a bad name, a name in `taken` such as a built-in variant's, an
 * empty or unparseable file) is reported at once as a {@link UserError}.
 */
export async function loadSqlDirVariants(dir: string, taken: readonly string[], flag = '--variants-dir'): Promise<VariantDefinition[]> {
  const abs = path.resolve(dir);
  const isDir = await stat(abs).then((s) => s.isDirectory(), () => false);
  if (!isDir) throw new UserError(`${flag}: ${dir} is not a directory (give a folder holding one <name>.sql file per variant)`);
  const files = (await readdir(abs)).filter((f) => f.endsWith('.sql')).sort();
  const problems: string[] = [];
  if (files.length === 0) problems.push(`${flag}: ${dir} holds no .sql file (each <name>.sql there is a variant)`);
  const found: VariantDefinition[] = [];
  for (const file of files) {
    const name = file.slice(0, -'.sql'.length);
    const where = path.join(dir, file);
    if (!NAME.test(name) || name === 'all') {
      problems.push(
        `${flag}: ${where}: "${name}" is not a valid variant name (the file name minus .sql: lower-case letters, digits and hyphens, ` +
          `starting with a letter, at most 40 characters, not "all"); rename the file, e.g. to my-index.sql`,
      );
      continue;
    }
    if (taken.includes(name)) {
      problems.push(`${flag}: ${where} would replace the built-in variant "${name}"; rename the file (taken names: ${taken.join(', ')})`);
      continue;
    }
    let steps: SqlStep[];
    try {
      steps = sqlFileSteps(file, await readFile(path.join(abs, file), 'utf8'));
    } catch (err) {
      problems.push(`${flag}: ${where}: ${(err as Error).message}`);
      continue;
    }
    if (steps.length === 0) {
      problems.push(`${flag}: ${where} holds no SQL statement; write the migration there, e.g. CREATE INDEX ...;`);
      continue;
    }
    found.push({
      name,
      title: `${name} (${where})`,
      description: `SQL from ${where}, applied to a clone of the baseline; no features, so scenarios run the baseline's queries.`,
      order: 1000,
      features: [],
      steps,
      origin: `--variants-dir ${where}`,
    });
  }
  if (problems.length) throw new UserError(problems);
  return found;
}
