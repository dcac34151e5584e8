/**
 * The schema variants: the built-in ones (every `variants/*.ts` file next to this one
 * that exports a {@link VariantDefinition} named `variant`; adding a variant is adding
 * a file) plus, with `--variants-dir DIR`, one per `DIR/*.sql` file
 * (src/variant-build/sql-dir.ts).
 */
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { UserError } from '../src/errors.js';
import { loadSqlDirVariants } from '../src/variant-build/sql-dir.js';
import type { VariantDefinition } from '../src/variant-build/types.js';

/** Where the variants come from besides the built-in ones. */
export interface VariantSources {
  /** A directory of `<name>.sql` files, each one more variant ('' or absent: none). */
  variantsDir?: string;
}

const BUILTIN_DIR = fileURLToPath(new URL('./', import.meta.url));

let builtins: Promise<VariantDefinition[]> | undefined;
const withDirs = new Map<string, Promise<VariantDefinition[]>>();

async function discoverBuiltins(): Promise<VariantDefinition[]> {
  const files = (await readdir(BUILTIN_DIR)).filter((f) => /^[a-z0-9-]+\.ts$/.test(f) && f !== 'registry.ts');
  const found: VariantDefinition[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(BUILTIN_DIR, file)).href)) as { variant?: VariantDefinition };
    if (!mod.variant) continue;
    if (mod.variant.name !== file.replace(/\.ts$/, '')) {
      throw new Error(`variants/${file} defines variant "${mod.variant.name}": the name must match the file name`);
    }
    found.push(mod.variant);
  }
  return found.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
}

async function withSqlDir(dir: string): Promise<VariantDefinition[]> {
  const known = await listVariants();
  return [...known, ...(await loadSqlDirVariants(dir, known.map((k) => k.name)))];
}

/** All variants, baseline first (built-ins sorted by `order`, then the SQL files by name). Cached per process. */
export function listVariants(sources: VariantSources = {}): Promise<VariantDefinition[]> {
  const dir = sources.variantsDir ? path.resolve(sources.variantsDir) : '';
  if (!dir) return (builtins ??= discoverBuiltins());
  let hit = withDirs.get(dir);
  if (!hit) {
    // Not cached when it fails: a fixed file must be read again.
    hit = withSqlDir(sources.variantsDir as string).catch((err: unknown) => {
      withDirs.delete(dir);
      throw err;
    });
    withDirs.set(dir, hit);
  }
  return hit;
}

/** The variant called `name`; a {@link UserError} naming the known ones otherwise. */
export async function getVariant(name: string, sources: VariantSources = {}): Promise<VariantDefinition> {
  const all = await listVariants(sources);
  const v = all.find((x) => x.name === name);
  if (!v) throw new UserError(`unknown variant "${name}": known variants are ${all.map((x) => x.name).join(', ')}`);
  return v;
}
