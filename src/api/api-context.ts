/**
 * What every endpoint handler needs: a pg.Pool on the variant's database, the
 * scenario context (asOf, features) and which side of the scenarios it serves.
 */
import pg from 'pg';
import type { ScenarioContext } from '../../scenarios/context.js';
import type { Conn } from '../workload/types.js';

/** Shared state of one running API. */
export interface ApiContext {
  pool: pg.Pool;
  scenarios: ScenarioContext;
  /** 'before' serves the baseline's SQL, 'after' the variant's (as `run` does). */
  side: 'before' | 'after';
  variant: string;
  database: string;
}

/** A `Conn` (the scenarios' query surface) over a pool client: named = prepared once per connection. */
export function poolConn(client: pg.PoolClient | pg.Pool): Conn {
  return {
    query: async (text, values, name) => {
      const r = await client.query(name ? { name, text, values: values as unknown[] } : { text, values: values as unknown[] });
      return { rows: r.rows, rowCount: r.rowCount };
    },
  };
}

/** Runs `fn` on one pooled connection (for transactions), releasing it after. */
export async function withConn<T>(pool: pg.Pool, fn: (conn: Conn) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    return await fn(poolConn(client));
  } catch (err) {
    // A connection-level failure must not go back to the pool.
    if (!(err as { code?: string }).code) broken = err as Error;
    throw err;
  } finally {
    client.release(broken);
  }
}

/** SQLSTATEs the engine retries (serialization failure, deadlock); the API retries them too. */
const RETRYABLE = new Set(['40001', '40P01']);

/** Runs a write transaction, retrying serialization failures and deadlocks up to `tries` times. */
export async function withRetries<T>(tries: number, fn: () => Promise<T>): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= tries || !RETRYABLE.has((err as { code?: string }).code ?? '')) throw err;
    }
  }
}
