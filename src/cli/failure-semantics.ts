/**
 * What counts as an error, a retry, a drop, a partial result, and what each exit code
 * means: one text, shown by `--help` (the binary's and the measuring commands') and
 * quoted verbatim in README.md's "Failure semantics" section (a test keeps them equal).
 * Plain text that also reads as a Markdown list, so both places render it as is.
 */
export const FAILURE_SEMANTICS_TITLE = 'Failure semantics';

/** The items, one per concept. */
export const FAILURE_SEMANTICS: readonly string[] = [
  'error: a transaction that still failed after its tries. It is counted per scenario under its SQLSTATE, or CONNECTION_LOST (the connection broke under it), or CLIENT (a failure inside ledger-bench, not in SQL). Errors are not in the latency percentiles, and the run goes on.',
  'retry: a serialization failure (40001) or a deadlock (40P01) re-runs the whole transaction at once with the same random draws, up to --max-tries tries. Its latency includes every try; retries counts the extra tries; after the last try it is an error.',
  'drop: a transaction that fell due when no connection was free and the backlog was full. It never runs, it is counted as dropped, and the run reports that it did not reach its target rate.',
  'lost connection: it is re-established with bounded backoff for up to --reconnect-timeout (default 30 s); the transactions that fail in the gap count as CONNECTION_LOST errors. Past that limit the run ends partial.',
  'partial: a run that ended before its schedule did (interrupted, or broken). What it measured is still written, flagged "partial": true with partialReason in the result JSON. No budget is judged on a partial run.',
  'exit codes: 0 ok (every run complete, every budget met); 1 failure (a run broke and ended partial, verification failed, or an unexpected error); 2 bad input, every problem listed at once and no database touched; 99 a complete run missed a budget or gate, or left a budget undecided (its 95% interval straddles the threshold, or too few samples; --inconclusive pass lets that through); 130 interrupted (Ctrl-C or SIGTERM), after writing what was measured. The last line printed, on stderr after every cleanup, says which: "ledger-bench <command>: exit <code> (<meaning>)", e.g. "ledger-bench run: exit 99 (a budget failed or was not decided)"; the line before it gives the detail.',
];

/** The text wrapped to `width` columns, items as "- " bullets with hanging indent. */
export function renderFailureSemantics(width = 88): string {
  const lines = [`${FAILURE_SEMANTICS_TITLE}:`];
  for (const item of FAILURE_SEMANTICS) {
    let line = '-';
    for (const word of item.split(' ')) {
      if (line.length + 1 + word.length > width && line.trim() !== '-') {
        lines.push(line);
        line = ' ';
      }
      line += ' ' + word;
    }
    lines.push(line);
  }
  return lines.join('\n');
}
