/** Temp dirs (`/tmp/lb-<label>-*`) of a test file, removed when its process exits, whether its tests passed or not. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];
// node --test runs each file in its own process: this runs once, after the file's last test.
process.on('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory under the system temp dir, removed at exit. */
export function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `lb-${label}-`));
  made.push(dir);
  return dir;
}
