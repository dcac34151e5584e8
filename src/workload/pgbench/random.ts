/**
 * pgbench's random functions, following pgbench.c (PostgreSQL 13+): same formulas,
 * same parameter checks, same error texts. `u()` is a uniform draw in [0, 1)
 * (pgbench's pg_prng_double); the sequence of draws per call matches pgbench's.
 */

/** A uniform [0, 1) source. */
export type Uniform = () => number;

/** pgbench's lower bound for random_gaussian's parameter. */
export const MIN_GAUSSIAN_PARAM = 2.0;
/** pgbench's accepted range for random_zipfian's parameter. */
export const MIN_ZIPFIAN_PARAM = 1.001;
export const MAX_ZIPFIAN_PARAM = 1000.0;

/** Thrown for invalid arguments (pgbench aborts the client with the same message). */
export class PgbenchEvalError extends Error {
  override name = 'PgbenchEvalError';
}

function checkRange(lb: number, ub: number): void {
  if (lb > ub) throw new PgbenchEvalError('empty range given to random');
}

/** random(lb, ub): uniform integer in [lb, ub]. */
export function randomUniform(u: Uniform, lb: number, ub: number): number {
  checkRange(lb, ub);
  return lb + Math.floor((ub - lb + 1) * u());
}

/**
 * random_exponential(lb, ub, parameter): the density is exp(-parameter * x) cut at
 * [lb, ub]; values near lb are most frequent (pgbench getExponentialRand).
 */
export function randomExponential(u: Uniform, lb: number, ub: number, parameter: number): number {
  checkRange(lb, ub);
  if (!(parameter > 0)) throw new PgbenchEvalError('exponential parameter must be greater than zero (got ' + parameter + ')');
  const cut = Math.exp(-parameter);
  const uniform = 1.0 - u(); // (0, 1]
  const rand = -Math.log(cut + (1.0 - cut) * uniform) / parameter; // [0, 1)
  return lb + Math.trunc((ub - lb + 1) * rand);
}

/**
 * random_gaussian(lb, ub, parameter): a normal distribution centred on the middle of
 * the interval, truncated at ±parameter standard deviations (Box-Muller, rejection).
 */
export function randomGaussian(u: Uniform, lb: number, ub: number, parameter: number): number {
  checkRange(lb, ub);
  if (parameter < MIN_GAUSSIAN_PARAM) throw new PgbenchEvalError(`gaussian parameter must be at least ${MIN_GAUSSIAN_PARAM.toFixed(6)} (not ${parameter.toFixed(6)})`);
  let stdev: number;
  do {
    const rand1 = 1.0 - u(); // (0, 1]: log is defined
    const rand2 = u();
    const varSqrt = Math.sqrt(-2.0 * Math.log(rand1));
    stdev = varSqrt * Math.sin(2.0 * Math.PI * rand2);
  } while (stdev < -parameter || stdev >= parameter);
  const rand = (stdev + parameter) / (parameter * 2.0); // [0, 1)
  return lb + Math.trunc((ub - lb + 1) * rand);
}

/**
 * random_zipfian(lb, ub, s): bounded Zipf over n = ub - lb + 1 values, P(k)/P(k+1) =
 * ((k+1)/k)^s, by Devroye's rejection method (pgbench computeIterativeZipfian).
 * pgbench's docs warn that rank 1 is lb: scatter ranks (e.g. with a hash) to avoid
 * correlating skew with physical row order.
 */
export function randomZipfian(u: Uniform, lb: number, ub: number, s: number): number {
  checkRange(lb, ub);
  if (s < MIN_ZIPFIAN_PARAM || s > MAX_ZIPFIAN_PARAM) {
    throw new PgbenchEvalError(`zipfian parameter must be in range [${MIN_ZIPFIAN_PARAM.toFixed(3)}, ${MAX_ZIPFIAN_PARAM.toFixed(0)}] (not ${s})`);
  }
  const n = ub - lb + 1;
  return lb - 1 + iterativeZipfian(u, n, s);
}

function iterativeZipfian(u: Uniform, n: number, s: number): number {
  if (n <= 1) return 1;
  const b = Math.pow(2.0, s - 1.0);
  for (;;) {
    const uu = u();
    const v = u();
    const x = Math.floor(Math.pow(uu, -1.0 / (s - 1.0)));
    const t = Math.pow(1.0 + 1.0 / x, s - 1.0);
    // Reject if too large or out of bounds.
    if ((v * x * (t - 1.0)) / (b - 1.0) <= t / b && x <= n) return x;
  }
}
