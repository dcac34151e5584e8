/**
 * Runs a parsed pgbench script as a `Workload` with one transaction type: one script
 * execution is one transaction, as in pgbench. Variables start fresh for every
 * transaction (built-ins preset), so a script must `\set` what it uses; pgbench keeps
 * a client's variables across transactions, which only matters for scripts that read
 * a variable before setting it in the same run.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { createHash } from 'node:crypto';
import type { Conn, Rng, TransactionType, Workload } from '../types.js';
import { parsePgbenchScript, type ParsedScript } from './script.js';

export interface PgbenchWorkloadOptions {
  /** Transaction type name (default: the script's file name without extension). */
  name?: string;
  /** Value of :scale (pgbench uses 1 for custom scripts unless -s is given). */
  scale?: number;
  /** Extra integer variables (pgbench -D name=value). */
  define?: Record<string, number>;
  /** Value of :random_seed. */
  randomSeed?: number;
}

/** Builds a transaction type from script text. */
export function pgbenchTransaction(source: string, opts: PgbenchWorkloadOptions & { name: string }): TransactionType {
  const defines = opts.define ?? {};
  const parsed: ParsedScript = parsePgbenchScript(source, Object.keys(defines));
  const nvars = parsed.variables.length;
  const initial = new Float64Array(nvars);
  initial[parsed.vars.slots.get('scale')!.index] = opts.scale ?? 1;
  initial[parsed.vars.slots.get('random_seed')!.index] = opts.randomSeed ?? 0;
  for (const [k, v] of Object.entries(defines)) initial[parsed.vars.slots.get(k)!.index] = v;
  const clientSlot = parsed.vars.slots.get('client_id')!.index;
  // Statement names are unique per script text so two scripts never collide on a connection.
  const tag = createHash('sha1').update(source).digest('hex').slice(0, 8);
  const steps = parsed.commands.map((c, i) => ({ ...c, statementName: `pgb_${tag}_${i}` }));

  // The draw function expressions get, made once: a closure per transaction cost ~0.6 us
  // (tsx's keepNames renames each one). `drawing` is the transaction whose expression is
  // being evaluated; evaluation is synchronous, so no other transaction runs meanwhile.
  let drawing: Rng | undefined;
  const u = (): number => drawing!.next();

  const last = steps.length - 1;
  const done: Promise<void> = Promise.resolve();

  /** Set by `advance` when it stops at a sleep: its length in microseconds. */
  let sleepUs = 0;
  /**
   * Runs the steps that need no waiting from steps[i] on (`\set`, zero sleeps) and
   * returns the index of the first one that does: a query, or a sleep (its length in
   * `sleepUs`); last + 1 when the script is over. Both forms below share it.
   */
  const advance = (i: number, vars: Float64Array, rng: Rng): number => {
    drawing = rng;
    for (; i <= last; i++) {
      const s = steps[i]!;
      if (s.kind === 'set') vars[s.slot] = s.expr.fn(vars, u);
      else if (s.kind === 'sleep') {
        const us = s.micros.fn(vars, u);
        if (us > 0) {
          sleepUs = us;
          return i;
        }
      } else return i;
    }
    return i;
  };

  /** The bind values of a query step (a plain loop: `map` would make a closure per query). */
  const valuesOf = (params: readonly number[], vars: Float64Array): number[] | undefined => {
    if (params.length === 0) return undefined;
    const values = new Array<number>(params.length);
    for (let k = 0; k < params.length; k++) values[k] = vars[params[k]!]!;
    return values;
  };

  /**
   * Runs steps[i..] of one transaction. Not an async function: the `\set` steps before a
   * query run synchronously, and the script's last query's promise is handed back as
   * is, so the common script (`\set`s, one query) costs no async frame and no extra
   * promise hop per transaction. Later steps chain on the query's promise.
   */
  const runFrom = (i: number, vars: Float64Array, conn: Conn, rng: Rng): Promise<void> => {
    i = advance(i, vars, rng);
    if (i > last) return done;
    const s = steps[i]!;
    const next = i + 1;
    if (s.kind !== 'sql') return new Promise<void>((r) => setTimeout(r, sleepUs / 1000)).then(() => runFrom(next, vars, conn, rng));
    const q = conn.query(s.text, valuesOf(s.params, vars), s.statementName);
    // The query's result is of no use to a pgbench script: the caller only awaits it.
    if (i === last) return q as unknown as Promise<void>;
    return q.then(() => runFrom(next, vars, conn, rng));
  };

  /**
   * runFrom's callback form, for connections with `send` (the engine's): no promise per
   * query, no row built (a pgbench script reads none). `done` is never called before
   * the call that started the transaction returned (the Conn.send contract), so a
   * failing transaction cannot recurse into the next one.
   */
  const runFromCb = (i: number, vars: Float64Array, conn: Conn, rng: Rng, done: (err: Error | undefined) => void): void => {
    i = advance(i, vars, rng);
    if (i > last) {
      queueMicrotask(() => done(undefined));
      return;
    }
    const s = steps[i]!;
    const next = i + 1;
    if (s.kind !== 'sql') setTimeout(() => guarded(next, vars, conn, rng, done), sleepUs / 1000);
    else if (i === last) conn.send!(s.text, valuesOf(s.params, vars), s.statementName, done);
    else conn.send!(s.text, valuesOf(s.params, vars), s.statementName, (err) => (err ? done(err) : guarded(next, vars, conn, rng, done)));
  };

  /** runFromCb, with a throwing expression reported to `done` (later, never from inside the caller). */
  const guarded = (i: number, vars: Float64Array, conn: Conn, rng: Rng, done: (err: Error | undefined) => void): void => {
    try {
      runFromCb(i, vars, conn, rng, done);
    } catch (err) {
      queueMicrotask(() => done(err instanceof Error ? err : new Error(String(err))));
    }
  };

  const fresh = (conn: Conn): Float64Array => {
    const vars = initial.slice();
    vars[clientSlot] = (conn as { id?: number }).id ?? 0;
    return vars;
  };

  const execute = (conn: Conn, rng: Rng): Promise<void> => {
    // A throwing expression or query call rejects, as it would in an async function.
    try {
      return runFrom(0, fresh(conn), conn, rng);
    } catch (err) {
      return Promise.reject(err);
    }
  };

  return {
    name: opts.name,
    weight: 1,
    execute,
    start(conn: Conn, rng: Rng, done: (err: Error | undefined) => void): void {
      if (conn.send === undefined) {
        execute(conn, rng).then(
          () => done(undefined),
          (err: unknown) => done(err instanceof Error ? err : new Error(String(err))),
        );
        return;
      }
      guarded(0, fresh(conn), conn, rng, done);
    },
  };
}

/** Reads a pgbench script file and returns it as a workload. */
export async function pgbenchWorkload(path: string, opts: PgbenchWorkloadOptions = {}): Promise<Workload> {
  const source = await readFile(path, 'utf8');
  const name = opts.name ?? basename(path).replace(/\.[^.]*$/, '');
  return { transactions: [pgbenchTransaction(source, { ...opts, name })] };
}
