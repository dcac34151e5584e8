/** Event-sourced balances (review section 4): append-only events, an MV over them, get_account_balance_fast(). */
import type { VariantDefinition } from '../src/variant-build/types.js';
import { eventSourcedSteps } from './parts/event-sourced.js';
import { monitoringSteps } from './parts/monitoring.js';

export const variant: VariantDefinition = {
  name: 'event-sourced',
  title: 'Event-sourced balances',
  description:
    'Replaces the account_balances triggers with triggers appending to account_balance_events ' +
    '(backfilled from the posted lines), adds mv_account_balances_optimized (with the unique index ' +
    'REFRESH CONCURRENTLY needs) and get_account_balance_fast(); account_balances becomes a live view ' +
    'over the events.',
  order: 30,
  features: ['balance-events', 'mv-optimized', 'monitoring'],
  steps: [...eventSourcedSteps, ...monitoringSteps],
  materializedViews: [{ name: 'mv_account_balances_optimized', freshnessColumn: 'last_update' }],
};
