/**
 * Whether a directory a command writes into can be made and written, checked before
 * the command touches anything. A --out that names a file, or lies under one, or where
 * this user cannot write, is bad input up front (exit 2), not a stack trace after a run
 * whose result is then lost.
 */
import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * The problem with writing into directory `dir` (created with its parents if missing),
 * or undefined when there is none. `what` names it in the message, e.g. `--out reports`.
 */
export function outDirProblem(dir: string, what: string): string | undefined {
  const fix = 'give --out a directory you can write to (it is created if missing)';
  // The deepest part of the path that exists: the directory itself, or the ancestor
  // that `mkdir -p` would create it in.
  let p = resolve(dir);
  let st: Stats;
  for (;;) {
    try {
      st = statSync(p);
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // ENOTDIR: a part of the path is a file; the loop climbs to it and reports it.
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(p) === p) return `${what}: cannot check ${p} (${(err as Error).message}); ${fix}`;
      p = dirname(p);
    }
  }
  if (!st.isDirectory()) return `${what}: ${p} is a file, not a directory; ${fix}`;
  try {
    accessSync(p, constants.W_OK | constants.X_OK);
  } catch {
    return `${what}: ${p} is not writable by this user; ${fix}`;
  }
  return undefined;
}
