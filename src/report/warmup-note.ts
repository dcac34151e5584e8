/**
 * A short note for a run whose measured window may hold a transient: it never settled
 * by its longest warm-up, or its window began with slots waiting for a connection. So
 * nobody reads a warm-up transient as a property of the schema. Pure functions of the
 * result JSON (results without the fields get no note).
 */
import type { RunResult } from '../result/types.js';

/** "never settled by 30 s; began with 812 slots waiting", or undefined when neither holds. */
export function warmupNote(result: RunResult): string | undefined {
  const notes: string[] = [];
  const w = result.warmup;
  if (w?.settled === false) notes.push(w.saturated ? `saturated: could not settle (slots dropped every second), measured from ${w.endedSec} s anyway` : `never settled by ${w.maxSec} s of warm-up, measured anyway`);
  if ((result.backlogAtStart ?? 0) > 0) notes.push(`window began with ${result.backlogAtStart} slots waiting (a warm-up backlog)`);
  return notes.length ? notes.join('; ') : undefined;
}

/** The note as a bracketed suffix (' [never settled ...]'), or ''. */
export function warmupSuffix(result: RunResult): string {
  const n = warmupNote(result);
  return n ? ` [${n}]` : '';
}

/** Markdown lines naming every run with a note (none when no run has one). */
export function warmupNoteLines(runs: ReadonlyArray<{ variant: string; result: RunResult }>): string[] {
  const noted = runs.flatMap((r) => {
    const n = warmupNote(r.result);
    return n ? [`${r.variant} (${n})`] : [];
  });
  return noted.length ? [`**Transient in the measured window**: ${noted.join(', ')}. Its latencies may describe the warm-up, not the schema.`, ''] : [];
}

/** How the warm-up ended, for a run summary: "warm-up 7 s (steady; 5-30 s)"; undefined for results without it. */
export function warmupDescription(result: RunResult): string | undefined {
  const w = result.warmup;
  if (!w || w.endedSec === null) return undefined;
  if (w.settled === null) return `warm-up ${w.endedSec}s excluded (fixed)`;
  return `warm-up ${w.endedSec}s excluded (${w.settled ? 'steady then' : w.saturated ? 'SATURATED: could not settle' : 'NEVER SETTLED'}; ${w.minSec}-${w.maxSec}s allowed)`;
}

/** When the measured window began, seconds from t0: the warm-up's actual end, else (older results) --warmup. */
export function windowStartSec(result: RunResult): number {
  return result.warmup?.endedSec ?? result.target.warmupSec;
}

/** "after 5 s warm-up", or "after a warm-up of 5-30 s (until steady)" for runs that waited for the steady state. */
export function warmupPhrase(result: RunResult): string {
  const w = result.warmup;
  return w && w.maxSec > w.minSec ? `after a warm-up of ${w.minSec}-${w.maxSec} s (until steady)` : `after ${result.target.warmupSec} s warm-up`;
}
