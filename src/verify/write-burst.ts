/**
 * A small, engine-independent driver for the write scenarios: N concurrent
 * sessions each running write transactions, retrying 40001/40P01 like the engine.
 * Used by verify (write, then check invariants) and by tests that need real
 * concurrency on one database.
 */
import pg from 'pg';
import { createRng } from '../random/rng.js';
import { loadScenarioContext } from '../../scenarios/context.js';
import { getScenario } from '../../scenarios/registry.js';
import type { Feature } from '../variant-build/types.js';
import type { Conn } from '../workload/types.js';

/** Wraps a pg client as the engine's {@link Conn}. */
export function asConn(client: pg.ClientBase): Conn {
  return {
    async query(text, values, name) {
      const r = await client.query({ text, values: values as unknown[] | undefined, ...(name ? { name } : {}) });
      return { rows: r.rows, rowCount: r.rowCount };
    },
  } as Conn;
}

/** SQLSTATEs the engine retries. */
export const RETRYABLE = new Set(['40001', '40P01']);

/** Outcome of a burst. */
export interface BurstResult {
  committed: number;
  /** Retries by SQLSTATE. */
  retries: Record<string, number>;
  failed: number;
  firstError?: string;
}

/** Options of {@link runWriteBurst}. */
export interface BurstOptions {
  url: string;
  features: readonly Feature[];
  /** Write scenario name -> weight (default post-journal-entry 2, anchor-lifecycle 1). */
  mix?: Record<string, number>;
  transactions: number;
  concurrency?: number;
  seed?: number;
  maxTries?: number;
}

/** Runs `transactions` write transactions over `concurrency` sessions. */
export async function runWriteBurst(o: BurstOptions): Promise<BurstResult> {
  const mix = Object.entries(o.mix ?? { 'post-journal-entry': 2, 'anchor-lifecycle': 1 }).filter(([, w]) => w > 0);
  const total = mix.reduce((s, [, w]) => s + w, 0);
  const scenarios = mix.map(([name, w]) => ({ s: getScenario(name), w }));
  const concurrency = o.concurrency ?? 4;
  const pool = new pg.Pool({ connectionString: o.url, max: concurrency });
  const result: BurstResult = { committed: 0, retries: {}, failed: 0 };
  try {
    const c0 = await pool.connect();
    const ctx = await loadScenarioContext(c0, o.features).finally(() => c0.release());
    let next = 0;
    const worker = async (w: number) => {
      const client = await pool.connect();
      const conn = asConn(client);
      const rng = createRng((o.seed ?? 1) * 1000 + w);
      try {
        while (next < o.transactions) {
          next++;
          let u = rng.next() * total;
          const pick = scenarios.find((x) => (u -= x.w) < 0) ?? scenarios[scenarios.length - 1]!;
          const s = pick.s;
          if (s.kind !== 'write') throw new Error(`${s.name} is not a write scenario`);
          for (let tries = 1; ; tries++) {
            try {
              await s.execute(conn, rng, ctx);
              result.committed++;
              break;
            } catch (err) {
              const code = (err as { code?: string }).code ?? '';
              await client.query('ROLLBACK').catch(() => undefined);
              if (RETRYABLE.has(code) && tries < (o.maxTries ?? 10)) {
                result.retries[code] = (result.retries[code] ?? 0) + 1;
                continue;
              }
              result.failed++;
              result.firstError ??= `${s.name}: ${(err as Error).message}`;
              break;
            }
          }
        }
      } finally {
        client.release();
      }
    };
    await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  } finally {
    await pool.end();
  }
  return result;
}
