/**
 * Which scenarios may run on an existing database (`--target`): the read scenarios;
 * post-journal-entry only with --allow-writes (it inserts new, tagged entries);
 * anchor-lifecycle never, since it advances authorizations that are not its own.
 * Pure: checked with the other settings, before any server is touched.
 */
import { DEFAULT_MIX } from '../../scenarios/mix.js';
import { getScenario } from '../../scenarios/registry.js';

/** Write scenarios a target allows with --allow-writes: they only insert rows they tag. */
export const TARGET_WRITE_SCENARIOS: readonly string[] = ['post-journal-entry'];

/** The default mix on a target: the standard mix's reads, plus its tagged writes with --allow-writes. */
export function defaultTargetMix(allowWrites: boolean): Record<string, number> {
  return Object.fromEntries(
    Object.entries(DEFAULT_MIX).filter(([name]) => getScenario(name).kind === 'read' || (allowWrites && TARGET_WRITE_SCENARIOS.includes(name))),
  );
}

/** Problems of running `scenarios` (those with a positive weight) on a target; `where` names the flag that chose them. */
export function targetScenarioProblems(scenarios: readonly string[], allowWrites: boolean, where: string): string[] {
  const problems: string[] = [];
  for (const name of scenarios) {
    if (getScenario(name).kind === 'read') continue;
    if (!TARGET_WRITE_SCENARIOS.includes(name)) {
      problems.push(`${where}: ${name} cannot run on a --target: it updates existing rows (other authorizations than its own); leave it out`);
    } else if (!allowWrites) {
      problems.push(`${where}: ${name} writes (it inserts journal entries) and a --target is measured read-only; add --allow-writes to let it insert tagged entries there, or leave it out`);
    }
  }
  return problems;
}
