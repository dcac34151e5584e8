/** The value after `--name` on a benchmark script's command line, or `def`. Shared by the bench scripts (their flags are few and unchecked: they are tools, not the CLI). */
export function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : def;
}
