/**
 * Refreshing materialized views during a run, and measuring how stale the balances
 * read from them are (field notes traps 8 and 9).
 *
 * Each refresh is REFRESH MATERIALIZED VIEW CONCURRENTLY (readers are not blocked;
 * it needs the unique index on plain columns, re-aggregates all history every time,
 * and only one runs at a time per view). Around it the refresher reads the view's
 * freshness column (newest posting time reflected) and logs one row per refresh to
 * `ledger_bench_mv_refresh_log`, from which {@link measureStaleness} derives:
 *
 * - `maxUnreflectedAgeMs` = end of this refresh - newest posting the view reflected
 *   before it. Every posting after that one stayed invisible to MV readers until this
 *   refresh ended, so this is the worst age of an unreflected posting. It is an upper
 *   bound that is tight under continuous writes (the next posting follows within
 *   1/write-rate); 0 when nothing new was posted.
 * - `freshAgeMs` = end of this refresh - newest posting it reflects: how stale the
 *   view already is the moment a refresh completes (about the refresh duration).
 * - `sincePreviousMs`: the actual refresh period (interval + refresh time).
 */
import { newClient } from '../db/client.js';
import pg from 'pg';
import { quoteIdent } from '../db/ownership.js';
import type { MaterializedViewSpec } from './types.js';

/** One logged refresh. */
export interface RefreshRecord {
  view: string;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  newestReflectedAt: string | null;
  previousReflectedAt: string | null;
  sincePreviousMs: number | null;
  maxUnreflectedAgeMs: number;
  freshAgeMs: number | null;
}

/** Staleness summary of one view over a run. */
export interface StalenessSummary {
  view: string;
  refreshes: number;
  refreshMs: { mean: number; max: number };
  /** Time between consecutive refresh completions. */
  periodMs: { mean: number; max: number } | null;
  /** Worst age of a posting not yet visible in the view, per refresh (see module doc). */
  maxUnreflectedAgeMs: { mean: number; p95: number; max: number };
  freshAgeMs: { mean: number; max: number } | null;
}

/**
 * Refreshes one view concurrently and logs the refresh; returns the logged record.
 *
 * `notBefore` (the refresher's start) clamps the "newest reflected before" time: the
 * seeded history carries synthetic timestamps (up to asOf), so without the clamp the
 * first refresh of a run would report the distance from asOf to the wall clock as
 * staleness. Postings of the run cannot be older than the run.
 */
export async function refreshAndLog(
  client: pg.Client | pg.PoolClient,
  spec: MaterializedViewSpec,
  notBefore?: Date,
): Promise<RefreshRecord> {
  const view = quoteIdent(spec.name);
  const col = quoteIdent(spec.freshnessColumn);
  // greatest() ignores NULLs: with no clamp this is plain max(col).
  const before = await client.query<{ prev: string | null; started: string }>(
    `SELECT greatest(max(${col}), $1::timestamptz)::text AS prev, clock_timestamp()::text AS started FROM ${view}`,
    [notBefore?.toISOString() ?? null],
  );
  const prev = before.rows[0]?.prev ?? null;
  const started = before.rows[0]!.started;
  await client.query(`REFRESH MATERIALIZED VIEW CONCURRENTLY ${view}`);
  const r = await client.query<Record<string, unknown>>(
    `WITH now_ AS (SELECT clock_timestamp() AS ended, (SELECT max(${col}) FROM ${view}) AS newest),
          last_ AS (SELECT max(ended_at) AS last_end FROM ledger_bench_mv_refresh_log WHERE view_name = $1)
     INSERT INTO ledger_bench_mv_refresh_log
            (view_name, started_at, ended_at, duration_ms, newest_reflected_at, previous_reflected_at, since_previous_ms)
     SELECT $1, $2::timestamptz, n.ended, extract(epoch FROM n.ended - $2::timestamptz) * 1000, n.newest, $3::timestamptz,
            extract(epoch FROM n.ended - l.last_end) * 1000
       FROM now_ n, last_ l
     RETURNING *`,
    [spec.name, started, prev],
  );
  return toRecord(r.rows[0]!);
}

function toRecord(row: Record<string, unknown>): RefreshRecord {
  const ts = (v: unknown) => (v == null ? null : v instanceof Date ? v.toISOString() : String(v));
  const ms = (v: unknown) => (v == null ? null : Number(v));
  const ended = Date.parse(ts(row.ended_at)!);
  const newest = ts(row.newest_reflected_at);
  const prev = ts(row.previous_reflected_at);
  const newPostings = newest !== null && (prev === null || Date.parse(newest) > Date.parse(prev));
  return {
    view: String(row.view_name),
    startedAt: ts(row.started_at)!,
    endedAt: ts(row.ended_at)!,
    durationMs: Number(row.duration_ms),
    newestReflectedAt: newest,
    previousReflectedAt: prev,
    sincePreviousMs: ms(row.since_previous_ms),
    maxUnreflectedAgeMs: newPostings && prev !== null ? ended - Date.parse(prev) : 0,
    freshAgeMs: newest === null ? null : ended - Date.parse(newest),
  };
}

/** Reads logged refreshes (optionally only those started at or after `since`). */
export async function readRefreshLog(client: pg.Client | pg.PoolClient, since?: Date | string): Promise<RefreshRecord[]> {
  const exists = await client.query(`SELECT to_regclass('ledger_bench_mv_refresh_log') IS NOT NULL AS ok`);
  if (!exists.rows[0]?.ok) return [];
  const r = await client.query<Record<string, unknown>>(
    `SELECT * FROM ledger_bench_mv_refresh_log WHERE started_at >= coalesce($1::timestamptz, '-infinity') ORDER BY id`,
    [since === undefined ? null : since instanceof Date ? since.toISOString() : since],
  );
  return r.rows.map(toRecord);
}

function stats(xs: number[]): { mean: number; p95: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / (s.length || 1);
  const p95 = s.length === 0 ? 0 : (s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)] as number);
  return { mean, p95, max: s.length === 0 ? 0 : (s[s.length - 1] as number) };
}

/** Summarises refresh records per view. */
export function summarizeStaleness(records: readonly RefreshRecord[]): StalenessSummary[] {
  const byView = new Map<string, RefreshRecord[]>();
  for (const r of records) byView.set(r.view, [...(byView.get(r.view) ?? []), r]);
  return [...byView.entries()].map(([view, rs]) => {
    const periods = rs.map((r) => r.sincePreviousMs).filter((x): x is number => x !== null);
    const fresh = rs.map((r) => r.freshAgeMs).filter((x): x is number => x !== null);
    const d = stats(rs.map((r) => r.durationMs));
    const p = stats(periods);
    const f = stats(fresh);
    return {
      view,
      refreshes: rs.length,
      refreshMs: { mean: d.mean, max: d.max },
      periodMs: periods.length ? { mean: p.mean, max: p.max } : null,
      maxUnreflectedAgeMs: stats(rs.map((r) => r.maxUnreflectedAgeMs)),
      freshAgeMs: fresh.length ? { mean: f.mean, max: f.max } : null,
    };
  });
}

/** Reads the refresh log of the database at `url` and summarises it (trap 9's number). */
export async function measureStaleness(opts: { url: string; since?: Date | string }): Promise<StalenessSummary[]> {
  const client = newClient({ connectionString: opts.url });
  await client.connect();
  try {
    return summarizeStaleness(await readRefreshLog(client, opts.since));
  } finally {
    await client.end();
  }
}

/** Options of {@link startMvRefresher}. */
export interface RefresherOptions {
  url: string;
  views: readonly MaterializedViewSpec[];
  /** Seconds between the end of one refresh round and the start of the next. */
  intervalSec: number;
  /** Called when a refresh fails (the refresher keeps going). */
  onError?: (err: unknown) => void;
}

/** Advisory lock key: only one refresher per database acts, however many workers start one. */
const LOCK_KEY = [0x1edb, 0x4e5f] as const;

/**
 * Starts a background refresher on its own connection. Every workload instance
 * (the engine builds one per worker thread) may start one; a session advisory lock
 * elects a single active refresher per database, so refreshes never queue up
 * behind each other.
 */
export function startMvRefresher(opts: RefresherOptions): { stop(): Promise<RefreshRecord[]> } {
  const done: RefreshRecord[] = [];
  const startedAt = new Date();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const client = newClient({ connectionString: opts.url, application_name: 'ledger-bench mv refresher' });
  let leader = false;
  const connected = client.connect().catch((err: unknown) => {
    opts.onError?.(err);
    stopped = true;
  });
  const round = async () => {
    await connected;
    if (stopped) return;
    if (!leader) {
      const r = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock($1, $2) AS ok`, [...LOCK_KEY]);
      leader = r.rows[0]?.ok === true;
    }
    if (!leader) return;
    for (const v of opts.views) {
      if (stopped) return;
      try {
        done.push(await refreshAndLog(client, v, startedAt));
      } catch (err) {
        opts.onError?.(err);
      }
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = round().catch((err: unknown) => opts.onError?.(err)).finally(schedule);
    }, opts.intervalSec * 1000);
    timer.unref?.();
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      await connected;
      await client.end().catch(() => undefined);
      return done;
    },
  };
}
