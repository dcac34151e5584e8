/**
 * Anchor authorization lifecycle: AUTHORIZED -> PENDING -> FULFILLED/EXPIRED/FAILED.
 *
 * Each transaction either creates an authorization for a Zipf-drawn user (1 in 3)
 * or advances that user's oldest-expiring active one by one step (2 in 3: two steps
 * per authorization keep the active set roughly stable).
 *
 * Each is a single statement (autocommit), so a retry re-runs it from scratch and a
 * failed attempt leaves nothing behind. In the status-partitioned variants the final
 * step moves the row from `active` to `completed` (DELETE + INSERT); a concurrent
 * update of the same row then fails with SQLSTATE 40001 even under READ COMMITTED
 * (trap 11) and the engine retries it. On an unpartitioned table the same race ends
 * with the loser updating 0 rows (its WHERE re-check sees the new status).
 */
import { exponential } from '../src/random/distributions.js';
import { addDays } from './context.js';
import type { ScenarioContext } from './context.js';
import type { WriteScenario } from './types.js';
import type { Conn, Rng } from '../src/workload/types.js';

/** Anchor types (the schema's CHECK list). */
export const ANCHOR_TYPES = ['GROCERY', 'UTILITY', 'FUEL', 'TRANSIT', 'RETAIL'] as const;

/** Creates an AUTHORIZED authorization. */
export const CREATE_SQL = `INSERT INTO anchor_authorizations (user_address, anchor_type, amount, status, expires_at)
VALUES ($1, $2, $3, 'AUTHORIZED', $4::timestamptz)`;

/** Advances the user's oldest-expiring active authorization by one step. */
export const ADVANCE_SQL = `WITH target AS (
    SELECT id, status
      FROM anchor_authorizations
     WHERE user_address = $1 AND status IN ('AUTHORIZED', 'PENDING')
     ORDER BY expires_at, id
     LIMIT 1)
UPDATE anchor_authorizations a
   SET status = CASE WHEN t.status = 'AUTHORIZED' THEN 'PENDING' ELSE $2::varchar END,
       updated_at = now()
  FROM target t
 WHERE a.id = t.id AND a.status = t.status
RETURNING a.id, a.status`;

/** Final outcome of a PENDING authorization. */
function outcome(u: number): string {
  return u < 0.8 ? 'FULFILLED' : u < 0.9 ? 'EXPIRED' : 'FAILED';
}

/** Final statuses a PENDING authorization can move to. */
export const OUTCOMES = ['FULFILLED', 'EXPIRED', 'FAILED'] as const;

/** One lifecycle step: create an authorization, or advance the user's oldest-expiring active one. */
export type AnchorStep =
  | { action: 'create'; user: string; type: string; amount: string; expires: string }
  | { action: 'advance'; user: string; outcome: string };

/** Draws a step (the engine's draws, in their order). */
export function drawAnchorStep(rng: Rng, ctx: ScenarioContext): AnchorStep {
  const user = ctx.pickUser(rng);
  if (rng.next() < 1 / 3) {
    const type = ANCHOR_TYPES[Math.floor(rng.next() * ANCHOR_TYPES.length)] as string;
    const amount = (1 + exponential(rng, 5_000) / 100).toFixed(2);
    const expires = `${addDays(ctx.asOf, 1 + rng.int(0, 6))}T${String(rng.int(0, 23)).padStart(2, '0')}:00:00Z`;
    return { action: 'create', user, type, amount, expires };
  }
  return { action: 'advance', user, outcome: outcome(rng.next()) };
}

/**
 * Runs one step; returns the advanced row for 'advance' (undefined when the user has
 * no active authorization, or lost a race for it). The engine and the HTTP API run this.
 */
export async function runAnchorStep(conn: Conn, step: AnchorStep): Promise<{ id: string; status: string } | undefined> {
  if (step.action === 'create') {
    await conn.query(CREATE_SQL, [step.user, step.type, step.amount, step.expires], 'anchor-lifecycle:create');
    return undefined;
  }
  const r = await conn.query(ADVANCE_SQL, [step.user, step.outcome], 'anchor-lifecycle:advance');
  return r.rows[0] as { id: string; status: string } | undefined;
}

export const scenario: WriteScenario = {
  kind: 'write',
  name: 'anchor-lifecycle',
  title: 'Anchor authorization lifecycle',
  description: 'Create an authorization (1/3) or advance one AUTHORIZED -> PENDING -> FULFILLED/EXPIRED/FAILED (2/3).',
  async execute(conn, rng, ctx) {
    await runAnchorStep(conn, drawAnchorStep(rng, ctx));
  },
};
