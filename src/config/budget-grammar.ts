/**
 * Budgets in k6's threshold grammar: `p(95)<50`, `avg<20`, `rate>=0.99`, `errors<0.001`.
 * Pure parsing, no I/O: every bad expression is reported at once, each naming the
 * scenario key it was given for, so the CLI can turn the list into one UserError.
 *
 * Grammar (whitespace around the parts is allowed):
 *
 *     budget := metric op number
 *     metric := "p(" N ")" | "avg" | "min" | "max" | "med" | "rate" | "errors"    (0 < N <= 100)
 *     op     := "<" | "<=" | ">" | ">=" | "==" | "!="
 *
 * A list item may carry a scenario prefix, `journal-entry-search:p(99)<120`; without
 * one it applies to every scenario (key `*`).
 */

/** What a budget measures (latencies in ms; `rate` = achieved / target; `errors` = failed / finished). */
export type BudgetMetric = 'p' | 'avg' | 'min' | 'max' | 'med' | 'rate' | 'errors';

/** Comparison operators k6 accepts. */
export type BudgetOp = '<' | '<=' | '>' | '>=' | '==' | '!=';

/** One parsed budget expression. */
export interface Budget {
  /** The expression as normalised text, e.g. `p(95)<50`. */
  expr: string;
  metric: BudgetMetric;
  /** For `p(N)`: N. */
  percentile?: number;
  op: BudgetOp;
  threshold: number;
}

/** Budgets by scenario name; `*` applies to every scenario. */
export type BudgetSet = Record<string, Budget[]>;

/** Key of the budgets that apply to every scenario. */
export const ALL_SCENARIOS = '*';

const METRICS = ['p(N)', 'avg', 'min', 'max', 'med', 'rate', 'errors'];
const RE = /^(p\(\s*([^)]*)\s*\)|[a-z_][a-z0-9_]*)\s*(<=|>=|==|!=|<|>|=)?\s*(.*)$/i;

/** Parses one expression (no scenario prefix); returns the budget or what is wrong with it. */
export function parseBudget(text: string): Budget | { problem: string } {
  const src = text.trim();
  const shown = JSON.stringify(text);
  const m = RE.exec(src);
  if (!src || !m) return { problem: `${shown} is not a budget; expected METRIC OP NUMBER such as p(95)<50` };
  const [, head, pct, op, num] = m as unknown as [string, string, string | undefined, string | undefined, string];
  let metric: BudgetMetric;
  let percentile: number | undefined;
  if (pct !== undefined) {
    percentile = Number(pct);
    if (pct.trim() === '' || !Number.isFinite(percentile) || percentile <= 0 || percentile > 100) {
      return { problem: `${shown}: the percentile in p(N) must be a number above 0 and at most 100, e.g. p(95) or p(99.9)` };
    }
    metric = 'p';
  } else {
    const name = head.toLowerCase();
    if (!['avg', 'min', 'max', 'med', 'rate', 'errors'].includes(name)) {
      return { problem: `${shown}: unknown metric "${head}"; expected one of ${METRICS.join(', ')}` };
    }
    metric = name as BudgetMetric;
  }
  if (!op) return { problem: `${shown}: missing comparison after the metric; expected one of < <= > >= == !=, e.g. ${head}<50` };
  if (op === '=') return { problem: `${shown}: "=" is not an operator; use == (or <=, >=)` };
  const value = num.trim();
  if (!/^-?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(value)) {
    return { problem: `${shown}: expected a number after ${op}, got ${JSON.stringify(value)} (plain milliseconds or a ratio, no units)` };
  }
  const threshold = Number(value);
  return { expr: `${metric === 'p' ? `p(${percentile})` : metric}${op}${threshold}`, metric, ...(percentile !== undefined ? { percentile } : {}), op: op as BudgetOp, threshold };
}

function isBudget(x: Budget | { problem: string }): x is Budget {
  return !('problem' in x);
}

/** Splits `[scenario:]expr` (the prefix is a scenario name: letters, digits, `-`, `_`, `.`, or `*`). */
function splitPrefix(item: string): { scenario: string; expr: string } {
  const m = /^\s*([A-Za-z0-9_.*-]+)\s*:(.*)$/.exec(item);
  return m ? { scenario: m[1]!, expr: m[2]! } : { scenario: ALL_SCENARIOS, expr: item };
}

function addItems(out: BudgetSet, problems: string[], scenario: string | undefined, items: unknown, where: string): void {
  const list = typeof items === 'string' ? items.split(',') : Array.isArray(items) ? items : [items];
  for (const item of list) {
    if (typeof item !== 'string') {
      problems.push(`${where}expected budget strings such as "p(95)<50", got ${JSON.stringify(item)}`);
      continue;
    }
    // A comma-separated string may contain several items; an array item is one expression each, but may still be prefixed.
    for (const part of typeof items === 'string' ? [item] : item.split(',')) {
      if (part.trim() === '') continue;
      const { scenario: prefixed, expr } = scenario === undefined ? splitPrefix(part) : { scenario, expr: part };
      const b = parseBudget(expr);
      if (!isBudget(b)) {
        // An object key already names the scenario in `where`.
        problems.push(`${where}${prefixed === ALL_SCENARIOS || scenario !== undefined ? '' : `scenario "${prefixed}": `}${b.problem}`);
        continue;
      }
      (out[prefixed] ??= []).push(b);
    }
  }
}

/**
 * Parses budgets as flags, env or the config file give them: a string (comma-separated
 * items, each `[scenario:]expr`), an array of such strings (a repeated flag), or an
 * object `{"*": [...], "<scenario>": [...]}`. Returns the set or every problem found.
 */
export function parseBudgetSpec(raw: unknown): { ok: true; value: BudgetSet } | { ok: false; problems: string[] } {
  const out: BudgetSet = {};
  const problems: string[] = [];
  if (raw === undefined || raw === null || raw === '') return { ok: true, value: out };
  if (typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [scenario, items] of Object.entries(raw as Record<string, unknown>)) {
      if (!/^[A-Za-z0-9_.*-]+$/.test(scenario)) {
        problems.push(`key ${JSON.stringify(scenario)} is not a scenario name or "*"`);
        continue;
      }
      if (items !== undefined && typeof items !== 'string' && !Array.isArray(items)) {
        problems.push(`"${scenario}": expected a list of budget strings such as ["p(95)<50"], got ${JSON.stringify(items)}`);
        continue;
      }
      // An item already holding a budget object (a config recorded in a result) is re-read from its text.
      const texts = Array.isArray(items) ? items.map((x) => (x && typeof x === 'object' && 'expr' in x ? (x as Budget).expr : x)) : items;
      addItems(out, problems, scenario, texts, `"${scenario}": `);
    }
  } else {
    addItems(out, problems, undefined, raw, '');
  }
  return problems.length ? { ok: false, problems } : { ok: true, value: out };
}

/** Budgets as text, `scenario:expr` (prefix omitted for `*`), in set order. */
export function formatBudgetSet(set: BudgetSet): string[] {
  return Object.entries(set).flatMap(([s, list]) => list.map((b) => (s === ALL_SCENARIOS ? b.expr : `${s}:${b.expr}`)));
}
