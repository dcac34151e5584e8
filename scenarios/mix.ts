/**
 * The default transaction mix, in one place: 70% reads across the query types, 30%
 * writes. Weights are percentages of the offered rate (the engine normalises them).
 *
 * The heavy reports are rare on purpose: at 1,000 TPS, 0.1% is one all-account
 * report per second, which on the baseline aggregates every posted line.
 */
export const DEFAULT_MIX: Readonly<Record<string, number>> = {
  'balance-lookup': 35,
  'journal-entry-search': 10,
  'recent-entries': 6,
  'balance-history': 5,
  'anchor-obligation-summary': 13.9,
  'all-account-balances': 0.1,
  'post-journal-entry': 20,
  'anchor-lifecycle': 10,
};
