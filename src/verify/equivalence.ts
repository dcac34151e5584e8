/**
 * Query equivalence: on identical data, every after-query a variant can run must
 * return what the before-query returns on the baseline, for a sample of parameters.
 */
import { newClient } from '../db/client.js';
import pg from 'pg';
import { scenarioDrawRng } from '../random/rng.js';
import { loadScenarioContext } from '../../scenarios/context.js';
import type { ReadScenario, Row } from '../../scenarios/types.js';
import type { Feature } from '../variant-build/types.js';
import { diffRows, TEXT_TYPES, type RowDiff } from './rows.js';

/** One after-query checked against the before-query. */
export interface EquivalenceResult {
  scenario: string;
  variant: string;
  /** Label of the after-query. */
  query: string;
  /** True when the after-query is textually the before-query (only the schema differs). */
  sameSql: boolean;
  samples: number;
  /** The first mismatch, with the parameters that produced it. */
  mismatch?: RowDiff & { params: unknown };
  /** An error running either query (counts as a failure). */
  error?: string;
}

/** Options of {@link checkEquivalence}. */
export interface EquivalenceOptions {
  /** The baseline database (runs the before-queries). */
  baselineUrl: string;
  /** The variant database (runs the after-queries); same data as the baseline. */
  variantUrl: string;
  variant: string;
  features: readonly Feature[];
  scenarios: readonly ReadScenario<unknown>[];
  /** Parameter sets per scenario (scenarios without parameters run once). */
  sample: number;
  seed?: number;
}

function normalize(s: ReadScenario<unknown>, rows: Row[]): Row[] {
  return s.compare.normalize ? s.compare.normalize(rows) : rows;
}

/** Checks every after-query the variant supports; returns one result per (scenario, query). */
export async function checkEquivalence(o: EquivalenceOptions): Promise<EquivalenceResult[]> {
  const before = newClient({ connectionString: o.baselineUrl, types: TEXT_TYPES });
  const after = newClient({ connectionString: o.variantUrl, types: TEXT_TYPES });
  await before.connect();
  await after.connect();
  try {
    const ctx = await loadScenarioContext(before, o.features);
    const out: EquivalenceResult[] = [];
    for (const s of o.scenarios) {
      const queries = s.after.filter((q) => q.requires.every((f) => o.features.includes(f)));
      for (const q of queries) {
        const rng = scenarioDrawRng(o.seed ?? 1, s.name);
        const samples = s.params.length === 0 ? 1 : o.sample;
        const res: EquivalenceResult = { scenario: s.name, variant: o.variant, query: q.label, sameSql: q.sql === s.before.sql, samples: 0 };
        for (let i = 0; i < samples && !res.mismatch && !res.error; i++) {
          const params = s.params(rng, ctx);
          try {
            const b = await before.query(s.before.sql, s.before.values(params));
            const a = await after.query(q.sql, q.values(params));
            const diff = diffRows(normalize(s, b.rows), normalize(s, a.rows), s.compare.ordered);
            if (diff) res.mismatch = { ...diff, params };
          } catch (err) {
            res.error = `${(err as Error).message} (params ${JSON.stringify(params)})`;
          }
          res.samples++;
        }
        out.push(res);
      }
    }
    return out;
  } finally {
    await before.end();
    await after.end();
  }
}
