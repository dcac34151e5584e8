/**
 * The typed shape of a scenario: one kind of query or write the review talks about,
 * with its SQL "before" (what the baseline does, per the review) and "after" (what
 * a variant offers), parameter generators, how to compare answers, and the review's
 * latency claim where it makes one.
 */
import type { Feature } from '../src/variant-build/types.js';
import type { Conn, Rng } from '../src/workload/types.js';
import type { ScenarioContext } from './context.js';
import type { Claim } from '../src/result/comparison.js';

/** A result row as node-postgres returns it (verify reads dates/timestamps as text). */
export type Row = Record<string, unknown>;

/** One SQL statement of a read scenario. */
export interface ReadQuery<P> {
  /** Short label, unique within the scenario; part of the prepared-statement name. */
  label: string;
  /** Features the variant must offer for this query to run there (none for `before`). */
  requires: readonly Feature[];
  sql: string;
  /** Bind values, in $n order. */
  values(params: P): unknown[];
  /** Why this query looks the way it does (shown in docs). */
  note?: string;
}

/** How the equivalence oracle compares a before-answer with an after-answer. */
export interface CompareSpec {
  /** true when row order is part of the query's contract (ORDER BY on a unique key). */
  ordered: boolean;
  /** Maps raw rows to the comparable form (e.g. "no row" means balance 0). */
  normalize?(rows: Row[]): Row[];
}

/** A read scenario: same question, different SQL per variant. */
export interface ReadScenario<P = unknown> {
  kind: 'read';
  name: string;
  title: string;
  description: string;
  /** Draws one parameter set (seeded; accounts/users via the seeder's Zipf). */
  params(rng: Rng, ctx: ScenarioContext): P;
  before: ReadQuery<P>;
  /** After-queries in order of preference; the first whose features a variant has wins. */
  after: readonly ReadQuery<P>[];
  compare: CompareSpec;
  claim?: Claim;
  /** The review's own "after" SQL when it is not equivalent to "before" (kept for docs/tests). */
  reviewAfterSql?: string;
}

/** A write scenario: one transaction, shaped per variant by its features. */
export interface WriteScenario {
  kind: 'write';
  name: string;
  title: string;
  description: string;
  /** Runs one transaction. Must be safe to re-run after a rollback (the engine retries 40001/40P01). */
  execute(conn: Conn, rng: Rng, ctx: ScenarioContext): Promise<void>;
  claim?: Claim;
}

/** Any scenario. */
export type ScenarioDefinition = ReadScenario<any> | WriteScenario; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Identity helper that type-checks a read scenario against its own parameter type. */
export function defineRead<P>(s: ReadScenario<P>): ReadScenario<P> {
  return s;
}
