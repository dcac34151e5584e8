/**
 * Anchor obligations of one user: active (AUTHORIZED/PENDING) authorizations per
 * status with count, total, next expiry and how many expire within 24 hours of
 * asOf's end. Served by idx_anchor_auth_user_status_expires / the active partial
 * index, or by pruning to the `active` partition. The status list is literal, for
 * the same generic-plan reason as journal-entry-search.
 */
import { addDays } from './context.js';
import { defineRead } from './types.js';

const SQL = `SELECT status,
       count(*) AS authorizations,
       sum(amount) AS total_amount,
       min(expires_at) AS next_expiry,
       count(*) FILTER (WHERE expires_at < $2::timestamptz) AS expiring_soon
  FROM anchor_authorizations
 WHERE user_address = $1 AND status IN ('AUTHORIZED', 'PENDING')
 GROUP BY status
 ORDER BY status`;

export const scenario = defineRead<{ user: string; soon: string }>({
  kind: 'read',
  name: 'anchor-obligation-summary',
  title: 'Anchor obligation summary',
  description: 'Active authorizations of one (Zipf-drawn) user by status, with those expiring within a day of asOf.',
  params: (rng, ctx) => ({ user: ctx.pickUser(rng), soon: addDays(ctx.asOf, 2) + 'T00:00:00Z' }),
  before: { label: 'user-index', requires: [], sql: SQL, values: (p) => [p.user, p.soon] },
  after: [
    {
      label: 'active-partition',
      requires: ['partitioned-anchors'],
      sql: SQL,
      values: (p) => [p.user, p.soon],
      note: 'Same SQL; the status list prunes to anchor_authorizations_active.',
    },
    {
      label: 'compound-index',
      requires: ['compound-indexes'],
      sql: SQL,
      values: (p) => [p.user, p.soon],
      note: 'Same SQL; idx_anchor_auth_user_status_expires serves it.',
    },
  ],
  compare: { ordered: true },
  claim: { beforeMs: [300, 800], afterMs: [30, 80], source: 'Expected Performance Improvements: Anchor Obligation Summary' },
});
