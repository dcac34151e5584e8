/**
 * The review's compound and partial indexes (section 3), as partition-aware
 * concurrent builds: on a partitioned table each becomes ON ONLY parent + one
 * concurrent build per partition + ATTACH (trap 7).
 */
import { partitionAwareIndex, type IndexSpec } from '../../src/variant-build/partition-aware-index.js';
import type { VariantStep } from '../../src/variant-build/types.js';

/** The six indexes, verbatim from the review apart from the build method (also what `--target` looks for). */
export const REVIEW_INDEXES: readonly IndexSpec[] = [
  // "date + source + status (most common filter)", only Posted entries.
  {
    name: 'idx_journal_entries_date_source_status',
    table: 'journal_entries',
    definition: `(date, source, status) WHERE status = 'Posted'`,
  },
  // "account + type + journal_id (balance calculations)".
  {
    name: 'idx_journal_lines_account_type_journal',
    table: 'journal_entry_lines',
    definition: `(account_id, line_type, journal_entry_id)`,
  },
  // "user + status + expires_at (cleanup queries)".
  {
    name: 'idx_anchor_auth_user_status_expires',
    table: 'anchor_authorizations',
    definition: `(user_address, status, expires_at)`,
  },
  // "event_type + source_system (audit queries)".
  {
    name: 'idx_event_correlations_type_system_time',
    table: 'event_correlations',
    definition: `(event_type, source_system, created_at)`,
  },
  // "Only index posted journal entries (90% of queries)".
  {
    name: 'idx_journal_entries_posted_date',
    table: 'journal_entries',
    definition: `(date) WHERE status = 'Posted'`,
  },
  // "Only index active anchor authorizations".
  {
    name: 'idx_anchor_auth_active_user',
    table: 'anchor_authorizations',
    definition: `(user_address) WHERE status IN ('AUTHORIZED', 'PENDING')`,
  },
];

/** The six indexes' build steps. */
export const reviewIndexSteps: readonly VariantStep[] = REVIEW_INDEXES.map((spec) => partitionAwareIndex(spec));
