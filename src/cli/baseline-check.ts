/** Commands that work on variants need a complete seeded baseline; this says so clearly when it is missing. */
import { baselineDatabaseName } from '../db/names.js';
import { databaseState, withAdminClient } from '../db/ownership.js';
import { UserError } from '../errors.js';

/** The baseline's mark (e.g. `baseline complete scale=small seed=42 ...`), or a UserError telling how to get one. */
export async function requireSeededBaseline(serverUrl: string, prefix: string, label: string): Promise<string> {
  const name = baselineDatabaseName(prefix);
  const state = await withAdminClient(serverUrl, (c) => databaseState(c, name));
  if (!state.exists) throw new UserError(`no seeded baseline "${name}" on ${label}: run \`ledger-bench seed\` first (same --db-prefix and server)`);
  if (!state.owned) throw new UserError(`database "${name}" on ${label} was not created by ledger-bench; use another --db-prefix, or re-seed it with \`ledger-bench seed --force\``);
  if (!/baseline complete/.test(state.comment ?? '')) throw new UserError(`the baseline "${name}" is incomplete (its seeding was interrupted): run \`ledger-bench seed\` again`);
  return state.comment!;
}
