/**
 * Everything together, in the only order that works: partition first (the swap
 * drops the old tables, which nothing else may depend on yet), then the indexes
 * (partition-aware), then events (composite foreign key) and both MVs (date-matched
 * joins), then monitoring.
 */
import type { VariantDefinition } from '../src/variant-build/types.js';
import { eventSourcedSteps } from './parts/event-sourced.js';
import { monitoringSteps } from './parts/monitoring.js';
import { mvCurrentSteps } from './parts/mv-current.js';
import { partitionedSteps } from './parts/partitioned.js';
import { reviewIndexSteps } from './parts/review-indexes.js';

export const variant: VariantDefinition = {
  name: 'optimized',
  title: 'All optimizations',
  description: 'partitioned + indexes + event-sourced + matviews + monitoring, applied in that order.',
  order: 50,
  features: [
    'partitioned-journal',
    'partitioned-anchors',
    'compound-indexes',
    'balance-events',
    'mv-optimized',
    'mv-current',
    'monitoring',
  ],
  steps: [...partitionedSteps, ...reviewIndexSteps, ...eventSourcedSteps, ...mvCurrentSteps, ...monitoringSteps],
  materializedViews: [
    { name: 'mv_account_balances_optimized', freshnessColumn: 'last_update' },
    { name: 'mv_account_balances_current', freshnessColumn: 'last_transaction_at' },
  ],
};
