/**
 * The gate's absolute budgets (pure): each budget is judged, three-valued, on the pooled
 * base AND on the pooled head, and only a NEW violation fails the gate: decided fail on
 * the head where the base decidedly passed. A pull request is judged on what it changes,
 * not on a query that was over budget before it (docs/gate.md, "Absolute budgets").
 *
 * Standing of one budget check, from (base verdict, head verdict):
 * - `pass`: the head passes (whatever the base did).
 * - `new`: head fail, base pass. Fails the gate.
 * - `shared`: head fail, base fail or inconclusive: a violation the base already had (or
 *   may have had). Reported, not failed unless `failShared`. With the base decidedly over
 *   budget the scenario is **floor-bound** for this gate: over budget without the change.
 * - `undecided`: head inconclusive, base pass: possibly new. Under `--inconclusive pass`
 *   reported only. Under `fail` (the default) it fails the gate unless the per-block
 *   comparison of that scenario was judged and does not find the head slower (its ratio
 *   interval reaches down to 1 or below): an A/A gate where a query's p95 sits just under
 *   the budget sees "base pass, head inconclusive" in up to a quarter of its runs by
 *   chance, and a gate that fails on that is switched off. The per-block comparison is
 *   exact and Bonferroni-split, so this keeps the A/A false-alarm rate at the relative
 *   part's own (one-sided, under 0.05 / (2k) per scenario).
 * - `inconclusive`: head inconclusive, base not a pass: nothing new is shown. Reported.
 */
import type { BudgetCheck, InconclusivePolicy } from '../budgets/evaluate.js';

/** Where one budget check stands between base and head. */
export type BudgetStanding = 'pass' | 'new' | 'shared' | 'undecided' | 'inconclusive';

/** One budget on one scenario, judged on both sides. */
export interface GateBudgetCheck {
  scenario: string;
  expr: string;
  /** The check on the pooled head. */
  head: BudgetCheck;
  /** The same check on the pooled base; absent when the base has no such scenario (counts as not passed). */
  base?: BudgetCheck;
  standing: BudgetStanding;
  /** The base is decidedly over this budget: the scenario is at its floor for this gate. */
  floorBound: boolean;
  /** Whether this check fails the gate. */
  blocking: boolean;
  /** Why an `undecided` check does or does not fail the gate. */
  note?: string;
}

/** The gate's budget findings. */
export interface GateBudgets {
  /** False when the gate judged nothing (a partial run, an interruption). */
  judged: boolean;
  policy: InconclusivePolicy;
  /** `--fail-shared-budgets`: shared violations fail the gate too. */
  failShared: boolean;
  checks: GateBudgetCheck[];
  /** New violations (decided fail on the head where the base passed). */
  failed: GateBudgetCheck[];
  /** Violations base and head share (head decided fail, base not a pass). */
  shared: GateBudgetCheck[];
  /** Head inconclusive (standing `undecided` or `inconclusive`). */
  inconclusive: GateBudgetCheck[];
  /** The checks that fail the gate. */
  blocking: GateBudgetCheck[];
  /** Per standing: pass, fail (= new), inconclusive (head undecided), shared; floorBound among shared. */
  counts: { pass: number; fail: number; inconclusive: number; shared: number; floorBound: number };
}

/** Per-block evidence about a scenario: was the head shown slower than the base? undefined = not judged. */
export type SlowerEvidence = (scenario: string) => boolean | undefined;

/** Options of {@link judgeGateBudgets}. */
export interface GateBudgetOptions {
  policy: InconclusivePolicy;
  failShared: boolean;
  /** From the per-block ratios (judge.ts): true when the ratio interval lies above 1. */
  slower: SlowerEvidence;
}

const key = (c: Pick<BudgetCheck, 'scenario' | 'expr'>): string => `${c.scenario}\u0000${c.expr}`;

/** Where a check stands, from the base's and the head's verdicts. */
export function budgetStanding(base: BudgetCheck['verdict'] | undefined, head: BudgetCheck['verdict']): BudgetStanding {
  if (head === 'pass') return 'pass';
  if (head === 'fail') return base === 'pass' ? 'new' : 'shared';
  return base === 'pass' ? 'undecided' : 'inconclusive';
}

/** Pairs the base's and the head's checks (by scenario and expression) and decides which fail the gate. */
export function judgeGateBudgets(baseChecks: readonly BudgetCheck[], headChecks: readonly BudgetCheck[], o: GateBudgetOptions, judged = true): GateBudgets {
  const bases = new Map(baseChecks.map((c) => [key(c), c]));
  const checks: GateBudgetCheck[] = (judged ? headChecks : []).map((head) => {
    const base = bases.get(key(head));
    const standing = budgetStanding(base?.verdict, head.verdict);
    let blocking = standing === 'new' || (standing === 'shared' && o.failShared);
    let note: string | undefined;
    if (standing === 'undecided') {
      const slower = o.slower(head.scenario);
      if (o.policy === 'pass') note = 'undecided on the head where the base passed: counted as pass (--inconclusive pass)';
      else if (slower === false) note = 'undecided on the head where the base passed, but the per-block comparison does not find the head slower: not failed';
      else {
        blocking = true;
        note =
          slower === true
            ? 'undecided on the head where the base passed, and the head is significantly slower per block: fails (--inconclusive fail)'
            : 'undecided on the head where the base passed, and the scenario could not be compared per block: fails (--inconclusive fail)';
      }
    }
    return { scenario: head.scenario, expr: head.expr, head, ...(base ? { base } : {}), standing, floorBound: standing === 'shared' && base?.verdict === 'fail', blocking, ...(note ? { note } : {}) };
  });
  const of = (...s: BudgetStanding[]): GateBudgetCheck[] => checks.filter((c) => s.includes(c.standing));
  const shared = of('shared');
  return {
    judged,
    policy: o.policy,
    failShared: o.failShared,
    checks,
    failed: of('new'),
    shared,
    inconclusive: of('undecided', 'inconclusive'),
    blocking: checks.filter((c) => c.blocking),
    counts: { pass: of('pass').length, fail: of('new').length, inconclusive: of('undecided', 'inconclusive').length, shared: shared.length, floorBound: shared.filter((c) => c.floorBound).length },
  };
}
