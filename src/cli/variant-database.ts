/** Resolving the database of one variant (`<prefix>_<variant>`) for the commands that serve or drive it. */
import { databaseOf, withDatabase } from '../db/connection-url.js';
import { databaseState, withAdminClient } from '../db/ownership.js';
import { UserError } from '../errors.js';
import { parseVariantList, problemsOf } from './parse-lists.js';
import { openServer } from './server-session.js';

/** What is wrong with `--variant` (it must name one known variant); empty when nothing is. */
export async function variantProblems(variant: string): Promise<string[]> {
  const { listVariants } = await import('../../variants/registry.js');
  const known = (await listVariants()).map((v) => v.name);
  if (variant.includes(',')) return ['--variant takes one variant'];
  return problemsOf(() => parseVariantList(variant, known, '--variant', false));
}

/** Throws a UserError unless `--variant` names one known variant (nothing touched yet). */
export async function checkVariant(variant: string): Promise<void> {
  const problems = await variantProblems(variant);
  if (problems.length) throw new UserError(problems);
}

/**
 * Acquires the server (the embedded one is stopped when the command ends) and returns
 * the URL of the variant's database, which must exist: a UserError says how to make it.
 */
export async function openVariantDatabase(
  s: { databaseUrl: string; dataDir: string; dbPrefix: string; variant: string },
  log: (line: string) => void,
): Promise<string> {
  const server = await openServer(s, log);
  const { variantDatabase } = await import('../variant-build/migrate.js');
  const url = withDatabase(server.url, variantDatabase(s.dbPrefix, s.variant));
  const name = databaseOf(url);
  const state = await withAdminClient(server.url, (c) => databaseState(c, name));
  if (!state.exists) {
    const how = s.variant === 'baseline' ? 'run `ledger-bench seed` first' : `run \`ledger-bench migrate --variant ${s.variant}\` first`;
    throw new UserError(`database "${name}" does not exist on ${server.label}: ${how}`);
  }
  return url;
}
