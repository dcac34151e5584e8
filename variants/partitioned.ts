/** journal_entries range-partitioned by month, anchor_authorizations list-partitioned by status (review section 2). */
import type { VariantDefinition } from '../src/variant-build/types.js';
import { monitoringSteps } from './parts/monitoring.js';
import { partitionedSteps } from './parts/partitioned.js';

export const variant: VariantDefinition = {
  name: 'partitioned',
  title: 'Partitioned tables',
  description:
    'Rebuilds journal_entries as monthly range partitions (PK (id, date), DEFAULT partition, partitions ' +
    '3 months ahead), journal_entry_lines with journal_entry_date for the composite foreign key, and ' +
    'anchor_authorizations as active/completed list partitions (PK (id, status)), by create + copy + swap; ' +
    'triggers made partition-aware; secondary indexes via ON ONLY + concurrent per-partition builds + ATTACH.',
  order: 40,
  features: ['partitioned-journal', 'partitioned-anchors', 'monitoring'],
  steps: [...partitionedSteps, ...monitoringSteps],
};
