/**
 * pgbench `\set` expressions: integer and double constants, `:variables`, unary minus,
 * + - * / % with the usual precedence, parentheses and function calls. Types follow
 * pgbench: int op int is integer arithmetic (division truncates toward zero, like C),
 * anything with a double is double; `%` needs integers.
 *
 * Expressions are compiled once into closures over a Float64Array of variables, with
 * each value's int/double type resolved at compile time (variable types are fixed by
 * the `\set` that defines them), so evaluation allocates nothing.
 */
import { PgbenchEvalError, randomExponential, randomGaussian, randomUniform, randomZipfian, type Uniform } from './random.js';

/** Syntax errors in a script, with the line they are on. */
export class PgbenchSyntaxError extends Error {
  override name = 'PgbenchSyntaxError';
}

/** A compiled expression: evaluate against variable slots and a uniform source. */
export interface Compiled {
  isInt: boolean;
  fn: (vars: Float64Array, u: Uniform) => number;
}

/** Variable name -> slot and type, shared by all commands of a script. */
export interface VarTable {
  slots: Map<string, { index: number; isInt: boolean }>;
}

type Tok = { k: 'num'; v: number; isInt: boolean } | { k: 'var'; v: string } | { k: 'id'; v: string } | { k: 'op'; v: string };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const num = /^(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?/.exec(src.slice(i));
    if (num) {
      const text = num[0];
      const isInt = !/[.eE]/.test(text);
      out.push({ k: 'num', v: Number(text), isInt });
      i += text.length;
      continue;
    }
    if (c === ':') {
      const m = /^:([A-Za-z0-9_]+)/.exec(src.slice(i));
      if (!m) throw new PgbenchSyntaxError(`unexpected ':' in expression "${src}"`);
      out.push({ k: 'var', v: m[1]! });
      i += m[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) {
      out.push({ k: 'id', v: id[0].toLowerCase() });
      i += id[0].length;
      continue;
    }
    if ('+-*/%(),'.includes(c)) {
      out.push({ k: 'op', v: c });
      i++;
      continue;
    }
    throw new PgbenchSyntaxError(`unexpected character "${c}" in expression "${src}"`);
  }
  return out;
}

const INT = true;

function num(isInt: boolean, fn: Compiled['fn']): Compiled {
  return { isInt, fn };
}

function toInt(x: number): number {
  if (!Number.isFinite(x)) throw new PgbenchEvalError('double to int overflow for ' + x);
  return Math.trunc(x);
}

/** Compiles one expression; `vars` resolves `:name` references. */
export function compileExpression(src: string, vars: VarTable): Compiled {
  const toks = tokenize(src);
  let p = 0;
  const peek = (): Tok | undefined => toks[p];
  const isOp = (v: string): boolean => {
    const t = toks[p];
    return t?.k === 'op' && t.v === v;
  };
  const expectOp = (v: string): void => {
    if (!isOp(v)) throw new PgbenchSyntaxError(`expected "${v}" in expression "${src}"`);
    p++;
  };

  function primary(): Compiled {
    const t = peek();
    if (!t) throw new PgbenchSyntaxError(`unexpected end of expression "${src}"`);
    if (t.k === 'num') {
      p++;
      const v = t.v;
      return num(t.isInt, () => v);
    }
    if (t.k === 'var') {
      p++;
      const slot = vars.slots.get(t.v);
      if (!slot) throw new PgbenchSyntaxError(`undefined variable "${t.v}" in expression "${src}"`);
      const idx = slot.index;
      return num(slot.isInt, (vs) => vs[idx]!);
    }
    if (t.k === 'op' && t.v === '(') {
      p++;
      const e = additive();
      expectOp(')');
      return e;
    }
    if (t.k === 'op' && t.v === '-') {
      p++;
      const e = primary();
      const f = e.fn;
      return num(e.isInt, (vs, u) => -f(vs, u));
    }
    if (t.k === 'op' && t.v === '+') {
      p++;
      return primary();
    }
    if (t.k === 'id') {
      p++;
      const args: Compiled[] = [];
      if (!isOp('(')) {
        if (t.v === 'pi') return num(!INT, () => Math.PI);
        throw new PgbenchSyntaxError(`unexpected identifier "${t.v}" in expression "${src}"`);
      }
      p++;
      if (!isOp(')')) {
        args.push(additive());
        while (isOp(',')) {
          p++;
          args.push(additive());
        }
      }
      expectOp(')');
      return call(t.v, args, src);
    }
    throw new PgbenchSyntaxError(`unexpected "${t.v}" in expression "${src}"`);
  }

  function multiplicative(): Compiled {
    let left = primary();
    while (isOp('*') || isOp('/') || isOp('%')) {
      const op = (toks[p++] as { v: string }).v;
      left = binary(op, left, primary(), src);
    }
    return left;
  }

  function additive(): Compiled {
    let left = multiplicative();
    while (isOp('+') || isOp('-')) {
      const op = (toks[p++] as { v: string }).v;
      left = binary(op, left, multiplicative(), src);
    }
    return left;
  }

  const e = additive();
  if (p !== toks.length) throw new PgbenchSyntaxError(`unexpected "${String(toks[p]?.v)}" in expression "${src}"`);
  return e;
}

function binary(op: string, a: Compiled, b: Compiled, src: string): Compiled {
  const fa = a.fn;
  const fb = b.fn;
  const isInt = a.isInt && b.isInt;
  switch (op) {
    case '+':
      return num(isInt, (v, u) => fa(v, u) + fb(v, u));
    case '-':
      return num(isInt, (v, u) => fa(v, u) - fb(v, u));
    case '*':
      return num(isInt, (v, u) => fa(v, u) * fb(v, u));
    case '/':
      if (isInt)
        return num(INT, (v, u) => {
          const x = fa(v, u);
          const y = fb(v, u);
          if (y === 0) throw new PgbenchEvalError('division by zero');
          return Math.trunc(x / y);
        });
      return num(!INT, (v, u) => {
        const y = fb(v, u);
        const x = fa(v, u);
        if (y === 0) throw new PgbenchEvalError('division by zero');
        return x / y;
      });
    case '%':
      if (!isInt) throw new PgbenchSyntaxError(`"%" needs integer operands in expression "${src}"`);
      return num(INT, (v, u) => {
        const x = fa(v, u);
        const y = fb(v, u);
        if (y === 0) throw new PgbenchEvalError('division by zero');
        return x % y; // JS % takes the dividend's sign, like C.
      });
  }
  throw new PgbenchSyntaxError(`unknown operator ${op}`);
}

function call(name: string, args: Compiled[], src: string): Compiled {
  const arity = (n: number): void => {
    if (args.length !== n) throw new PgbenchSyntaxError(`${name}() takes ${n} arguments in expression "${src}"`);
  };
  const f = args.map((a) => a.fn);
  const [f0, f1, f2] = [f[0]!, f[1]!, f[2]!];
  const intArgs = (n: number): void => {
    for (let i = 0; i < n; i++) if (!args[i]!.isInt) throw new PgbenchSyntaxError(`${name}() needs integer bounds in expression "${src}"`);
  };
  switch (name) {
    case 'random':
      arity(2);
      intArgs(2);
      return num(INT, (v, u) => randomUniform(u, f0(v, u), f1(v, u)));
    case 'random_exponential':
      arity(3);
      intArgs(2);
      return num(INT, (v, u) => randomExponential(u, f0(v, u), f1(v, u), f2(v, u)));
    case 'random_gaussian':
      arity(3);
      intArgs(2);
      return num(INT, (v, u) => randomGaussian(u, f0(v, u), f1(v, u), f2(v, u)));
    case 'random_zipfian':
      arity(3);
      intArgs(2);
      return num(INT, (v, u) => randomZipfian(u, f0(v, u), f1(v, u), f2(v, u)));
    case 'abs':
      arity(1);
      return num(args[0]!.isInt, (v, u) => Math.abs(f0(v, u)));
    case 'int':
      arity(1);
      return num(INT, (v, u) => toInt(f0(v, u)));
    case 'double':
      arity(1);
      return num(!INT, (v, u) => f0(v, u));
    case 'sqrt':
      arity(1);
      return num(!INT, (v, u) => Math.sqrt(f0(v, u)));
    case 'pi':
      arity(0);
      return num(!INT, () => Math.PI);
    case 'mod':
      arity(2);
      return binary('%', args[0]!, args[1]!, src);
    case 'least':
    case 'greatest': {
      if (args.length < 1) throw new PgbenchSyntaxError(`${name}() needs arguments in expression "${src}"`);
      const pick = name === 'least' ? Math.min : Math.max;
      return num(
        args.every((a) => a.isInt),
        (v, u) => {
          let r = f0(v, u);
          for (let i = 1; i < f.length; i++) r = pick(r, f[i]!(v, u));
          return r;
        },
      );
    }
  }
  throw new PgbenchSyntaxError(`unsupported function ${name}() in expression "${src}"`);
}
