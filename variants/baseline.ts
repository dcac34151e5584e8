/** The baseline variant: the schema exactly as seeded (the review's "current" schema). */
import type { VariantDefinition } from '../src/variant-build/types.js';

export const variant: VariantDefinition = {
  name: 'baseline',
  title: 'Baseline (as seeded)',
  description:
    'The current schema: primary keys, foreign-key indexes, an index on anchor user_address, ' +
    'account_balances kept by triggers, a deferred balanced-entry check and audit triggers. No changes.',
  order: 0,
  features: [],
  steps: [],
};
