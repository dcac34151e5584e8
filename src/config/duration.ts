/**
 * Durations as users type them: `30s`, `2m`, `1h`, `500ms`, or a bare number of seconds.
 * Returns seconds, or undefined when the text is not a duration.
 */
export function parseDurationSec(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  switch ((m[2] ?? 's').toLowerCase()) {
    case 'ms':
      return n / 1000;
    case 'm':
      return n * 60;
    case 'h':
      return n * 3600;
    default:
      return n;
  }
}
