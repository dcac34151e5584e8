/**
 * What the request draws need to know about the data set, built from the API's
 * `GET /scenario-context` answer: "today" (asOf), the seeder's accounts and users
 * hottest first, and the Zipf skews to draw them with, so k6 draws the same hot
 * accounts and users as the harness (with Math.random, not the harness's seeded RNG).
 *
 * Pure: no k6 import, so Node tests can run the draws against the real API.
 */

/** The answer of `GET /scenario-context` (src/api/endpoints.ts). */
export interface ScenarioContextBody {
  asOf: string;
  accounts: { count: number; theta: number; byRank: number[] };
  users: { count: number; theta: number; byRank: string[] };
}

/** The draws' view of the data set. */
export interface DrawContext {
  asOf: string;
  /** Uniform in [0, 1). */
  random(): number;
  /** A regular account id, Zipf over the seeder's ranking. */
  pickAccount(): number;
  /** An anchor user address, Zipf over the users' ranking (most authorizations first). */
  pickUser(): string;
}

/** Uniform integer in [lo, hi]. */
export function int(c: DrawContext, lo: number, hi: number): number {
  return lo + Math.floor(c.random() * (hi - lo + 1));
}

/** `date` (YYYY-MM-DD) plus `days`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(date + 'T00:00:00Z') + days * 86_400_000).toISOString().slice(0, 10);
}

/** Exponential with mean `mean` (inverse CDF). */
export function exponential(c: DrawContext, mean: number): number {
  return -Math.log(1 - c.random()) * mean;
}

/**
 * Zipf rank sampler over 1..n (Gray et al.'s method for theta < 1, as the harness's
 * src/random/distributions.ts; an inverse-CDF table otherwise).
 */
export function zipf(n: number, theta: number, random: () => number): () => number {
  if (n <= 1) return () => 1;
  if (theta === 0) return () => 1 + Math.floor(random() * n);
  if (theta < 1) {
    let zetan = 0;
    for (let i = 1; i <= n; i++) zetan += 1 / Math.pow(i, theta);
    const zeta2 = 1 + 1 / Math.pow(2, theta);
    const alpha = 1 / (1 - theta);
    const eta = (1 - Math.pow(2 / n, 1 - theta)) / (1 - zeta2 / zetan);
    const half = Math.pow(0.5, theta);
    return () => {
      const u = random();
      const uz = u * zetan;
      if (uz < 1) return 1;
      if (uz < 1 + half) return 2;
      return Math.min(n, 1 + Math.floor(n * Math.pow(eta * u - eta + 1, alpha)));
    };
  }
  const cdf: number[] = [];
  let sum = 0;
  for (let i = 1; i <= n; i++) cdf.push((sum += 1 / Math.pow(i, theta)));
  return () => {
    const target = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return lo + 1;
  };
}

/**
 * The draw context of a `/scenario-context` answer. Ranks are drawn over the listed
 * accounts and users only: with `limit` below the data set's count (large scales) the
 * coldest ones are never drawn (docs/k6.md).
 */
export function drawContext(body: ScenarioContextBody, random: () => number = Math.random): DrawContext {
  const accounts = body.accounts.byRank;
  const users = body.users.byRank;
  if (accounts.length === 0) throw new Error('the API lists no regular accounts: is the database seeded?');
  const accountRank = zipf(accounts.length, body.accounts.theta, random);
  const userRank = zipf(Math.max(1, users.length), body.users.theta, random);
  return {
    asOf: body.asOf,
    random,
    pickAccount: () => accounts[accountRank() - 1]!,
    // As the harness's context: a data set without authorizations draws one fixed address.
    pickUser: () => users[userRank() - 1] ?? '0x' + '0'.repeat(40),
  };
}
