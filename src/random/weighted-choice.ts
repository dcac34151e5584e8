/**
 * The one weighted (categorical) choice: a cumulative table of normalised weights
 * searched linearly (the lists here have < 10 items, where a scan beats an alias
 * table). The engine picks a transaction type per schedule slot with it, the seeder
 * picks sources, account types, line shapes and TTLs with {@link weightedChoice}.
 */
import type { Rng } from '../workload/types.js';

/** A named weight (a transaction type, or an item of {@link weightedChoice}). */
interface Weighted {
  name: string;
  weight: number;
}

/** Cumulative normalised weights (last entry is exactly 1). Throws on an empty or weightless workload. */
export function cumulativeWeights(types: readonly Weighted[]): Float64Array {
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

/** A categorical distribution over `items` with relative `weights`. */
export interface WeightedChoice<T> {
  readonly items: readonly T[];
  /** Draws one item. */
  pick(rng: Rng): T;
  /** Draws one item's index. */
  pickIndex(rng: Rng): number;
}

/** A sampler of `items` with relative `weights` (one draw of `rng` per pick). */
export function weightedChoice<T>(items: readonly T[], weights: readonly number[]): WeightedChoice<T> {
  if (items.length === 0 || items.length !== weights.length) {
    throw new RangeError('weightedChoice needs as many weights as items, at least one');
  }
  const cum = cumulativeWeights(weights.map((weight, i) => ({ name: `item ${i}`, weight })));
  const pickIndex = (rng: Rng): number => pickType(cum, rng.next());
  return { items, pickIndex, pick: (rng) => items[pickIndex(rng)] as T };
}
