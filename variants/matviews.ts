/** The corrected mv_account_balances_current (review section 1), refreshed CONCURRENTLY during runs. */
import type { VariantDefinition } from '../src/variant-build/types.js';
import { monitoringSteps } from './parts/monitoring.js';
import { mvCurrentSteps } from './parts/mv-current.js';

export const variant: VariantDefinition = {
  name: 'matviews',
  title: 'Materialized balance view',
  description:
    'Adds mv_account_balances_current with the status condition inside the join (accounts with only ' +
    'Draft/Void entries keep balance 0), its three indexes with the review\'s typo fixed, and the ' +
    'monitoring views. During runs the view is refreshed CONCURRENTLY every N seconds and its ' +
    'staleness is measured.',
  order: 20,
  features: ['mv-current', 'monitoring'],
  steps: [...mvCurrentSteps, ...monitoringSteps],
  materializedViews: [{ name: 'mv_account_balances_current', freshnessColumn: 'last_transaction_at' }],
};
