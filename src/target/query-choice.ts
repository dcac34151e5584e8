/**
 * Which query each read scenario runs on an existing database (`--target`), and why:
 * its first after-query whose features the target's catalog shows, else its
 * before-query (scenarios/registry.ts queryFor, side 'after').
 */
import type { Feature } from '../variant-build/types.js';
import type { TargetDatabase } from '../result/types.js';
import type { FeatureFinding } from './features.js';
import { getScenario, queryFor } from '../../scenarios/registry.js';
import type { ReadScenario } from '../../scenarios/types.js';

/** The query of every read scenario among `scenarios`, with the reason (pure). */
export function chooseQueries(scenarios: readonly string[], features: readonly Feature[], findings: readonly FeatureFinding[]): TargetDatabase['queries'] {
  const why = (f: Feature) => findings.find((x) => x.feature === f)?.why ?? `no ${f}`;
  return scenarios.flatMap((name): TargetDatabase['queries'] => {
    const s = getScenario(name);
    if (s.kind !== 'read') return [];
    const read = s as ReadScenario<unknown>;
    const q = queryFor(read, features, 'after');
    if (q !== read.before) {
      return [{ scenario: name, query: q.label, side: 'after' as const, why: `after-query: the target has ${q.requires.map((f) => `${f} (${why(f)})`).join(', ')}` }];
    }
    const lacks = read.after.map((a) => `${a.label} needs ${a.requires.filter((f) => !features.includes(f)).map((f) => `${f} (${why(f)})`).join(', ')}`);
    return [{ scenario: name, query: q.label, side: 'before' as const, why: lacks.length ? `before-query: ${lacks.join('; ')}` : 'before-query: the scenario has no after-query' }];
  });
}
