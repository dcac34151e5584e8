/**
 * The summary files of the capacity and isolation jobs, as reporters read them:
 * capacity.json (an array, one capacity search per variant) and isolation.json (each
 * scenario alone per variant, naming its result files). bench writes them under
 * capacity/ and isolation/ of its --out, so `report DIR` finds them there. Files only.
 */
import { basename, dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import type { RunResult } from '../result/types.js';
import type { CapacityInfo, IsolationInfo } from './model.js';

export const CAPACITY_FILE = 'capacity.json';
export const ISOLATION_FILE = 'isolation.json';
/** Subdirectories of a job's --out holding the capacity and isolation summaries (bench). */
export const SUBDIRS = ['capacity', 'isolation'] as const;

/** Marks isolation.json (its `kind`). */
export const ISOLATION_KIND = 'ledger-bench isolation';
/** Version of isolation.json's format. */
export const ISOLATION_VERSION = 1;

/** isolation.json: the job's parameters and, per run, its verdict, figures and result file. */
export interface IsolationFile {
  kind: typeof ISOLATION_KIND;
  isolationVersion: number;
  rate: number;
  durationSec: number;
  warmupSec: number;
  variants: string[];
  scenarios: string[];
  runs: Array<{
    variant: string;
    scenario: string;
    kind: 'read' | 'write';
    /** The rate of the run recorded (the first rate, or half of it where that did not hold). */
    rate: number;
    held: boolean;
    partial: boolean;
    /** The result JSON, relative to isolation.json. */
    resultFile: string;
    achievedRate: number;
    count: number;
    errors: number;
    latencyMs: { p50: number; p95: number; p99: number } | null;
    /** The p95's interval at the run's confidence (absent in older files). */
    p95Ci?: { lo: number | null; hi: number | null; conf: number };
    /** Stages the run took (sequential sampling), the cap, and why it stopped. */
    stages?: number;
    maxStages?: number;
    stop?: string;
  }>;
}

const isObj = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x);

/** Whether `raw` is capacity.json (an array of searches, each with its probes). */
export function isCapacityFile(raw: unknown): raw is CapacityInfo[] {
  return Array.isArray(raw) && raw.length > 0 && raw.every((c) => isObj(c) && typeof c.variant === 'string' && Array.isArray(c.probes) && 'maxRateWithinBudget' in c);
}

/** Whether `raw` is isolation.json. */
export function isIsolationFile(raw: unknown): raw is IsolationFile {
  return isObj(raw) && raw.kind === ISOLATION_KIND && Array.isArray(raw.runs);
}

/** The isolation of `raw` (read from `file`), each run's result read beside it by `read` (undefined: a problem was recorded). */
export function readIsolation(file: string, raw: IsolationFile, read: (file: string) => RunResult | undefined): IsolationInfo {
  const runs = raw.runs.flatMap((r) => {
    // Beside isolation.json first (the directory may have moved), else as recorded.
    const beside = join(dirname(file), basename(r.resultFile));
    const f = existsSync(beside) ? beside : r.resultFile;
    const result = read(f);
    return result ? [{ variant: r.variant, scenario: r.scenario, held: r.held, result, file: f }] : [];
  });
  return { rate: raw.rate, durationSec: raw.durationSec, warmupSec: raw.warmupSec, runs };
}
