/**
 * What `--base` and `--head` name: a variant (built-in or from --variants-dir), run
 * here in interleaved blocks, or a result JSON file, read and not run. A result the
 * gate wrote itself (`gate-base.json`, `gate-head.json`) carries its per-block p95s
 * (`gateBlocks`); any other result counts as ONE block, its whole-run p95 (a weaker
 * guarantee: that side's noise between blocks is unknown, see docs/gate.md).
 * Git refs are not supported yet: the message says so.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RunResult } from '../result/types.js';
import type { BlockScenario } from './judge.js';

/** One side of the gate. */
export type GateSide = { kind: 'variant'; name: string } | { kind: 'result'; path: string };

/** Per-block data stored in a side's pooled result (the `gateBlocks` field). */
export type StoredBlocks = Array<Record<string, BlockScenario>>;

/** Classifies a --base/--head value, or returns the problem with it. */
export function classifySide(flag: '--base' | '--head', value: string, variants: readonly string[]): { side: GateSide } | { problem: string } {
  const v = value.trim();
  if (!v) return { problem: `${flag} is required: a variant name (${variants.join(', ')}) or a result JSON file` };
  if (variants.includes(v)) return { side: { kind: 'variant', name: v } };
  const file = resolve(v);
  if (existsSync(file) && statSync(file).isFile()) return { side: { kind: 'result', path: file } };
  if (v.endsWith('.json')) return { problem: `${flag} ${v}: no such file (give a result JSON written by run, compare or gate)` };
  return {
    problem:
      `${flag} "${v}" is neither a variant (${variants.join(', ')}; more with --variants-dir) nor a result JSON file; ` +
      `git refs are not supported yet: check the ref out and pass its variant with --variants-dir, or a result file it produced`,
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
