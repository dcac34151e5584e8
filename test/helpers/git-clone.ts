/**
 * A throwaway git repository made from this project (a clone of its committed HEAD,
 * under the system temp dir, removed at exit), to commit test changes in without touching the project's
 * own history. For the gate's git-ref sides.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from './cli.js';
import { tempDir } from './temp-dir.js';

/** A temp clone and git in it. */
export interface TempClone {
  dir: string;
  /** Runs git in the clone; returns its trimmed stdout. */
  git(...args: string[]): string;
  /** Writes `files` (path -> content; null deletes), commits them as `message`, tags the commit `tag`; returns its sha. */
  commit(message: string, tag: string, files: Record<string, string | null>): string;
}

/** Clones the project's committed HEAD into a fresh temp directory. */
export function tempClone(label = 'git'): TempClone {
  const dir = join(tempDir(label), 'repo');
  execFileSync('git', ['clone', '--quiet', '--no-hardlinks', ROOT, dir], { stdio: 'ignore' });
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', dir, '-c', 'user.name=ledger-bench test', '-c', 'user.email=test@ledger-bench.invalid', '-c', 'commit.gpgsign=false', ...args], { encoding: 'utf8' }).trim();
  return {
    dir,
    git,
    commit(message, tag, files) {
      for (const [path, content] of Object.entries(files)) {
        if (content === null) git('rm', '--quiet', path);
        else {
          mkdirSync(dirname(join(dir, path)), { recursive: true });
          writeFileSync(join(dir, path), content);
          git('add', path);
        }
      }
      git('commit', '--quiet', '--allow-empty', '-m', message);
      git('tag', tag);
      return git('rev-parse', 'HEAD');
    },
  };
}
