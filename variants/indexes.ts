/** The review's compound and partial indexes (section 3), built CONCURRENTLY, plus the monitoring views. */
import type { VariantDefinition } from '../src/variant-build/types.js';
import { monitoringSteps } from './parts/monitoring.js';
import { reviewIndexSteps } from './parts/review-indexes.js';

export const variant: VariantDefinition = {
  name: 'indexes',
  title: 'Compound + partial indexes',
  description:
    'Adds the six indexes of review section 3 (journal date+source+status partial on Posted, lines ' +
    'account+type+entry, anchors user+status+expires, events type+system+time, posted-date partial, ' +
    'active-anchor partial) with CREATE INDEX CONCURRENTLY, and the monitoring views of section 6.',
  order: 10,
  features: ['compound-indexes', 'monitoring'],
  steps: [...reviewIndexSteps, ...monitoringSteps],
};
