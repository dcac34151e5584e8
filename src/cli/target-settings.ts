/**
 * `--target` and `--allow-writes` across run, isolate and capacity: what cannot go with
 * them (checked with the other settings, no database touched), and opening the target
 * once the settings are good (src/target/session.ts).
 */
import type { Source } from '../config/load.js';
import { UserError } from '../errors.js';
import type { TargetSession } from '../target/session.js';
import { parseMix } from './parse-lists.js';

/** The settings every command with --target has. */
export interface TargetSettings {
  target: string;
  allowWrites: boolean;
  databaseUrl: string;
  db?: 'embedded' | 'container' | 'url';
}

/**
 * Problems of --target / --allow-writes with the other settings. `scenarios` are those
 * the command would run (null: its default, which on a target is always allowed).
 * `excluded` names the command's own flags that mean nothing on a target (flag -> why).
 */
export async function targetProblems(
  s: TargetSettings,
  sources: Partial<Record<string, Source>>,
  scenarios: readonly string[] | null,
  where: string,
  excluded: Readonly<Record<string, string>> = {},
): Promise<string[]> {
  if (!s.target) return s.allowWrites ? ['--allow-writes applies to --target only (ledger-bench\'s own databases are clones it may write to); drop it, or add --target URL'] : [];
  const problems: string[] = [];
  if (sources.databaseUrl === 'flag') problems.push('--target and --database-url exclude each other: --target names the database and its server; drop --database-url');
  if (s.db === 'container') problems.push('--target and --db container exclude each other: the target is the database measured; drop --db');
  for (const [flag, why] of Object.entries(excluded)) problems.push(`--target and ${flag} exclude each other: ${why}`);
  if (scenarios) {
    const { targetScenarioProblems } = await import('../target/target-mix.js');
    problems.push(...targetScenarioProblems(scenarios, s.allowWrites, where));
  }
  return problems;
}

/** The scenarios with a positive weight of a `--mix` text (null when empty: the default mix; [] when it does not parse, reported elsewhere). */
export async function mixScenarios(mix: string): Promise<string[] | null> {
  if (!mix) return null;
  const { SCENARIOS } = await import('../../scenarios/registry.js');
  try {
    return Object.entries(parseMix(mix, SCENARIOS.map((x) => x.name))).filter(([, w]) => w > 0).map(([n]) => n);
  } catch (err) {
    if (err instanceof UserError) return [];
    throw err;
  }
}

/** Opens the target for `mix` (default: its reads, plus tagged writes with --allow-writes) and logs what it found. */
export async function openTargetJob(s: TargetSettings & { mix: string }, log: (line: string) => void): Promise<TargetSession> {
  const { SCENARIOS } = await import('../../scenarios/registry.js');
  const { defaultTargetMix } = await import('../target/target-mix.js');
  const { openTarget } = await import('../target/session.js');
  const mix = s.mix ? parseMix(s.mix, SCENARIOS.map((x) => x.name)) : defaultTargetMix(s.allowWrites);
  // A --database-url flag is refused (targetProblems); one from the environment is left unused, and said so.
  if (s.databaseUrl) log('--target: DATABASE_URL (environment) is not used: the target names the database and its server');
  const t = await openTarget({ url: s.target, mix, allowWrites: s.allowWrites });
  for (const line of t.summary()) log(line);
  return t;
}

/** The warnings a run on the target left in its result (too many empty answers), to log. */
export function targetWarnings(result: import('../result/types.js').RunResult): string[] {
  return (result.targetDatabase?.zeroRowWarnings ?? []).map((w) => `warning: ${w}`);
}

/**
 * What isolate and capacity start from on a target: one "variant", `target` (the
 * database as it is), the mix, the budgets, and the opened target whose hooks replace
 * building and cloning. `mix` is the mix text (capacity) or the scenarios each at
 * weight 1 (isolate).
 */
export async function openTargetVariantsJob(
  s: TargetSettings & { budgets: import('../config/budget-grammar.js').BudgetSet; budgetMs: number; budgetVariants: string },
  mix: string,
  log: (line: string) => void,
  src?: import('./commands/compare.js').BudgetSources,
): Promise<{ names: string[]; mix: Record<string, number>; budgets: import('../config/budget-grammar.js').BudgetSet; url: string; target: TargetSession }> {
  const { compareBudgets } = await import('./commands/compare.js');
  const { budgets, problems } = await compareBudgets(s, [TARGET_VARIANT], src);
  if (problems.length) throw new UserError(problems);
  const target = await openTargetJob({ ...s, mix }, log);
  return { names: [TARGET_VARIANT], mix: target.mix, budgets, url: target.url, target };
}

/** The variant name runs on a target are recorded under (result `variant`, file names, report columns). */
export const TARGET_VARIANT = 'target';
