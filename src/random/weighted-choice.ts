/** Weighted choice of a transaction type for a schedule slot. */
import type { TransactionType } from '../workload/types.js';

/** Cumulative normalised weights (last entry is exactly 1). Throws on an empty or weightless workload. */
export function cumulativeWeights(types: readonly Pick<TransactionType, 'name' | 'weight'>[]): Float64Array {
  if (types.length === 0) throw new Error('workload has no transaction types');
  let total = 0;
  for (const t of types) {
    if (!(t.weight >= 0) || !Number.isFinite(t.weight)) throw new Error(`transaction type "${t.name}" has an invalid weight ${t.weight}`);
    total += t.weight;
  }
  if (total <= 0) throw new Error('all transaction weights are zero');
  const cum = new Float64Array(types.length);
  let acc = 0;
  types.forEach((t, i) => {
    acc += t.weight / total;
    cum[i] = acc;
  });
  cum[types.length - 1] = 1;
  return cum;
}

/** Index of the type a uniform draw `u` in [0,1) selects. */
export function pickType(cum: Float64Array, u: number): number {
  for (let i = 0; i < cum.length; i++) if (u < cum[i]!) return i;
  return cum.length - 1;
}
