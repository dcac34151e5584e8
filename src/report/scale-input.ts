/**
 * A scale job's scale.json as `report`'s input: given as the job's --out (a directory
 * holding scale.json) or as the file itself (by its name or its kind), read and
 * validated, with report's budget flags applied over the recorded ones. Files only.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { judgedVariants } from '../budgets/evaluate.js';
import { budgetVariantProblems } from '../budgets/settings.js';
import { parseScaleFile, SCALE_FILE, SCALE_KIND, type ScaleFile } from '../result/scale-schema.js';

/** The scale.json `path` names (a directory holding one, or the file), else undefined. */
export function scaleInputPath(path: string): string | undefined {
  const abs = resolve(path);
  if (!existsSync(abs)) return undefined;
  if (statSync(abs).isDirectory()) return existsSync(join(abs, SCALE_FILE)) ? join(abs, SCALE_FILE) : undefined;
  if (basename(abs) === SCALE_FILE) return abs;
  try {
    // Renamed: known by its kind.
    const raw = JSON.parse(readFileSync(abs, 'utf8')) as { kind?: unknown } | null;
    return raw?.kind === SCALE_KIND ? abs : undefined;
  } catch {
    return undefined;
  }
}

/** Report's budget flags, each only when given (else what scale.json records). */
export interface ScaleBudgetFlags {
  budgetMs?: number;
  budgetVariants?: string;
  inconclusive?: 'fail' | 'pass';
  /** --budget was given: a scale job judges only the p95 under --budget-ms. */
  budgetSpec?: boolean;
}

/** Reads and validates scale.json at `file` and applies `flags`; every problem names the file or the flag. */
export function loadScaleInput(file: string, flags: ScaleBudgetFlags): { ok: true; value: ScaleFile } | { ok: false; problems: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return { ok: false, problems: [`${file}: not JSON (${(err as Error).message}); give the scale.json \`ledger-bench scale\` wrote`] };
  }
  const parsed = parseScaleFile(raw);
  if (!parsed.ok) return { ok: false, problems: parsed.problems.map((p) => `${file}: not a valid scale.json (${p}); give the scale.json \`ledger-bench scale\` wrote`) };
  const f = parsed.value;
  const problems = flags.budgetVariants === undefined ? [] : budgetVariantProblems(flags.budgetVariants, f.variants);
  if (flags.budgetSpec) problems.push('--budget: a scale job judges the p95 under one budget in ms; give --budget-ms instead');
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    value: {
      ...f,
      ...(flags.budgetMs === undefined ? {} : { budgetMs: flags.budgetMs }),
      ...(flags.budgetVariants === undefined ? {} : { budgetVariants: judgedVariants(f.variants, flags.budgetVariants) }),
      ...(flags.inconclusive === undefined ? {} : { inconclusive: flags.inconclusive }),
    },
  };
}
