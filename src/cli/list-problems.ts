/**
 * Database-free checks of the list-valued options against the registries (variants,
 * scenarios), as problem lists: commands run them in their `validate` hook so they are
 * reported together with every other bad flag, before any server is touched.
 */
import { UserError } from '../errors.js';
import { parseMix, parseVariantList, problemsOf } from './parse-lists.js';

/** Problems of a `--variants` (or `--variant`) list; none when it names known variants. */
export async function variantListProblems(text: string, where = '--variants', allowAll = true, variantsDir = ''): Promise<string[]> {
  const { listVariants } = await import('../../variants/registry.js');
  let known: string[];
  try {
    known = (await listVariants({ variantsDir })).map((v) => v.name);
  } catch (err) {
    // A bad --variants-dir (missing, bad file names, clashes) is bad input like the list itself.
    if (err instanceof UserError) return err.problems;
    throw err;
  }
  return problemsOf(() => parseVariantList(text, known, where, allowAll));
}

/** Problems of a `--mix` (none when it is empty: the default mix is used). */
export async function mixProblems(text: string): Promise<string[]> {
  if (!text) return [];
  const { SCENARIOS } = await import('../../scenarios/registry.js');
  return problemsOf(() => parseMix(text, SCENARIOS.map((x) => x.name)));
}
