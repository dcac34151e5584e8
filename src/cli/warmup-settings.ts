/** `--warmup` and `--max-warmup` as the engine takes them (warmupSec, maxWarmupSec), and their problems. */
import { DEFAULTS } from '../config/defaults.js';
import type { Source } from '../config/load.js';

/** The settings involved. */
export interface WarmupSettings {
  warmupSec: number;
  maxWarmupSec: 'auto' | number;
}

/** The longest warm-up in seconds: `auto` is DEFAULTS.maxWarmupAutoFactor x --warmup, or --warmup itself (fixed) below 1 s. */
export function maxWarmupSec(s: WarmupSettings): number {
  if (s.maxWarmupSec !== 'auto') return s.maxWarmupSec;
  return s.warmupSec >= 1 ? s.warmupSec * DEFAULTS.maxWarmupAutoFactor : s.warmupSec;
}

/** What is wrong with the pair (the maximum below the minimum; a maximum with --segment), naming the flags. */
export function warmupProblems(s: WarmupSettings, sources: { maxWarmupSec?: Source }, segmented = false): string[] {
  const problems: string[] = [];
  if (s.maxWarmupSec !== 'auto' && s.maxWarmupSec < s.warmupSec)
    problems.push(`--max-warmup ${s.maxWarmupSec}s is below --warmup ${s.warmupSec}s: the longest warm-up must be at least the shortest; raise --max-warmup (or give it equal to --warmup for a fixed warm-up)`);
  if (segmented && sources.maxWarmupSec !== undefined && sources.maxWarmupSec !== 'default' && s.maxWarmupSec !== s.warmupSec)
    problems.push('--max-warmup cannot be used with --segment: each machine would start its measured window at a different second; use a fixed --warmup');
  return problems;
}

/** "5s" for a fixed warm-up, "5-30s" when it lasts until steady. */
export function warmupText(s: WarmupSettings): string {
  const max = maxWarmupSec(s);
  return max > s.warmupSec ? `${s.warmupSec}-${max}s` : `${s.warmupSec}s`;
}
