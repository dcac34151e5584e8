/**
 * Reads what reporters render from files: result JSON files, a comparison.json (which
 * names its variants' result files and carries migration reports, MV staleness and the
 * review's claims), or a directory holding them. Files only: never a database. Every
 * unreadable or foreign file is reported at once.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseBudgetSpec, type BudgetSet } from '../config/budget-grammar.js';
import { effectiveBudgets } from '../budgets/settings.js';
import { isK6Summary, runResultFromK6Summary, type K6SummaryContext } from '../result/from-k6-summary.js';
import { resultSchema } from '../result/schema.js';
import { isUserError } from '../errors.js';
import type { RunResult } from '../result/types.js';
import type { CapacityInfo, ClaimInfo, IsolationInfo, MigrationInfo, ReportData, ReportRun, StalenessInfo } from './model.js';
import { CAPACITY_FILE, ISOLATION_FILE, isCapacityFile, isIsolationFile, readIsolation, SUBDIRS } from './job-files.js';

/** What the files hold, before budgets are chosen. */
export interface LoadedInputs {
  runs: ReportRun[];
  claims: Record<string, ClaimInfo>;
  pending: string[];
  capacity?: CapacityInfo[];
  isolation?: IsolationInfo;
  /** Budgets recorded in the first result's config (what the run judged), if any. */
  recordedBudgets?: BudgetSet;
  recordedBudgetVariants?: string;
  /** `--inconclusive` recorded in the first result's config (what the run judged with), if any. */
  recordedInconclusive?: 'fail' | 'pass';
  problems: string[];
}

interface ComparisonFile {
  pending?: string[];
  table?: Array<{ scenario: string; claim?: ClaimInfo }>;
  runs: Array<{ variant: string; resultFile?: string; migration?: MigrationInfo; staleness?: StalenessInfo[] }>;
}

function readJson(file: string, problems: string[]): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    problems.push(`${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not JSON (${(err as Error).message})`}`);
    return undefined;
  }
}

function asResult(file: string, raw: unknown, problems: string[]): RunResult | undefined {
  const parsed = resultSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  problems.push(`${file}: not a ledger-bench result (${issue?.path.join('.') || 'top level'}: ${issue?.message})`);
  return undefined;
}

function isComparison(raw: unknown): raw is ComparisonFile {
  return !!raw && typeof raw === 'object' && Array.isArray((raw as ComparisonFile).runs) && !('scenarios' in raw);
}

/** What `report` knows about k6 summaries that lack the scenarios/k6 scripts' gauges (its --rate, --duration, --warmup). */
export type K6Defaults = Pick<K6SummaryContext, 'targetRate' | 'durationSec' | 'warmupSec'>;

/** A k6 end-of-test summary as a result (src/result/from-k6-summary.ts); its problems added to `problems`. */
function fromK6(file: string, raw: unknown, k6: K6Defaults, problems: string[]): RunResult | undefined {
  try {
    // The summary carries no timestamps: k6 writes it when the test ends, so the file's mtime is the end.
    return runResultFromK6Summary(raw, { source: file, endedAt: statSync(file).mtime.toISOString(), ...k6 });
  } catch (err) {
    if (!isUserError(err)) throw err;
    problems.push(...err.problems);
    return undefined;
  }
}

/**
 * Reads result files, comparison.json files and directories (comparison.json inside,
 * else every *.json). A k6 end-of-test summary (handleSummary or --summary-export) is
 * converted to a result; `k6` fills in what such a summary does not say.
 */
export function loadReportInputs(paths: readonly string[], k6: K6Defaults = {}): LoadedInputs {
  const out: LoadedInputs = { runs: [], claims: {}, pending: [], problems: [] };
  const add = (run: ReportRun) => {
    const i = out.runs.findIndex((r) => r.variant === run.variant);
    if (i >= 0) out.problems.push(`two results for variant "${run.variant}" (${out.runs[i]!.file} and ${run.file}); give one of them`);
    else out.runs.push(run);
  };
  const loadComparison = (file: string, cmp: ComparisonFile) => {
    out.pending.push(...(cmp.pending ?? []));
    for (const row of cmp.table ?? []) if (row.claim) out.claims[row.scenario] = row.claim;
    for (const r of cmp.runs) {
      // Result files are written next to comparison.json; the recorded absolute path is the fallback.
      const beside = join(dirname(file), `${r.variant}.json`);
      const rf = existsSync(beside) ? beside : r.resultFile ?? beside;
      const raw = readJson(rf, out.problems);
      const result = raw === undefined ? undefined : asResult(rf, raw, out.problems);
      if (result) add({ variant: r.variant, result, file: rf, ...(r.migration ? { migration: r.migration } : {}), ...(r.staleness ? { staleness: r.staleness } : {}) });
    }
  };
  const loadFile = (file: string) => {
    const raw = readJson(file, out.problems);
    if (raw === undefined) return;
    if (isCapacityFile(raw)) {
      if (out.capacity) out.problems.push(`${file}: a second capacity.json; give one of them`);
      else out.capacity = raw;
      return;
    }
    if (isIsolationFile(raw)) {
      if (out.isolation) out.problems.push(`${file}: a second isolation.json; give one of them`);
      else out.isolation = readIsolation(file, raw, (f) => { const r = readJson(f, out.problems); return r === undefined ? undefined : asResult(f, r, out.problems); });
      return;
    }
    if (isComparison(raw)) return loadComparison(file, raw);
    const result = isK6Summary(raw) ? fromK6(file, raw, k6, out.problems) : asResult(file, raw, out.problems);
    if (result) add({ variant: result.variant ?? basename(file).replace(/\.json$/, ''), result, file });
  };
  for (const p of paths) {
    const abs = resolve(p);
    if (existsSync(abs) && statSync(abs).isDirectory()) {
      const cmp = join(abs, 'comparison.json');
      // A job's summaries (bench's --out holds capacity/ and isolation/ beside the comparison).
      const summaries = [CAPACITY_FILE, ISOLATION_FILE].flatMap((f) => [join(abs, f), ...SUBDIRS.map((d) => join(abs, d, f))]).filter((f) => existsSync(f));
      const isolated = new Set<string>();
      for (const f of summaries) {
        loadFile(f);
        if (f.endsWith(ISOLATION_FILE)) for (const r of out.isolation?.runs ?? []) if (r.file) isolated.add(r.file);
      }
      if (existsSync(cmp)) loadFile(cmp);
      else {
        // Result files an isolation.json names are its runs, not the directory's.
        const files = readdirSync(abs).filter((f) => f.endsWith('.json') && f !== 'report.json' && f !== CAPACITY_FILE && f !== ISOLATION_FILE && !isolated.has(join(abs, f))).sort();
        if (!files.length && !summaries.length) out.problems.push(`${p}: no comparison.json and no result JSON files in this directory`);
        for (const f of files) loadFile(join(abs, f));
      }
    } else loadFile(abs);
  }
  const config = (out.runs[0] ?? out.isolation?.runs[0])?.result.config as { budgets?: unknown; budgetMs?: unknown; budgetVariants?: unknown; inconclusive?: unknown } | undefined;
  if (config?.inconclusive === 'fail' || config?.inconclusive === 'pass') out.recordedInconclusive = config.inconclusive;
  if (config && (config.budgets !== undefined || typeof config.budgetMs === 'number')) {
    const parsed = parseBudgetSpec(config.budgets);
    const budgetMs = typeof config.budgetMs === 'number' ? config.budgetMs : 50;
    if (parsed.ok) out.recordedBudgets = effectiveBudgets({ budgets: parsed.value, budgetMs });
    if (typeof config.budgetVariants === 'string') out.recordedBudgetVariants = config.budgetVariants;
  }
  return out;
}

/** Report data from loaded inputs and the budgets to judge (`inconclusive`: the policy, default the one recorded, else 'fail'). */
export function toReportData(l: LoadedInputs, budgets: BudgetSet, budgetVariants: string, claims: Record<string, ClaimInfo> = {}, inconclusive: 'fail' | 'pass' = l.recordedInconclusive ?? 'fail'): ReportData {
  return {
    runs: l.runs,
    claims: { ...claims, ...l.claims },
    budgets,
    budgetVariants,
    inconclusive,
    ...(l.pending.length ? { pending: l.pending } : {}),
    ...(l.capacity ? { capacity: l.capacity } : {}),
    ...(l.isolation ? { isolation: l.isolation } : {}),
  };
}
