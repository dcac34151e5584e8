/**
 * Debian's chromium, headless, for the test that checks the HTML report really draws
 * its charts. Absent on a machine without it: the test is skipped with this reason
 * (`.ci/run` installs it when it can).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

function find(): string | undefined {
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
    } catch {
      // not this one
    }
  }
  return undefined;
}

/** Path of the browser, or undefined. */
export const CHROMIUM = find();

/** Why browser tests are skipped (false when they run). */
export const chromiumSkip: string | false = CHROMIUM ? false : 'chromium is not installed (apt-get install chromium); the HTML report was not rendered';

/** Loads a local file headless (no network, throwaway profile); returns the DOM after scripts ran, or writes a screenshot. */
export function headless(file: string, o: { screenshot?: string; width?: number; height?: number } = {}): string {
  const profile = mkdtempSync(join(tmpdir(), 'lb-chromium-'));
  try {
    const r = spawnSync(
      CHROMIUM!,
      [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--hide-scrollbars', `--user-data-dir=${profile}`,
        `--window-size=${o.width ?? 1200},${o.height ?? 1400}`, '--virtual-time-budget=5000',
        o.screenshot ? `--screenshot=${o.screenshot}` : '--dump-dom',
        pathToFileURL(file).href,
      ],
      { encoding: 'utf8', timeout: 90_000, maxBuffer: 64 * 2 ** 20 },
    );
    if (r.status !== 0) throw new Error(`chromium exited ${r.status}: ${r.stderr.slice(-500)}`);
    return r.stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** The data-charts-* attributes the report page sets on <body> once its charts drew. */
export function chartCounts(dom: string): { expected: number; drawn: number; inked: number } {
  const body = /<body([^>]*)>/.exec(dom)?.[1] ?? '';
  const attr = (n: string) => Number(new RegExp(`data-charts-${n}="(\\d+)"`).exec(body)?.[1] ?? NaN);
  return { expected: attr('expected'), drawn: attr('drawn'), inked: attr('inked') };
}
