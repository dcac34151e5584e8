/**
 * Request validation for the ledger API (zod). Each schema describes what one
 * endpoint takes from its path, query string and body, merged into one object, and
 * produces the scenario's own parameter shape, so the SQL binds exactly what the
 * engine binds. Limits are the schema's own (CHECK constraints, column types), so a
 * request the database would reject is a 400 here rather than a 500 there.
 */
import { z } from 'zod';
import { ANCHOR_TYPES, OUTCOMES } from '../../scenarios/anchor-lifecycle.js';
import { SOURCES } from '../../scenarios/post-journal-entry.js';

/** Longest date window a search or history request may span (days). */
export const MAX_WINDOW_DAYS = 366;

const INT4_MAX = 2 ** 31 - 1;

/** A real calendar date, YYYY-MM-DD. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(d + 'T00:00:00Z')) && new Date(d + 'T00:00:00Z').toISOString().startsWith(d), 'not a calendar date');

/** An account id (integer key, from the path, so it arrives as text). */
export const accountId = z.coerce.number().int('expected a whole number').min(1).max(INT4_MAX);

/** A user address as the schema's CHECK accepts it: 0x and 40 lower-case hex digits. */
export const userAddress = z.string().regex(/^0x[0-9a-f]{40}$/, 'expected 0x followed by 40 lower-case hex digits');

/** A positive amount with at most 4 decimals (numeric(19,4)), as a string or a number. */
export const amount = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .refine((v) => /^\d{1,15}(\.\d{1,4})?$/.test(v) && /[1-9]/.test(v), 'expected a positive amount with at most 4 decimals, e.g. "12.50"');

function days(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / 86_400_000;
}

/** A date window: from < to, at most MAX_WINDOW_DAYS. */
function window<T extends { from: string; to: string }>(s: z.ZodType<T>): z.ZodType<T> {
  return s.superRefine((v, ctx) => {
    const d = days(v.from, v.to);
    if (d <= 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    else if (d > MAX_WINDOW_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `window longer than ${MAX_WINDOW_DAYS} days` });
  }) as unknown as z.ZodType<T>;
}

export const balanceInput = z.object({ accountId });

export const journalSearchInput = window(
  z.object({ from: isoDate, to: isoDate, source: z.enum(SOURCES) }),
);

export const recentInput = z.object({ asOf: isoDate.optional() });

export const balanceHistoryInput = window(z.object({ accountId, from: isoDate, to: isoDate }));

export const obligationsInput = z.object({
  user: userAddress,
  soon: z.iso.datetime({ offset: true }).optional(),
});

export const postEntryInput = z
  .object({
    source: z.enum(SOURCES),
    lines: z
      .array(z.object({ accountId, type: z.enum(['DEBIT', 'CREDIT']), amount }))
      .min(2, 'an entry needs at least 2 lines')
      .max(50, 'at most 50 lines'),
  })
  .superRefine((v, ctx) => {
    // Integer arithmetic in 1/10000 units: the balance check must be exact.
    let sum = 0n;
    for (const l of v.lines) {
      const [int, frac = ''] = l.amount.split('.');
      const units = BigInt(int!) * 10000n + BigInt(frac.padEnd(4, '0'));
      sum += l.type === 'DEBIT' ? units : -units;
    }
    if (sum !== 0n) ctx.addIssue({ code: 'custom', path: ['lines'], message: 'debits and credits must balance' });
  });

export const createAuthorizationInput = z.object({
  user: userAddress,
  type: z.enum(ANCHOR_TYPES),
  amount,
  expiresAt: z.iso.datetime({ offset: true }),
});

export const advanceInput = z.object({ user: userAddress, outcome: z.enum(OUTCOMES) });

/** Longest rank list `GET /scenario-context` returns. */
export const MAX_CONTEXT_LIMIT = 1_000_000;

export const scenarioContextInput = z.object({
  limit: z.coerce.number().int('expected a whole number').min(1).max(MAX_CONTEXT_LIMIT).default(10_000),
});

/** One problem of a rejected request, as the 400 body lists it. */
export interface InputProblem {
  path: string;
  message: string;
}

/** The problems zod found, with dotted paths (`lines.1.amount`). */
export function problemsOf(err: z.ZodError): InputProblem[] {
  return err.issues.map((i) => ({ path: i.path.map(String).join('.') || '(request)', message: i.message }));
}
