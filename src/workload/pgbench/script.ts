/**
 * Parser for pgbench custom scripts (`pgbench -f file`): meta-commands `\set` and
 * `\sleep`, and SQL statements that may span lines and end with `;`. `:name` in SQL
 * becomes a bind parameter ($1, $2, ... in order of first use), exactly what
 * `pgbench -M prepared` sends. `::` (casts) and text inside quotes, dollar quotes and
 * comments are left alone.
 */
import { compileExpression, PgbenchSyntaxError, type Compiled, type VarTable } from './expr.js';

export type ScriptCommand =
  | { kind: 'set'; line: number; name: string; slot: number; expr: Compiled; source: string }
  | { kind: 'sleep'; line: number; micros: Compiled; source: string }
  | { kind: 'sql'; line: number; text: string; params: number[]; paramNames: string[]; source: string };

export interface ParsedScript {
  commands: ScriptCommand[];
  /** Variable names by slot. */
  variables: string[];
  vars: VarTable;
}

/** Built-in variables pgbench defines for every client. */
export const BUILTIN_VARIABLES = ['scale', 'client_id', 'random_seed'] as const;

const SLEEP_UNITS: Record<string, number> = { us: 1, ms: 1000, s: 1_000_000 };

/** Parses a script. `predefined` are extra integer variables (like `pgbench -D name=value`). */
export function parsePgbenchScript(source: string, predefined: readonly string[] = []): ParsedScript {
  const vars: VarTable = { slots: new Map() };
  const variables: string[] = [];
  const define = (name: string, isInt: boolean): number => {
    const existing = vars.slots.get(name);
    if (existing) {
      // A re-\set may change the type; later references see the new type.
      existing.isInt = existing.isInt && isInt;
      return existing.index;
    }
    vars.slots.set(name, { index: variables.length, isInt });
    variables.push(name);
    return variables.length - 1;
  };
  for (const b of BUILTIN_VARIABLES) define(b, true);
  for (const d of predefined) define(d, true);

  const commands: ScriptCommand[] = [];
  const lines = source.split(/\r?\n/);
  let sql = '';
  let sqlLine = 0;
  // Lexer state that survives line ends inside an SQL statement.
  let state: 'code' | 'squote' | 'dquote' | 'block' | 'dollar' = 'code';
  let dollarTag = '';

  const flushSql = (text: string, line: number): void => {
    const trimmed = text.trim();
    if (trimmed) commands.push(sqlCommand(trimmed, line, vars));
  };

  for (let ln = 0; ln < lines.length; ln++) {
    let line = lines[ln]!;
    const lineNo = ln + 1;
    if (state === 'code' && sql.trim() === '' && /^\s*\\/.test(line)) {
      // Meta-command; a trailing backslash continues it on the next line.
      while (/\\\s*$/.test(line) && ln + 1 < lines.length) line = line.replace(/\\\s*$/, ' ') + lines[++ln]!;
      commands.push(metaCommand(line.trim(), lineNo, vars, define));
      continue;
    }
    if (sql.trim() === '') sqlLine = lineNo;
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      const next = line[i + 1];
      if (state === 'code') {
        if (c === '-' && next === '-') break; // comment to end of line
        if (c === '/' && next === '*') {
          state = 'block';
          i++;
          continue;
        }
        if (c === "'") state = 'squote';
        else if (c === '"') state = 'dquote';
        else if (c === '$') {
          const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(line.slice(i));
          if (m) {
            state = 'dollar';
            dollarTag = m[0];
            sql += m[0];
            i += m[0].length - 1;
            continue;
          }
        } else if (c === ';') {
          flushSql(sql, sqlLine);
          sql = '';
          sqlLine = lineNo;
          continue;
        }
        sql += c;
      } else if (state === 'squote') {
        sql += c;
        if (c === "'") state = 'code';
      } else if (state === 'dquote') {
        sql += c;
        if (c === '"') state = 'code';
      } else if (state === 'block') {
        if (c === '*' && next === '/') {
          state = 'code';
          i++;
        }
      } else {
        if (line.startsWith(dollarTag, i)) {
          sql += dollarTag;
          i += dollarTag.length - 1;
          state = 'code';
          continue;
        }
        sql += c;
      }
    }
    if (sql.trim() !== '') sql += '\n';
  }
  if (state !== 'code' && state !== 'block') throw new PgbenchSyntaxError(`unterminated quoted string in statement starting at line ${sqlLine}`);
  // pgbench also accepts a last statement without ';'.
  flushSql(sql, sqlLine);
  if (!commands.some((c) => c.kind === 'sql')) throw new PgbenchSyntaxError('script contains no SQL statement');
  return { commands, variables, vars };
}

function metaCommand(line: string, lineNo: number, vars: VarTable, define: (name: string, isInt: boolean) => number): ScriptCommand {
  const m = /^\\(\w+)\s*(.*)$/.exec(line);
  if (!m) throw new PgbenchSyntaxError(`line ${lineNo}: invalid meta-command "${line}"`);
  const [, cmd, rest] = m as unknown as [string, string, string];
  const where = (e: unknown): never => {
    throw new PgbenchSyntaxError(`line ${lineNo}: ${e instanceof Error ? e.message : String(e)}`);
  };
  switch (cmd.toLowerCase()) {
    case 'set': {
      const sm = /^([A-Za-z0-9_]+)\s+(.+)$/.exec(rest.trim());
      if (!sm) return where(`\\set needs a variable name and an expression: "${line}"`);
      let expr: Compiled;
      try {
        expr = compileExpression(sm[2]!, vars);
      } catch (e) {
        return where(e);
      }
      const slot = define(sm[1]!, expr.isInt);
      return { kind: 'set', line: lineNo, name: sm[1]!, slot, expr, source: line };
    }
    case 'sleep': {
      const sm = /^(\S+)\s*(us|ms|s)?\s*$/i.exec(rest.trim());
      if (!sm) return where(`\\sleep needs a number or :variable and an optional unit (us, ms, s): "${line}"`);
      const factor = SLEEP_UNITS[(sm[2] ?? 's').toLowerCase()]!;
      let amount: Compiled;
      try {
        amount = compileExpression(sm[1]!, vars);
      } catch (e) {
        return where(e);
      }
      const f = amount.fn;
      return { kind: 'sleep', line: lineNo, micros: { isInt: true, fn: (v, u) => f(v, u) * factor }, source: line };
    }
    default:
      return where(`meta-command \\${cmd} is not supported by ledger-bench (supported: \\set, \\sleep)`);
  }
}

/** Turns `:name` references into $n parameters (first use order, repeated names share a number). */
function sqlCommand(text: string, line: number, vars: VarTable): ScriptCommand {
  const paramNames: string[] = [];
  let out = '';
  let state: 'code' | 'squote' | 'dquote' | 'dollar' = 'code';
  let tag = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (state === 'code') {
      if (c === "'") state = 'squote';
      else if (c === '"') state = 'dquote';
      else if (c === '$') {
        const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i));
        if (m) {
          state = 'dollar';
          tag = m[0];
          out += tag;
          i += tag.length - 1;
          continue;
        }
      } else if (c === ':') {
        if (text[i + 1] === ':') {
          out += '::';
          i++;
          continue;
        }
        const m = /^:([A-Za-z0-9_]+)/.exec(text.slice(i));
        if (m && vars.slots.has(m[1]!)) {
          let n = paramNames.indexOf(m[1]!);
          if (n < 0) n = paramNames.push(m[1]!) - 1;
          out += '$' + (n + 1);
          i += m[0].length - 1;
          continue;
        }
        if (m) throw new PgbenchSyntaxError(`line ${line}: undefined variable ":${m[1]}" in SQL`);
      }
    } else if (state === 'squote' && c === "'") state = 'code';
    else if (state === 'dquote' && c === '"') state = 'code';
    else if (state === 'dollar' && text.startsWith(tag, i)) {
      out += tag;
      i += tag.length - 1;
      state = 'code';
      continue;
    }
    out += c;
  }
  return {
    kind: 'sql',
    line,
    text: out,
    paramNames,
    params: paramNames.map((n) => vars.slots.get(n)!.index),
    source: text,
  };
}
