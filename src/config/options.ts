/**
 * The catalogue of user-settable options: each has a config-file key, a flag, env
 * vars, a parser that reports what is wrong and how to fix it, and help text.
 * Commands pick the options they accept from here, so a flag means the same thing
 * everywhere and `--help` is generated, never hand-written.
 */
import { DEFAULTS } from './defaults.js';
import { parseDurationSec } from './duration.js';
import { parseBudgetSpec, type BudgetSet } from './budget-grammar.js';

/** A parser returns the value, or a problem text ("expected ...") or several, never throws. */
export type Parse<T> = (raw: unknown) => { ok: true; value: T } | { ok: false; problem: string | string[] };

/** One option. `key` is its config-file key and its property in the resolved settings. */
export interface OptionDef<T = unknown> {
  key: string;
  flag: string;
  /** Env vars read, first set wins. */
  env: string[];
  /** Boolean flags take no value. */
  boolean?: boolean;
  /** The flag may be given several times; the parser then receives the values as an array. */
  repeatable?: boolean;
  /** Config-file key when it is not the flag in camelCase. */
  fileKey?: string;
  /** A value shown in help, e.g. `N` or `URL`. */
  placeholder?: string;
  description: string;
  /** An example valid value, used in "how to fix" messages. */
  example: string;
  /** Secrets are removed from results and logs. */
  secret?: boolean;
  default: T;
  parse: Parse<T>;
}

const ok = <T>(value: T) => ({ ok: true as const, value });
const bad = (problem: string) => ({ ok: false as const, problem });

function number(opts: { min?: number; max?: number; integer?: boolean }): Parse<number> {
  return (raw) => {
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
    if (!Number.isFinite(n)) return bad(`expected a number, got ${JSON.stringify(raw)}`);
    if (opts.integer && !Number.isInteger(n)) return bad(`expected a whole number, got ${JSON.stringify(raw)}`);
    if (opts.min !== undefined && n < opts.min) return bad(`must be at least ${opts.min}, got ${n}`);
    if (opts.max !== undefined && n > opts.max) return bad(`must be at most ${opts.max}, got ${n}`);
    return ok(n);
  };
}

function duration(min: number): Parse<number> {
  return (raw) => {
    const sec = typeof raw === 'number' ? raw : typeof raw === 'string' ? parseDurationSec(raw) : undefined;
    if (sec === undefined || !Number.isFinite(sec)) return bad(`expected a duration like 30s, 2m or 500ms, got ${JSON.stringify(raw)}`);
    if (sec < min) return bad(`must be at least ${min}s, got ${sec}s`);
    return ok(sec);
  };
}

function oneOf<T extends string>(values: readonly T[]): Parse<T> {
  return (raw) =>
    typeof raw === 'string' && (values as readonly string[]).includes(raw)
      ? ok(raw as T)
      : bad(`expected one of ${values.join(', ')}, got ${JSON.stringify(raw)}`);
}

const text: Parse<string> = (raw) => (typeof raw === 'string' ? ok(raw) : bad(`expected text, got ${JSON.stringify(raw)}`));

/** A comma-separated list of positive numbers (or an array of them, from a config file). */
const msList: Parse<readonly number[]> = (raw) => {
  const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',').map((x) => x.trim()).filter(Boolean) : null;
  const values = items?.map((x) => Number(x));
  if (!values?.length || values.some((v) => !(Number.isFinite(v) && v > 0))) return bad(`expected positive numbers separated by commas, got ${JSON.stringify(raw)}`);
  return ok([...new Set(values)].sort((a, b) => a - b));
};

const bool: Parse<boolean> = (raw) => {
  if (typeof raw === 'boolean') return ok(raw);
  if (typeof raw === 'string' && /^(1|true|yes|on)$/i.test(raw)) return ok(true);
  if (typeof raw === 'string' && /^(0|false|no|off|)$/i.test(raw)) return ok(false);
  return bad(`expected true or false, got ${JSON.stringify(raw)}`);
};

const postgresUrl: Parse<string> = (raw) => {
  if (typeof raw !== 'string') return bad(`expected a postgres:// URL, got ${JSON.stringify(raw)}`);
  if (raw === '') return ok(raw);
  try {
    const u = new URL(raw);
    if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') return bad(`expected a postgres:// or postgresql:// URL, got protocol "${u.protocol}"`);
    return ok(raw);
  } catch {
    return bad('is not a valid URL (expected postgres://user:password@host:port/database)');
  }
};

const identifierPrefix: Parse<string> = (raw) =>
  typeof raw === 'string' && /^[a-z_][a-z0-9_]{0,39}$/.test(raw)
    ? ok(raw)
    : bad(`expected lower-case letters, digits and underscores (at most 40, not starting with a digit), got ${JSON.stringify(raw)}`);

const isoDate: Parse<string> = (raw) =>
  typeof raw === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(raw) && !Number.isNaN(Date.parse(raw + 'T00:00:00Z'))
    ? ok(raw)
    : bad(`expected a date YYYY-MM-DD, got ${JSON.stringify(raw)}`);

const segment: Parse<string> = (raw) => {
  const m = typeof raw === 'string' ? /^(\d+)\/(\d+)$/.exec(raw) : null;
  if (!m) return bad(`expected INDEX/COUNT such as 1/3, got ${JSON.stringify(raw)}`);
  const [i, n] = [Number(m[1]), Number(m[2])];
  if (n < 1 || i < 1 || i > n) return bad(`index must be between 1 and the count, got ${raw}`);
  return ok(raw as string);
};

const httpUrl: Parse<string> = (raw) => {
  if (typeof raw !== 'string') return bad(`expected an http:// URL, got ${JSON.stringify(raw)}`);
  if (raw === '') return ok(raw);
  try {
    const u = new URL(raw);
    if (u.protocol !== 'http:') return bad(`expected an http:// URL, got protocol "${u.protocol}"`);
    return ok(raw.replace(/\/+$/, ''));
  } catch {
    return bad('is not a valid URL (expected http://host:port)');
  }
};

/** A fraction given as 0.1 or as 10%. */
const fraction: Parse<number> = (raw) => {
  const str = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  const pct = str.endsWith('%');
  const n = str === '' ? NaN : Number(pct ? str.slice(0, -1) : str) / (pct ? 100 : 1);
  if (!Number.isFinite(n)) return bad(`expected a fraction like 0.1 or a percentage like 10%, got ${JSON.stringify(raw)}`);
  if (n < 0 || n > 10) return bad(`must be between 0 and 10 (0% to 1000%), got ${str}`);
  return ok(n);
};

const def = <T>(d: OptionDef<T>): OptionDef<T> => d;

/** All options, by key. */
export const OPTIONS = {
  databaseUrl: def({
    key: 'databaseUrl', flag: 'database-url', env: ['LEDGER_BENCH_DATABASE_URL', 'DATABASE_URL'], placeholder: 'URL',
    description: 'PostgreSQL server to use instead of the embedded one (any PostgreSQL 13+)',
    example: 'postgres://user:pass@127.0.0.1:5432/postgres', secret: true, default: DEFAULTS.databaseUrl, parse: postgresUrl,
  }),
  db: def({
    key: 'db', flag: 'db', env: ['LEDGER_BENCH_DB'], placeholder: 'KIND',
    description: 'server: embedded (or --database-url when given), container (testcontainers, needs Docker), url (--database-url only)',
    example: 'container', default: DEFAULTS.db, parse: oneOf(['embedded', 'container', 'url'] as const),
  }),
  containerImage: def({
    key: 'containerImage', flag: 'container-image', env: ['LEDGER_BENCH_CONTAINER_IMAGE'], placeholder: 'IMAGE',
    description: 'PostgreSQL image started by --db container', example: 'postgres:18', default: DEFAULTS.containerImage, parse: text,
  }),
  dataDir: def({
    key: 'dataDir', flag: 'data-dir', env: ['LEDGER_BENCH_DATA_DIR'], placeholder: 'DIR',
    description: 'data directory of the embedded server', example: '.ledger-bench/pg', default: DEFAULTS.dataDir, parse: text,
  }),
  dbPrefix: def({
    key: 'dbPrefix', flag: 'db-prefix', env: ['LEDGER_BENCH_DB_PREFIX'], placeholder: 'NAME',
    description: 'prefix of the databases ledger-bench creates (<prefix>_baseline, ...)', example: 'ledger_bench',
    default: DEFAULTS.dbPrefix, parse: identifierPrefix,
  }),
  force: def({
    key: 'force', flag: 'force', env: ['LEDGER_BENCH_FORCE'], boolean: true,
    description: 'allow replacing a database ledger-bench did not create', example: 'true', default: DEFAULTS.force, parse: bool,
  }),
  scale: def({
    key: 'scale', flag: 'scale', env: ['LEDGER_BENCH_SCALE'], placeholder: 'SCALE',
    description: 'data size: tiny (5k entries, for tests and smoke runs), small (~100k), medium (1M), large (10M)', example: 'small',
    default: DEFAULTS.scale, parse: oneOf(['tiny', 'small', 'medium', 'large'] as const),
  }),
  entries: def({
    key: 'entries', flag: 'entries', env: ['LEDGER_BENCH_ENTRIES'], placeholder: 'N',
    description: "seed: a custom size, this many journal entries instead of --scale's (0 = the scale's own)", example: '2000000',
    default: DEFAULTS.entries, parse: number({ min: 0, max: DEFAULTS.maxEntries, integer: true }),
  }),
  accounts: def({
    key: 'accounts', flag: 'accounts', env: ['LEDGER_BENCH_ACCOUNTS'], placeholder: 'N',
    description: "seed: a custom size, this many regular accounts instead of --scale's (0 = the scale's own; user addresses follow in the scale's proportion)", example: '50000',
    default: DEFAULTS.accounts, parse: number({ min: 0, max: DEFAULTS.maxAccounts, integer: true }),
  }),
  scales: def({
    key: 'scales', flag: 'scales', env: ['LEDGER_BENCH_SCALES'], placeholder: 'LIST',
    description: 'scale: the sizes measured, comma-separated: tiny, small, medium, large, or a custom ENTRIES or ENTRIESxACCOUNTS (e.g. 20000x10000)', example: 'tiny,small,medium',
    default: DEFAULTS.scales, parse: text,
  }),
  productionEntries: def({
    key: 'productionEntries', flag: 'production-entries', env: ['LEDGER_BENCH_PRODUCTION_ENTRIES'], placeholder: 'N',
    description: "scale: extrapolate each query's p95 to this many journal entries (a model estimate with its prediction interval, never a measurement; 0 = none)", example: '50000000',
    default: DEFAULTS.productionEntries, parse: number({ min: 0, max: 1e15, integer: true }),
  }),
  seed: def({
    key: 'seed', flag: 'seed', env: ['LEDGER_BENCH_SEED'], placeholder: 'N',
    description: 'random seed: the same seed gives the same data and schedule', example: '42',
    default: DEFAULTS.seed, parse: number({ min: 0, max: 2 ** 31 - 1, integer: true }),
  }),
  zipfTheta: def({
    key: 'zipfTheta', flag: 'zipf-theta', env: ['LEDGER_BENCH_ZIPF_THETA'], placeholder: 'X',
    description: 'skew of account choice (0.99 = YCSB default; ~2 = one hot account)', example: '0.99',
    default: DEFAULTS.zipfTheta, parse: number({ min: 0, max: 5 }),
  }),
  asOf: def({
    key: 'asOf', flag: 'as-of', env: ['LEDGER_BENCH_AS_OF'], placeholder: 'DATE',
    description: "the seeded ledger's last day (fixed for reproducible data)", example: '2026-10-31',
    default: DEFAULTS.asOf, parse: isoDate,
  }),
  rate: def({
    key: 'rate', flag: 'rate', env: ['LEDGER_BENCH_RATE'], placeholder: 'TPS',
    description: 'target transactions per second (open model)', example: '1000',
    default: DEFAULTS.rate, parse: number({ min: 0.001, max: 1_000_000 }),
  }),
  durationSec: def({
    key: 'durationSec', flag: 'duration', env: ['LEDGER_BENCH_DURATION'], placeholder: 'TIME',
    description: 'length of the measured window after the warm-up', example: '30s', default: DEFAULTS.durationSec, parse: duration(0.1),
  }),
  warmupSec: def({
    key: 'warmupSec', flag: 'warmup', env: ['LEDGER_BENCH_WARMUP'], placeholder: 'TIME',
    description: 'warm-up before measuring (excluded from results)', example: '5s', default: DEFAULTS.warmupSec, parse: duration(0),
  }),
  maxWarmupSec: def<'auto' | number>({
    key: 'maxWarmupSec', flag: 'max-warmup', env: ['LEDGER_BENCH_MAX_WARMUP'], placeholder: 'TIME',
    description:
      `longest warm-up: measuring starts at the first second after --warmup the run is steady (backlog drained, p95 stable), or here, marked "never settled" (earlier, marked "saturated", when slots are dropped every second for 5 s while behind the rate); ` +
      `auto = ${DEFAULTS.maxWarmupAutoFactor} x --warmup (fixed below 1 s); equal to --warmup = a fixed warm-up`,
    example: '30s', default: DEFAULTS.maxWarmup, parse: (raw) => (raw === 'auto' ? ok('auto' as const) : duration(0)(raw)),
  }),
  startRate: def({
    key: 'startRate', flag: 'start-rate', env: ['LEDGER_BENCH_START_RATE'], placeholder: 'TPS',
    description: 'capacity search: first rate probed (then x2 per step until a step fails, then bisection)', example: '100',
    default: DEFAULTS.capacityStartRate, parse: number({ min: 0.001, max: 1_000_000 }),
  }),
  maxRate: def({
    key: 'maxRate', flag: 'max-rate', env: ['LEDGER_BENCH_MAX_RATE'], placeholder: 'TPS',
    description: 'capacity search: highest rate probed (a variant that holds it has at least this capacity)', example: '5000',
    default: DEFAULTS.capacityMaxRate, parse: number({ min: 0.001, max: 1_000_000 }),
  }),
  stepSec: def({
    key: 'stepSec', flag: 'step-sec', env: ['LEDGER_BENCH_STEP_SEC'], placeholder: 'TIME',
    description: "capacity search: each probe's measured window (after --step-warmup), on a fresh clone", example: '5s',
    default: DEFAULTS.capacityStepSec, parse: duration(0.1),
  }),
  stepWarmupSec: def({
    key: 'stepWarmupSec', flag: 'step-warmup', env: ['LEDGER_BENCH_STEP_WARMUP'], placeholder: 'TIME',
    description: "capacity search: each probe's warm-up on its pre-warmed clone (excluded from results)", example: '2s',
    default: DEFAULTS.capacityStepWarmupSec, parse: duration(0),
  }),
  precision: def({
    key: 'precision', flag: 'precision', env: ['LEDGER_BENCH_PRECISION'], placeholder: 'X',
    description: 'capacity search: bisect until the failing rate is within this fraction above the holding one', example: '0.1',
    default: DEFAULTS.capacityPrecision, parse: number({ min: 0.001, max: 1 }),
  }),
  minRate: def({
    key: 'minRate', flag: 'min-rate', env: ['LEDGER_BENCH_MIN_RATE'], placeholder: 'TPS',
    description: 'capacity gate: exit 99 when a variant holds its budgets at no rate this high (0 = no gate)', example: '1000',
    default: DEFAULTS.capacityMinRate, parse: number({ min: 0, max: 1_000_000 }),
  }),
  benchProbes: def({
    key: 'benchProbes', flag: 'bench-probes', env: ['LEDGER_BENCH_BENCH_PROBES'], placeholder: 'N',
    description: "bench: most capacity probes per variant after the comparison (0 = skip bench's capacity step)", example: '5',
    default: DEFAULTS.benchProbes, parse: number({ min: 0, max: 50, integer: true }),
  }),
  sequentialLooks: def({
    key: 'sequentialLooks', flag: 'looks', env: ['LEDGER_BENCH_LOOKS'], placeholder: 'N',
    description: 'isolation runs and capacity probes: most stages (looks) while a judged budget is undecided; each look judges at 1 - 0.05/N confidence (all looks together wrong <= 5%)', example: '3',
    default: DEFAULTS.sequentialLooks, parse: number({ min: 1, max: 10, integer: true }),
  }),
  capacityBudgetsMs: def({
    key: 'capacityBudgetsMs', flag: 'capacity-budgets', env: ['LEDGER_BENCH_CAPACITY_BUDGETS'], placeholder: 'MS,...',
    description: 'capacity: p95 thresholds (ms) the capacity within budget is also given at, from the same probes', example: '10,25,50,100',
    default: DEFAULTS.capacityBudgetsMs, parse: msList,
  }),
  isolateRate: def({
    key: 'isolateRate', flag: 'isolate-rate', env: ['LEDGER_BENCH_ISOLATE_RATE'], placeholder: 'TPS',
    description: 'isolation: the rate each scenario runs at alone (low: the query, not a queue)', example: '20',
    default: DEFAULTS.isolateRate, parse: number({ min: 0.001, max: 1_000_000 }),
  }),
  isolateSec: def({
    key: 'isolateSec', flag: 'isolate-sec', env: ['LEDGER_BENCH_ISOLATE_SEC'], placeholder: 'TIME',
    description: "isolation: each scenario's measured window alone, after --warmup (bench: 0 = skip bench's isolation step)", example: '5s',
    default: DEFAULTS.isolateSec, parse: duration(0),
  }),
  isolateWarmupSec: def({
    key: 'isolateWarmupSec', flag: 'isolate-warmup', env: ['LEDGER_BENCH_ISOLATE_WARMUP'], placeholder: 'TIME',
    description: 'isolation: warm-up before each scenario\'s measured window (its clone is pre-warmed already)', example: '1s',
    default: DEFAULTS.isolateWarmupSec, parse: duration(0),
  }),
  isolateScenarios: def({
    key: 'isolateScenarios', flag: 'scenarios', env: ['LEDGER_BENCH_SCENARIOS'], placeholder: 'LIST',
    description: "isolation: scenarios run alone, comma-separated ('' = those the review claims numbers for)", example: 'balance-lookup,balance-history',
    default: DEFAULTS.isolateScenarios, parse: text,
  }),
  connections: def({
    key: 'connections', flag: 'connections', env: ['LEDGER_BENCH_CONNECTIONS'], placeholder: 'N',
    description: 'connection pool size (0 = sized from the rate)', example: '32',
    default: DEFAULTS.connections, parse: number({ min: 0, max: 10_000, integer: true }),
  }),
  arrival: def({
    key: 'arrival', flag: 'arrival', env: ['LEDGER_BENCH_ARRIVAL'], placeholder: 'KIND',
    description: 'arrival schedule: uniform (every 1/rate) or poisson', example: 'uniform',
    default: DEFAULTS.arrival, parse: oneOf(['uniform', 'poisson'] as const),
  }),
  maxTries: def({
    key: 'maxTries', flag: 'max-tries', env: ['LEDGER_BENCH_MAX_TRIES'], placeholder: 'N',
    description: 'tries per transaction on serialization failure / deadlock (40001, 40P01)', example: '5',
    default: DEFAULTS.maxTries, parse: number({ min: 1, max: 1000, integer: true }),
  }),
  backlog: def({
    key: 'backlog', flag: 'backlog', env: ['LEDGER_BENCH_BACKLOG'], placeholder: 'N',
    description: 'due transactions that may wait for a connection before being dropped (0 = automatic)', example: '1000',
    default: DEFAULTS.backlog, parse: number({ min: 0, max: 10_000_000, integer: true }),
  }),
  reconnectTimeoutSec: def({
    key: 'reconnectTimeoutSec', flag: 'reconnect-timeout', env: ['LEDGER_BENCH_RECONNECT_TIMEOUT'], placeholder: 'TIME',
    description: 'how long a lost connection is re-tried (bounded backoff) before the run ends partial, exit 1', example: '30s',
    default: DEFAULTS.reconnectTimeoutSec, parse: duration(0),
  }),
  engineTimer: def({
    key: 'engineTimer', flag: 'engine-timer', env: ['LEDGER_BENCH_ENGINE_TIMER'], placeholder: 'KIND',
    description: 'wait before each slot: ticker (a helper thread, less CPU) or spin (setImmediate polling, best precision)', example: 'ticker',
    default: DEFAULTS.engineTimer, parse: oneOf(['ticker', 'spin'] as const),
  }),
  engineDriver: def({
    key: 'engineDriver', flag: 'engine-driver', env: ['LEDGER_BENCH_ENGINE_DRIVER'], placeholder: 'KIND',
    description: "query path: wire (the engine's own protocol code) or pg (node-pg, for comparison)", example: 'wire',
    default: DEFAULTS.engineDriver, parse: oneOf(['wire', 'pg'] as const),
  }),
  workers: def({
    key: 'workers', flag: 'workers', env: ['LEDGER_BENCH_WORKERS'], placeholder: 'N',
    description: 'worker threads sharing the rate', example: '2', default: DEFAULTS.workers, parse: number({ min: 1, max: 64, integer: true }),
  }),
  segment: def({
    key: 'segment', flag: 'segment', env: ['LEDGER_BENCH_SEGMENT'], placeholder: 'I/N',
    description: 'run only segment I of N of the schedule (several machines, one rate)', example: '1/3',
    default: DEFAULTS.segment, parse: segment,
  }),
  queryMode: def({
    key: 'queryMode', flag: 'query-mode', env: ['LEDGER_BENCH_QUERY_MODE'], placeholder: 'MODE',
    description: 'prepared (named statements, like pgbench -M prepared) or simple', example: 'prepared',
    default: DEFAULTS.queryMode, parse: oneOf(['prepared', 'simple'] as const),
  }),
  quiet: def({
    key: 'quiet', flag: 'quiet', env: ['LEDGER_BENCH_QUIET'], boolean: true,
    description: 'no progress lines on stderr (per-second figures, what runs now); warnings, where the results went, the verdict and the exit line stay', example: 'true', default: DEFAULTS.quiet, parse: bool,
  }),
  evidence: def({
    key: 'evidence', flag: 'evidence', env: ['LEDGER_BENCH_EVIDENCE'], boolean: true,
    description: 'collect server evidence outside the timed window: one EXPLAIN (ANALYZE, BUFFERS) per read scenario, pg_stat_statements deltas, index sizes and idx_scan deltas (--no-evidence skips it)',
    example: 'false', default: DEFAULTS.evidence, parse: bool,
  }),
  target: def({
    key: 'target', flag: 'target', env: ['LEDGER_BENCH_TARGET'], placeholder: 'URL',
    description:
      'measure this existing database as it is (run, isolate, capacity): no seeding, no cloning, no variants, nothing created in it; ' +
      'read-only sessions, read scenarios only unless --allow-writes; queries chosen by the features found in its catalog (docs/target.md)',
    example: 'postgres://user@host:5432/ledger_staging', secret: true, default: DEFAULTS.target, parse: postgresUrl,
  }),
  allowWrites: def({
    key: 'allowWrites', flag: 'allow-writes', env: ['LEDGER_BENCH_ALLOW_WRITES'], boolean: true,
    description: 'with --target: allow the post-journal-entry scenario, which inserts real journal entries (tagged "ledger-bench target run <id>" in their description) into the target',
    example: 'true', default: DEFAULTS.allowWrites, parse: bool,
  }),
  json: def({
    key: 'json', flag: 'json', env: [], boolean: true,
    description: 'stdout carries the result JSON instead of the tables: the run\'s result (run, http, merge), report.json (compare, capacity, isolate, bench) or gate.json (gate)', example: 'true', default: DEFAULTS.json, parse: bool,
  }),
  out: def({
    key: 'out', flag: 'out', env: ['LEDGER_BENCH_OUT'], placeholder: 'DIR',
    description: 'directory for result files', example: 'reports', default: DEFAULTS.out, parse: text,
  }),
  budgetMs: def({
    key: 'budgetMs', flag: 'budget-ms', env: ['LEDGER_BENCH_BUDGET_MS'], placeholder: 'MS',
    description: 'shorthand for --budget \'p(95)<MS\' (the default budget when no --budget is set)', example: '50', default: DEFAULTS.budgetMs, parse: number({ min: 0.001 }),
  }),
  budgets: def<BudgetSet>({
    key: 'budgets', flag: 'budget', fileKey: 'budgets', env: ['LEDGER_BENCH_BUDGETS'], placeholder: 'EXPR', repeatable: true,
    description:
      'budgets in k6 threshold syntax, [SCENARIO:]METRIC OP NUMBER, repeatable or comma-separated (metrics p(N), avg, min, max, med in ms; rate = achieved/target; errors = failed/finished); in the config file {"*": [...], "SCENARIO": [...]}; replaces the --budget-ms default',
    example: "'p(95)<50'", default: {}, parse: (raw) => {
      const r = parseBudgetSpec(raw);
      return r.ok ? ok(r.value) : { ok: false as const, problem: r.problems };
    },
  }),
  reportFormat: def({
    key: 'reportFormat', flag: 'format', fileKey: 'reportFormat', env: ['LEDGER_BENCH_REPORT_FORMAT'], placeholder: 'FORMAT',
    description: 'report format: md, json, junit, html, or all (all four into the --out directory)', example: 'html',
    default: 'md' as 'md' | 'json' | 'junit' | 'html' | 'all', parse: oneOf(['md', 'json', 'junit', 'html', 'all'] as const),
  }),
  inconclusive: def({
    key: 'inconclusive', flag: 'inconclusive', fileKey: 'inconclusive', env: ['LEDGER_BENCH_INCONCLUSIVE'], placeholder: 'fail|pass',
    description: 'what a budget check whose 95% interval straddles its threshold does to the exit code: fail (exit 99, the default: an undecided budget is not a pass) or pass',
    example: 'pass', default: DEFAULTS.inconclusive, parse: oneOf(['fail', 'pass'] as const),
  }),
  failSharedBudgets: def({
    key: 'failSharedBudgets', flag: 'fail-shared-budgets', env: ['LEDGER_BENCH_FAIL_SHARED_BUDGETS'], boolean: true,
    description: 'gate: also fail on a budget the head violates where the base did not pass it either (a shared violation; by default reported, not failed: only a new violation fails)',
    example: 'true', default: DEFAULTS.failSharedBudgets, parse: bool,
  }),
  budgetVariants: def({
    key: 'budgetVariants', flag: 'budget-variants', env: ['LEDGER_BENCH_BUDGET_VARIANTS'], placeholder: 'LIST',
    description: 'variants the budgets judge, comma-separated or all (default: every variant but baseline; a single run is judged)',
    example: 'optimized', default: '', parse: text,
  }),
  variant: def({
    key: 'variant', flag: 'variant', env: ['LEDGER_BENCH_VARIANT'], placeholder: 'NAME',
    description: 'schema variant (see `ledger-bench migrate --help`)', example: 'indexes', default: DEFAULTS.variant, parse: text,
  }),
  variants: def({
    key: 'variants', flag: 'variants', env: ['LEDGER_BENCH_VARIANTS'], placeholder: 'LIST',
    description: 'comma-separated variants, or all', example: 'baseline,optimized', default: DEFAULTS.variants, parse: text,
  }),
  variantsDir: def({
    key: 'variantsDir', flag: 'variants-dir', env: ['LEDGER_BENCH_VARIANTS_DIR'], placeholder: 'DIR',
    description: 'a folder of <name>.sql files: each is one more variant called <name> (a clone of the baseline plus that SQL)',
    example: 'my-variants', default: DEFAULTS.variantsDir, parse: text,
  }),
  refreshIntervalSec: def({
    key: 'refreshIntervalSec', flag: 'refresh-interval', env: ['LEDGER_BENCH_REFRESH_INTERVAL'], placeholder: 'TIME',
    description: 'REFRESH MATERIALIZED VIEW CONCURRENTLY period during runs', example: '5s',
    default: DEFAULTS.refreshIntervalSec, parse: duration(0.1),
  }),
  verifySample: def({
    key: 'verifySample', flag: 'sample', env: ['LEDGER_BENCH_VERIFY_SAMPLE'], placeholder: 'N',
    description: 'parameter samples per scenario checked by verify', example: '50',
    default: DEFAULTS.verifySample, parse: number({ min: 1, max: 100_000, integer: true }),
  }),
  verifyWrites: def({
    key: 'verifyWrites', flag: 'writes', env: ['LEDGER_BENCH_VERIFY_WRITES'], placeholder: 'N',
    description: 'write transactions on a throwaway clone of each database (the built ones are only read), then the ledger invariants are checked there (0 = none)', example: '200',
    default: DEFAULTS.verifyWrites, parse: number({ min: 0, max: 1_000_000, integer: true }),
  }),
  reseed: def({
    key: 'reseed', flag: 'reseed', env: ['LEDGER_BENCH_RESEED'], boolean: true,
    description: 'seed again even if a complete baseline with the same scale and seed exists', example: 'true',
    default: DEFAULTS.reseed, parse: bool,
  }),
  sqlFile: def({
    key: 'sqlFile', flag: 'sql-file', env: [], placeholder: 'FILE',
    description: 'a pgbench custom script to run (\\set, random(), :vars)', example: 'q.sql', default: DEFAULTS.sqlFile, parse: text,
  }),
  mix: def({
    key: 'mix', flag: 'mix', env: ['LEDGER_BENCH_MIX'], placeholder: 'LIST',
    description: 'scenario weights as NAME=WEIGHT,... (default: the standard 70/30 read/write mix)', example: 'balance-lookup=70,post-journal-entry=30',
    default: DEFAULTS.mix, parse: text,
  }),
  configFile: def({
    key: 'configFile', flag: 'config', env: ['LEDGER_BENCH_CONFIG'], placeholder: 'FILE',
    description: 'config file (JSON); missing is fine unless named explicitly', example: 'ledger-bench.config.json',
    default: DEFAULTS.configFile, parse: text,
  }),
  host: def({
    key: 'host', flag: 'host', env: ['LEDGER_BENCH_HOST'], placeholder: 'ADDR',
    description: 'address the API listens on (serve, http)', example: '127.0.0.1', default: DEFAULTS.host, parse: text,
  }),
  port: def({
    key: 'port', flag: 'port', env: ['LEDGER_BENCH_PORT'], placeholder: 'N',
    description: 'port the API listens on (0 = a free port, printed)', example: '8080',
    default: DEFAULTS.port, parse: number({ min: 0, max: 65535, integer: true }),
  }),
  poolSize: def({
    key: 'poolSize', flag: 'pool-size', env: ['LEDGER_BENCH_POOL_SIZE'], placeholder: 'N',
    description: 'database connections of the API server (serve, http)', example: '16',
    default: DEFAULTS.poolSize, parse: number({ min: 1, max: 1000, integer: true }),
  }),
  apiUrl: def({
    key: 'apiUrl', flag: 'url', env: ['LEDGER_BENCH_API_URL'], placeholder: 'URL',
    description: 'drive a running API (`ledger-bench serve`) instead of starting one in-process', example: 'http://127.0.0.1:8080',
    default: DEFAULTS.apiUrl, parse: httpUrl,
  }),
  base: def({
    key: 'base', flag: 'base', env: ['LEDGER_BENCH_GATE_BASE'], placeholder: 'SIDE',
    description: 'gate: what the change is measured against, a variant name, a git ref (REF or REF:VARIANT) or a result JSON file', example: 'baseline', default: DEFAULTS.base, parse: text,
  }),
  head: def({
    key: 'head', flag: 'head', env: ['LEDGER_BENCH_GATE_HEAD'], placeholder: 'SIDE',
    description: 'gate: the change, a variant name (e.g. from --variants-dir), a git ref (REF or REF:VARIANT) or a result JSON file', example: 'my-index', default: DEFAULTS.head, parse: text,
  }),
  blocks: def({
    key: 'blocks', flag: 'blocks', env: ['LEDGER_BENCH_GATE_BLOCKS'], placeholder: 'N',
    description: 'gate: interleaved blocks (each runs base and head once, in a random order)', example: '10',
    default: DEFAULTS.blocks, parse: number({ min: 1, max: 1000, integer: true }),
  }),
  blockSec: def({
    key: 'blockSec', flag: 'block-duration', env: ['LEDGER_BENCH_GATE_BLOCK_DURATION'], placeholder: 'TIME',
    description: 'gate: measured window of each run in a block (after --warmup)', example: '10s', default: DEFAULTS.blockSec, parse: duration(0.1),
  }),
  minEffect: def({
    key: 'minEffect', flag: 'min-effect', env: ['LEDGER_BENCH_GATE_MIN_EFFECT'], placeholder: 'X',
    description: 'gate: smallest slowdown that fails when significant, a fraction or a percentage (0.1 or 10%)', example: '10%',
    default: DEFAULTS.minEffect, parse: fraction,
  }),
} satisfies Record<string, OptionDef<any>>;

/** An option key. */
export type OptionKey = keyof typeof OPTIONS;

/** Resolved settings, by key. */
export type Settings = { [K in OptionKey]: (typeof OPTIONS)[K] extends OptionDef<infer T> ? T : never };

/** The config-file key of an option: its flag in camelCase (`--database-url` -> `databaseUrl`). */
export function fileKeyOf(def: OptionDef<unknown>): string {
  if (def.fileKey) return def.fileKey;
  return def.flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
