/**
 * A harness table recording every materialized-view refresh during a run, so the
 * staleness of MV-served balances under write load is measured, not assumed (trap 9).
 * Written by the refresher (src/variant-build/mv-refresh.ts), read by compare/verify.
 */
import type { VariantStep } from '../../src/variant-build/types.js';

/** DDL of `ledger_bench_mv_refresh_log` (idempotent: several variants include it). */
export const REFRESH_LOG_DDL = `
CREATE TABLE IF NOT EXISTS ledger_bench_mv_refresh_log (
    id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    view_name               text        NOT NULL,
    started_at              timestamptz NOT NULL,
    ended_at                timestamptz NOT NULL,
    duration_ms             double precision NOT NULL,
    -- newest posting time the view reflects after this refresh (max of its freshness column)
    newest_reflected_at     timestamptz,
    -- ... and before it (what readers saw until this refresh finished)
    previous_reflected_at   timestamptz,
    -- time since the previous refresh of this view finished (null for the first)
    since_previous_ms       double precision
)`;

/** The step creating the log table. */
export const refreshLogSteps: readonly VariantStep[] = [
  { kind: 'sql', name: 'table ledger_bench_mv_refresh_log', sql: REFRESH_LOG_DDL },
];
