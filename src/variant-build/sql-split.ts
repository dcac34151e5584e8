/**
 * Splits a PostgreSQL script into statements at top-level semicolons, the way psql
 * does: a semicolon inside a string ('...', E'...' with backslash escapes), a quoted
 * identifier ("..."), a dollar-quoted body ($$...$$, $tag$...$tag$), a line comment
 * (-- ...) or a block comment (nested /* ... *\/) does not end a statement.
 */

/** One statement and the 1-based line it starts on (for error messages). */
export interface SqlStatement {
  sql: string;
  line: number;
}

/**
 * The statements of `script`, trimmed, without their terminating semicolon;
 * statements that are only whitespace and comments are left out.
 * Throws when a string, identifier, dollar quote or comment is never closed.
 */
export function splitSqlStatements(script: string): SqlStatement[] {
  const out: SqlStatement[] = [];
  let i = 0;
  /** Where the current statement's first code (not comment) character is, -1 before it. */
  let codeStart = -1;
  const lineAt = (pos: number) => script.slice(0, pos).split('\n').length;
  const push = (end: number) => {
    if (codeStart >= 0) out.push({ sql: script.slice(codeStart, end).trim(), line: lineAt(codeStart) });
    codeStart = -1;
  };
  const unclosed = (what: string, at: number): never => {
    throw new Error(`${what} opened on line ${lineAt(at)} is never closed`);
  };
  while (i < script.length) {
    const c = script[i] as string;
    const next = script[i + 1];
    if (c === '-' && next === '-') {
      const nl = script.indexOf('\n', i);
      i = nl === -1 ? script.length : nl + 1;
      continue;
    }
    if (c === '/' && next === '*') {
      let depth = 1;
      let j = i + 2;
      while (depth > 0) {
        if (j >= script.length) unclosed('block comment', i);
        if (script[j] === '/' && script[j + 1] === '*') (depth++, (j += 2));
        else if (script[j] === '*' && script[j + 1] === '/') (depth--, (j += 2));
        else j++;
      }
      i = j;
      continue;
    }
    if (c === ';') {
      push(i);
      i++;
      continue;
    }
    if (codeStart < 0 && !/\s/.test(c)) codeStart = i;
    if (c === "'" || c === '"') {
      // E'...' strings take backslash escapes; a doubled quote is a quote in all of them.
      const escapes = c === "'" && i > 0 && /[eE]/.test(script[i - 1] as string) && !/[\w$]/.test(script[i - 2] ?? ' ');
      let j = i + 1;
      for (;;) {
        if (j >= script.length) unclosed(c === "'" ? 'string' : 'quoted identifier', i);
        const d = script[j];
        if (escapes && d === '\\') j += 2;
        else if (d === c && script[j + 1] === c) j += 2;
        else if (d === c) break;
        else j++;
      }
      i = j + 1;
      continue;
    }
    if (c === '$' && !/[\w$]/.test(script[i - 1] ?? ' ')) {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(script.slice(i));
      if (m) {
        const tag = m[0];
        const end = script.indexOf(tag, i + tag.length);
        if (end === -1) unclosed(`dollar quote ${tag}`, i);
        i = end + tag.length;
        continue;
      }
    }
    i++;
  }
  push(script.length);
  return out;
}
