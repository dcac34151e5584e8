/**
 * How a load run's result maps to the exit code: a partial result never exits 0 or 99.
 * Interrupted (Ctrl-C, SIGTERM) -> 130; broken (server gone, connections lost past the
 * reconnect limit) -> 1. Budgets are judged only on complete runs.
 */
import { ExitCode } from '../errors.js';
import type { RunResult } from '../result/types.js';

/** The exit code and the outcome line (detail above main.ts's exit line) for partial results, or undefined when every run is complete. */
export function partialOutcome(runs: ReadonlyArray<{ label: string; result: Pick<RunResult, 'partial' | 'partialKind' | 'partialReason'> }>): { code: number; line: string } | undefined {
  const partial = runs.filter((r) => r.result.partial);
  if (partial.length === 0) return undefined;
  // Results written before partialKind existed: a partial run is a failure unless known to be interrupted.
  const broken = partial.some((r) => (r.result.partialKind ?? 'broken') === 'broken');
  const code = broken ? ExitCode.failure : ExitCode.interrupted;
  const why = (r: (typeof runs)[number]): string => r.result.partialReason ?? r.result.partialKind ?? 'ended early';
  if (runs.length === 1) return { code, line: `run ended partial (${why(partial[0]!)})` };
  const what = partial.map((r) => `${r.label} (${why(r)})`).join(', ');
  return { code, line: `${partial.length} of ${runs.length} runs ended partial: ${what}` };
}
