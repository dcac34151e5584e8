/**
 * The review's monitoring views (section 6), corrected:
 * - pg_stat_statements has had no total_time/mean_time since PostgreSQL 13; use
 *   total_exec_time/mean_exec_time (and the *_plan_time columns) (trap 12).
 * - pg_stat_user_indexes has relname/indexrelname, not tablename/indexname; the view
 *   keeps the review's output names by aliasing.
 * - pg_stat_statements needs shared_preload_libraries and CREATE EXTENSION; when the
 *   server does not offer it, v_slow_queries is skipped (recorded in the report).
 */
import { extensionAvailable } from '../../src/variant-build/catalog.js';
import type { VariantStep } from '../../src/variant-build/types.js';

/** `v_slow_queries` over pg_stat_statements (PostgreSQL 13+ column names). */
export const SLOW_QUERIES_VIEW = `
CREATE OR REPLACE VIEW v_slow_queries AS
SELECT query,
       calls,
       total_exec_time,
       mean_exec_time,
       total_plan_time,
       mean_plan_time,
       rows,
       100.0 * shared_blks_hit / nullif(shared_blks_hit + shared_blks_read, 0) AS hit_percent
  FROM pg_stat_statements
 WHERE mean_exec_time > 50 -- queries averaging > 50 ms
 ORDER BY mean_exec_time DESC`;

/** `v_index_usage` over pg_stat_user_indexes, with the review's column names as aliases. */
export const INDEX_USAGE_VIEW = `
CREATE OR REPLACE VIEW v_index_usage AS
SELECT schemaname,
       relname      AS tablename,
       indexrelname AS indexname,
       idx_scan,
       idx_tup_read,
       idx_tup_fetch,
       pg_relation_size(indexrelid) AS index_size_bytes
  FROM pg_stat_user_indexes
 ORDER BY idx_scan DESC`;

/** Steps installing both views (v_slow_queries only where pg_stat_statements exists). */
export const monitoringSteps: readonly VariantStep[] = [
  { kind: 'sql', name: 'view v_index_usage', sql: INDEX_USAGE_VIEW },
  {
    kind: 'dynamic',
    name: 'view v_slow_queries',
    async expand(client) {
      if (!(await extensionAvailable(client, 'pg_stat_statements'))) {
        return [{ kind: 'skip', name: 'view v_slow_queries', reason: 'pg_stat_statements is not available on this server' }];
      }
      return [
        { kind: 'sql', name: 'extension pg_stat_statements', sql: 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements' },
        { kind: 'sql', name: 'view v_slow_queries', sql: SLOW_QUERIES_VIEW },
      ];
    },
  },
];
