/** All scenarios, by name. Static imports: the set is part of the code, not discovered at run time. */
import { scenario as allAccountBalances } from './all-account-balances.js';
import { scenario as anchorLifecycle } from './anchor-lifecycle.js';
import { scenario as anchorObligationSummary } from './anchor-obligation-summary.js';
import { scenario as balanceHistory } from './balance-history.js';
import { scenario as balanceLookup } from './balance-lookup.js';
import { scenario as journalEntrySearch } from './journal-entry-search.js';
import { scenario as postJournalEntry } from './post-journal-entry.js';
import { scenario as recentEntries } from './recent-entries.js';
import type { Feature } from '../src/variant-build/types.js';
import type { ReadQuery, ReadScenario, ScenarioDefinition } from './types.js';
import { UserError } from '../src/errors.js';

/** Every scenario, reads first. */
export const SCENARIOS: readonly ScenarioDefinition[] = [
  balanceLookup,
  journalEntrySearch,
  recentEntries,
  balanceHistory,
  anchorObligationSummary,
  allAccountBalances,
  postJournalEntry,
  anchorLifecycle,
];

/** The scenario called `name`, or a UserError naming the known ones. */
export function getScenario(name: string): ScenarioDefinition {
  const s = SCENARIOS.find((x) => x.name === name);
  if (!s) throw new UserError(`unknown scenario "${name}": known scenarios are ${SCENARIOS.map((x) => x.name).join(', ')}`);
  return s;
}

/** The read scenarios. */
export function readScenarios(): ReadScenario<unknown>[] {
  return SCENARIOS.filter((s): s is ReadScenario<unknown> => s.kind === 'read');
}

/**
 * The query a read scenario runs on a variant with `features`: `before` always runs
 * the baseline's SQL; `after` runs the first after-query the variant supports, or
 * the baseline's SQL when it supports none.
 */
export function queryFor<P>(scenario: ReadScenario<P>, features: readonly Feature[], side: 'before' | 'after'): ReadQuery<P> {
  if (side === 'before') return scenario.before;
  return scenario.after.find((q) => q.requires.every((f) => features.includes(f))) ?? scenario.before;
}
