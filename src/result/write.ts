/** Writes and reads result files. */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resultSchema } from './schema.js';
import type { RunResult } from './types.js';

/** File name for a result: sortable timestamp plus variant. */
export function resultFileName(result: RunResult): string {
  const stamp = result.startedAt.replace(/[:.]/g, '-');
  const seg = result.target.segment ? `-seg${result.target.segment.index + 1}of${result.target.segment.count}` : '';
  return `result-${stamp}${result.variant ? '-' + result.variant.replace(/[^a-z0-9_-]/gi, '_') : ''}${seg}.json`;
}

/**
 * Validates `result` and writes it to `dir` atomically (temp file in the same directory,
 * then rename), so a reader or an interrupted run never sees half a file. Returns the path.
 */
export async function writeResultAtomic(dir: string, result: RunResult, fileName = resultFileName(result)): Promise<string> {
  const valid = resultSchema.parse(result);
  await mkdir(dir, { recursive: true });
  const path = join(dir, fileName);
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, JSON.stringify(valid, null, 2) + '\n', 'utf8');
  await rename(tmp, path);
  return path;
}

/** Reads and validates a result file. */
export async function readResult(path: string): Promise<RunResult> {
  return resultSchema.parse(JSON.parse(await readFile(path, 'utf8')));
}
