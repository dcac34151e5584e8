/**
 * What `--base` and `--head` name: a variant (built-in or from --variants-dir), run
 * here in interleaved blocks, or a result JSON file, read and not run. A result the
 * gate wrote itself (`gate-base.json`, `gate-head.json`) carries its per-block p95s
 * (`gateBlocks`); any other result counts as ONE block, its whole-run p95 (a weaker
 * guarantee: that side's noise between blocks is unknown, see docs/gate.md).
 * Anything else that resolves to a commit in the current directory's git repository
 * is a git ref (`REF` or `REF:VARIANT`): that variant and the scenario SQL as they are
 * at the commit (git-ref.ts).
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RunResult } from '../result/types.js';
import { DEFAULT_REF_VARIANT, parseRefSide } from './git-ref.js';
import type { BlockScenario } from './judge.js';

/** One side of the gate. */
export type GateSide =
  | { kind: 'variant'; name: string }
  | { kind: 'result'; path: string }
  /** `ref` as given, the commit it resolved to, the variant run from that commit's tree. */
  | { kind: 'ref'; ref: string; commit: string; variant: string };

/** The sides the gate runs (variants and git refs); a result file is read. */
export function runsHere(side: GateSide): side is Exclude<GateSide, { kind: 'result' }> {
  return side.kind !== 'result';
}

/** The variant name a running side's results carry (`optimized@1a2b3c4d5e6f` for a ref). */
export function sideVariantLabel(side: Exclude<GateSide, { kind: 'result' }>): string {
  return side.kind === 'variant' ? side.name : `${side.variant}@${side.commit.slice(0, 12)}`;
}

/** Per-block data stored in a side's pooled result (the `gateBlocks` field). */
export type StoredBlocks = Array<Record<string, BlockScenario>>;

/** Classifies a --base/--head value, or returns the problem with it. */
export function classifySide(flag: '--base' | '--head', value: string, variants: readonly string[], cwd = process.cwd()): { side: GateSide } | { problem: string } {
  const v = value.trim();
  if (!v) return { problem: `${flag} is required: a variant name (${variants.join(', ')}), a result JSON file or a git ref` };
  if (variants.includes(v)) return { side: { kind: 'variant', name: v } };
  const file = resolve(v);
  if (existsSync(file) && statSync(file).isFile()) return { side: { kind: 'result', path: file } };
  if (v.endsWith('.json')) return { problem: `${flag} ${v}: no such file (give a result JSON written by run, compare or gate)` };
  const ref = parseRefSide(v, cwd);
  if (ref) return { side: { kind: 'ref', ...ref } };
  return {
    problem:
      `${flag} "${v}" is neither a variant (${variants.join(', ')}; more with --variants-dir), nor a result JSON file, ` +
      `nor a git ref of the repository in ${cwd} (\`git rev-parse --verify '${v}^{commit}'\` finds no commit; fetch it first, ` +
      `e.g. git fetch origin <branch>, or give REF:VARIANT; a plain REF runs its "${DEFAULT_REF_VARIANT}" variant)`,
  };
}

/** The per-scenario blocks of a result file: its stored gate blocks, else the whole run as one block. */
export function blocksOfResult(r: RunResult): StoredBlocks {
  const stored = (r as { gateBlocks?: unknown }).gateBlocks;
  if (Array.isArray(stored) && stored.length > 0) return stored as StoredBlocks;
  return [Object.fromEntries(r.scenarios.map((s) => [s.name, { p95: s.latencyMs.p95, count: s.count }]))];
}

/** Each scenario's p95 and count in one run result. */
export function blockOfRun(r: RunResult): Record<string, BlockScenario> {
  return Object.fromEntries(r.scenarios.map((s) => [s.name, { p95: s.latencyMs.p95, count: s.count }]));
}
