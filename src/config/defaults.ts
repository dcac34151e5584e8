import { DEFAULT_RATE_TOLERANCE } from '../stats/rate.js';

/**
 * Every default of ledger-bench, in one place. Flags, env vars and the config file
 * override these (precedence flag > env > file > default, see ./load.ts).
 */
export const DEFAULTS = {
  /** Empty: use the embedded PostgreSQL server. */
  databaseUrl: '',
  /** Which server: the embedded one (or --database-url when given), a container, or only --database-url. */
  db: 'embedded' as 'embedded' | 'container' | 'url',
  /** Image of `--db container`: an official PostgreSQL image. */
  containerImage: 'postgres:18',
  /** Where the embedded server keeps its data, relative to the working directory. */
  dataDir: '.ledger-bench/pg',
  /** Harness-owned databases are named `<dbPrefix>_<name>`. */
  dbPrefix: 'ledger_bench',
  force: false,
  scale: 'small' as 'tiny' | 'small' | 'medium' | 'large',
  seed: 42,
  /** `seed --entries` / `--accounts`: 0 = the --scale's own counts; above 0 a custom size. */
  entries: 0,
  accounts: 0,
  /** Bounds of a custom size: the large scale's tenfold. */
  maxEntries: 100_000_000,
  maxAccounts: 1_000_000,
  /** `scale`: the sizes measured (each seeded, or its complete baseline reused). */
  scales: 'tiny,small,medium',
  /** `scale --production-entries`: 0 = no extrapolation. */
  productionEntries: 0,
  zipfTheta: 0.99,
  /** The seeded ledger's "today": fixed so the same seed gives the same data. */
  asOf: '2026-10-31',
  /** The review's target load. */
  rate: 1000,
  durationSec: 30,
  warmupSec: 5,
  /**
   * Longest warm-up (`--max-warmup`): the measured window starts once the run is steady
   * (docs/engine.md). `auto` = this many times --warmup (30 s for the default 5 s); a
   * --warmup under 1 s (a smoke run) stays fixed.
   */
  maxWarmup: 'auto' as 'auto' | number,
  maxWarmupAutoFactor: 6,
  /** Capacity search (`ledger-bench capacity`): first rate probed, highest rate probed, each probe's measured length, bisection precision. */
  capacityStartRate: 100,
  capacityMaxRate: 20_000,
  capacityStepSec: 5,
  /**
   * Each probe's warm-up (its first stage; a later stage on the same warm clone takes one
   * second). The clone is pre-warmed, as isolation's are: two seconds let connections open
   * and plans settle. Five (the mixed runs' --warmup) spent 30 s of every bench.
   */
  capacityStepWarmupSec: 2,
  capacityPrecision: 0.1,
  /** 0 = no capacity gate. */
  capacityMinRate: 0,
  /** Probes per variant of `bench`'s capacity step (0 = no capacity step): a bound on the time it adds. */
  benchProbes: 5,
  /**
   * Each scenario alone (`ledger-bench isolate`, bench's isolation step): the first rate,
   * low enough that a light query keeps the server well under one busy connection, so
   * the p95 is the query's, not a queue's (halved, at most twice, while a run does not
   * hold it: a heavy query holds 5/s); the measured window, 100 transactions at 20/s
   * (bench: 0 = skip the step); which scenarios ('' = those the review claims numbers for).
   */
  isolateRate: 20,
  isolateSec: 5,
  /** The clones are pre-warmed and the rate is low: a second lets connections and plans settle. */
  isolateWarmupSec: 1,
  isolateScenarios: '' as string,
  /**
   * Sequential sampling (src/stats/sequential.ts): the most stages (looks) an isolation run
   * or a capacity probe may take while a judged budget is undecided. Each look judges at
   * 1 - 0.05 / this (Bonferroni: 98.3% at 3), so all looks together decide wrongly <= 5%.
   */
  sequentialLooks: 3,
  /** p95 thresholds (ms) the capacity within budget is also reported at (from the same probes). */
  capacityBudgetsMs: [10, 25, 50, 100] as readonly number[],
  /**
   * What an inconclusive budget check (its interval straddles the threshold) does to the
   * exit code: 'fail' (exit 99, strict: a CI gate must not let an undecided budget through
   * silently) or 'pass'.
   */
  inconclusive: 'fail' as 'fail' | 'pass',
  /**
   * The gate fails only on NEW budget violations (decided fail on the head where the base
   * passed); a violation the base shares is reported, not failed, unless this is set.
   */
  failSharedBudgets: false,
  /** 0 = size the pool from the rate (see docs/engine.md). */
  connections: 0,
  arrival: 'uniform' as 'uniform' | 'poisson',
  /** Tries per transaction for 40001/40P01 (1 = no retry, like pgbench's default). */
  maxTries: 5,
  /** 0 = automatic backlog bound (see docs/engine.md). */
  backlog: 0,
  /** How long lost connections are re-tried (bounded backoff) before the run ends partial. */
  reconnectTimeoutSec: 30,
  /** The engine's wait before each slot: a ticker thread (default) or setImmediate polling (`spin`). */
  engineTimer: 'ticker' as 'ticker' | 'spin',
  /** Query path: the engine's own protocol code (`wire`) or node-pg's (`pg`). */
  engineDriver: 'wire' as 'wire' | 'pg',
  workers: 1,
  /** `1/1`: this process runs the whole schedule. */
  segment: '1/1',
  queryMode: 'prepared' as 'prepared' | 'simple',
  quiet: false,
  /** Collect server evidence (EXPLAIN ANALYZE, pg_stat_statements deltas, index use) around runs. */
  evidence: true,
  json: false,
  /** Where result files are written. */
  out: 'reports',
  /** The review's budget: every query under 50 ms p95. */
  budgetMs: 50,
  variant: 'baseline',
  variants: 'baseline,optimized',
  /** Empty: only the built-in variants (variants/*.ts). */
  variantsDir: '',
  /** Seconds between REFRESH MATERIALIZED VIEW CONCURRENTLY during runs on MV variants. */
  refreshIntervalSec: 5,
  /** Parameter samples per scenario checked by `verify`. */
  verifySample: 50,
  /** Write transactions per database before verify checks the ledger invariants. */
  verifyWrites: 200,
  /** `bench` reuses a complete baseline seeded with the same scale, seed, theta and date unless this is set. */
  reseed: false,
  sqlFile: '',
  mix: '',
  configFile: 'ledger-bench.config.json',
  /** The API listens on loopback only unless told otherwise. */
  host: '127.0.0.1',
  port: 0,
  poolSize: 16,
  apiUrl: '',
  /** `gate`: what it compares (a variant or a result JSON); no default, both are required. */
  base: '',
  head: '',
  /** `gate`: interleaved blocks, each one short run of base and one of head. */
  blocks: 10,
  /** `gate`: measured seconds of each side's run in a block. */
  blockSec: 10,
  /** `gate`: smallest slowdown (head/base - 1) that fails, when significant. */
  minEffect: 0.1,
  /** Empty: measure the harness's own databases. A URL: measure that existing database as it is (docs/target.md). */
  target: '',
  /** On a --target, write scenarios are refused unless this is set (sessions are read-only otherwise). */
  allowWrites: false,
  /**
   * On a --target, a read scenario whose share of zero-row answers exceeds this is
   * warned about: its parameters are probably not realistic for that data.
   */
  targetZeroRowWarnShare: 0.5,
  /** On a --target, at most this many accounts (by line count) and users (by authorization count) are ranked for the parameter draws. */
  targetRankLimit: 100_000,
} as const;

/**
 * Defaults of the load engine as a library (`runLoad`, src/engine/options.ts). The CLI
 * passes its own values for most of these (DEFAULTS above); these apply to direct callers.
 */
export const ENGINE_DEFAULTS = {
  durationSec: 60,
  warmupSec: 5,
  arrival: 'uniform' as 'uniform' | 'poisson',
  maxTries: 10,
  workers: 1,
  queryMode: 'prepared' as 'prepared' | 'extended' | 'simple',
  seed: 1,
  exitOnAbort: false,
  /** Shortfall of completions against slots offered tolerated before `reachedTarget` is false. */
  rateTolerance: DEFAULT_RATE_TOLERANCE,
  drainTimeoutMs: 10_000,
  spinMs: 1,
  reconnectTimeoutSec: DEFAULTS.reconnectTimeoutSec,
  timer: DEFAULTS.engineTimer,
  driver: DEFAULTS.engineDriver,
  /** Pool sizing (Little's law at the review's whole budget): rate × this many seconds... */
  poolLatencySec: 0.05,
  /** ...at least this many connections per worker... */
  poolMinPerWorker: 2,
  /** ...and at most this many. */
  poolMaxPerWorker: 64,
  /** Backlog bound: this many seconds of arrivals... */
  backlogSec: 2,
  /** ...and at least this many slots. */
  backlogMin: 100,
  /** First wait before re-trying a lost connection; doubles up to reconnectMaxDelayMs. */
  reconnectFirstDelayMs: 50,
  reconnectMaxDelayMs: 1000,
} as const;

/** Settings given to the embedded server: sized for benchmarking on this 24 GiB, 2-core class of machine. */
export const EMBEDDED_SERVER_SETTINGS: Readonly<Record<string, string>> = {
  listen_addresses: "'127.0.0.1'",
  max_connections: '300',
  shared_buffers: "'2GB'",
  effective_cache_size: "'12GB'",
  work_mem: "'32MB'",
  maintenance_work_mem: "'1GB'",
  max_wal_size: "'8GB'",
  checkpoint_timeout: "'30min'",
  random_page_cost: '1.1',
  track_io_timing: 'on',
  // No replication here: bulk loads into tables created or truncated in the same
  // transaction (the seeder's COPY) skip WAL. Ordinary writes are still WAL-logged
  // and fsynced, so write latencies stay honest.
  wal_level: 'minimal',
  max_wal_senders: '0',
  shared_preload_libraries: "'pg_stat_statements'",
  'pg_stat_statements.track': "'top'",
  // Durability stays on (fsync, synchronous_commit): write latencies must be honest.
};
