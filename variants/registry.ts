/**
 * Discovers the schema variants: every `seed/variants/*.ts` file that exports a
 * {@link VariantDefinition} named `variant`. Adding a variant is adding a file.
 */
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { UserError } from '../errors.js';
import type { Feature, VariantDefinition } from './types.js';

/** Directory the variant files live in. */
export const VARIANTS_DIR = fileURLToPath(new URL('../../variants/', import.meta.url));

let cache: Promise<VariantDefinition[]> | undefined;

async function discover(): Promise<VariantDefinition[]> {
  const files = (await readdir(VARIANTS_DIR)).filter((f) => /^[a-z0-9-]+\.ts$/.test(f) && !f.endsWith('.d.ts'));
  const found: VariantDefinition[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(VARIANTS_DIR, file)).href)) as { variant?: VariantDefinition };
    if (!mod.variant) continue;
    if (mod.variant.name !== file.replace(/\.ts$/, '')) {
      throw new Error(`seed/variants/${file} defines variant "${mod.variant.name}": the name must match the file name`);
    }
    found.push(mod.variant);
  }
  return found.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
}

/** All variants, baseline first (sorted by `order`). Cached per process. */
export function listVariants(): Promise<VariantDefinition[]> {
  cache ??= discover();
  return cache;
}

/** The variant called `name`; a {@link UserError} naming the known ones otherwise. */
export async function getVariant(name: string): Promise<VariantDefinition> {
  const all = await listVariants();
  const v = all.find((x) => x.name === name);
  if (!v) throw new UserError(`unknown variant "${name}": known variants are ${all.map((x) => x.name).join(', ')}`);
  return v;
}

/** True when `variant` offers every feature in `required`. */
export function hasFeatures(variant: Pick<VariantDefinition, 'features'>, required: readonly Feature[]): boolean {
  return required.every((f) => variant.features.includes(f));
}
