/**
 * Checks run before a command touches a database: is it ours, is it complete, does it
 * still hold the data it was built with. Every refusal is a UserError (exit 2) that
 * says what to run to fix it; nothing is changed by the checks.
 */
import { newClient } from './client.js';
import { withDatabase } from './connection-url.js';
import { dataFingerprint, fingerprintDiff, type DataFingerprint } from './fingerprint.js';
import { parsePurpose, type ParsedPurpose } from './marks.js';
import { databaseState, OWNER_MARK, withAdminClient } from './ownership.js';
import { UserError } from '../errors.js';

/** A database that passed {@link requireRunnable}. */
export interface RunnableDatabase {
  name: string;
  url: string;
  mark: ParsedPurpose;
  /** Set when the data differs from what the database was built with (earlier writes stayed in it). */
  divergence?: Divergence;
}

/** How a database's data differs from the data recorded in its mark. */
export interface Divergence {
  database: string;
  /** e.g. `entries 100000 -> 100012`. */
  differs: string[];
}

/** Measures the fingerprint of database `name`; a database without the ledger tables is a UserError. */
export async function measureFingerprint(serverUrl: string, name: string): Promise<DataFingerprint> {
  const client = newClient({ connectionString: withDatabase(serverUrl, name) });
  await client.connect();
  try {
    return await dataFingerprint(client);
  } catch (err) {
    throw new UserError(`database "${name}" does not hold ledger-bench's tables (${(err as Error).message}): seed it again with \`ledger-bench seed\``);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The mark's purpose of `name`, or a UserError when it is missing or not ours. */
async function ownedPurpose(serverUrl: string, name: string, label: string, missing: string): Promise<ParsedPurpose> {
  const state = await withAdminClient(serverUrl, (c) => databaseState(c, name));
  if (!state.exists) throw new UserError(`database "${name}" does not exist on ${label}: ${missing}`);
  if (!state.owned) {
    throw new UserError(
      `database "${name}" on ${label} was not created by ledger-bench (it has no "${OWNER_MARK}" comment), so it is not run against: ` +
        `use another --db-prefix, or run your own SQL on it with --sql-file`,
    );
  }
  return parsePurpose(state.comment!.slice(OWNER_MARK.length).trim());
}

/**
 * The seeded baseline `name`, checked complete, non-empty and unchanged since seeding
 * (nothing may write to it after the seed: every variant is cloned from it).
 */
export async function requireIntactBaseline(serverUrl: string, name: string, label: string): Promise<{ mark: ParsedPurpose; data: DataFingerprint }> {
  const mark = await ownedPurpose(serverUrl, name, label, 'run `ledger-bench seed` first (same --db-prefix and server)');
  if (mark.kind !== 'baseline') throw new UserError(`database "${name}" on ${label} is not a seeded baseline (its mark says "${describe(mark)}"): run \`ledger-bench seed\` again`);
  if (!mark.complete) throw new UserError(`the baseline "${name}" is incomplete (its seeding was interrupted): run \`ledger-bench seed\` again`);
  const data = await measureFingerprint(serverUrl, name);
  if (data.entries === 0) throw new UserError(`the baseline "${name}" holds no journal entries (its seeding did not finish): run \`ledger-bench seed\` again`);
  if (mark.data) {
    const diff = fingerprintDiff(mark.data, data);
    if (diff.length > 0) {
      throw new UserError(
        `the baseline "${name}" was changed after seeding (${diff.join(', ')}), so its clones would not hold the seeded data: ` +
          `run \`ledger-bench seed\` again`,
      );
    }
  }
  return { mark, data };
}

/**
 * Whether `bench` may reuse the baseline `name` instead of seeding again: complete,
 * seeded with exactly `params`, and unchanged since (its data equals the recorded
 * fingerprint). `why` says what stands in the way, when something does.
 */
export async function reusableBaseline(serverUrl: string, name: string, params: string): Promise<{ ok: boolean; why?: string }> {
  const state = await withAdminClient(serverUrl, (c) => databaseState(c, name));
  if (!state.exists || !state.owned) return { ok: false };
  const mark = parsePurpose(state.comment!.slice(OWNER_MARK.length).trim());
  if (mark.kind !== 'baseline' || !mark.complete) return { ok: false, why: 'its seeding did not finish' };
  if (mark.params !== params) return { ok: false, why: `it was seeded with ${mark.params}` };
  if (!mark.data) return { ok: false, why: 'it records no data fingerprint (seeded by an older ledger-bench)' };
  const now = await measureFingerprint(serverUrl, name).catch(() => undefined);
  const diff = now ? fingerprintDiff(mark.data, now) : ['its tables cannot be read'];
  return diff.length ? { ok: false, why: `its data changed after seeding (${diff.join(', ')})` } : { ok: true };
}

/**
 * The fingerprint a variant is cloned with, for `migrate` used as a library: a baseline
 * marked by `seed` must be complete and unchanged (as {@link requireIntactBaseline});
 * a database marked otherwise (a test fixture) is taken as it is, and one without the
 * ledger tables has no fingerprint.
 */
export async function cloneSourceFingerprint(serverUrl: string, name: string): Promise<DataFingerprint | undefined> {
  const mark = await ownedPurpose(serverUrl, name, 'the server', 'seed it first with `ledger-bench seed`');
  if (mark.kind === 'baseline') return (await requireIntactBaseline(serverUrl, name, 'the server')).data;
  return measureFingerprint(serverUrl, name).catch(() => undefined);
}

/**
 * The database `run --variant <variant>` measures: ours, complete, and either
 * unchanged since it was built or reported as diverged.
 */
export async function requireRunnable(serverUrl: string, name: string, variant: string, label: string): Promise<RunnableDatabase> {
  const rebuild = variant === 'baseline' ? '`ledger-bench seed`' : `\`ledger-bench migrate --variant ${variant}\``;
  const mark = await ownedPurpose(serverUrl, name, label, `run ${rebuild} first`);
  const url = withDatabase(serverUrl, name);
  if (variant === 'baseline') {
    await requireIntactBaseline(serverUrl, name, label);
    return { name, url, mark };
  }
  if (mark.kind !== 'variant' || mark.variant !== variant) {
    throw new UserError(`database "${name}" on ${label} is not the variant ${variant} (its mark says "${describe(mark)}"): run ${rebuild}`);
  }
  if (!mark.complete) throw new UserError(`database "${name}" is incomplete (migrate was interrupted, or it was built by an older ledger-bench): run ${rebuild} again`);
  const now = await measureFingerprint(serverUrl, name);
  if (now.entries === 0) throw new UserError(`database "${name}" holds no journal entries: run ${rebuild} again`);
  const differs = mark.data ? fingerprintDiff(mark.data, now) : [];
  return { name, url, mark, ...(differs.length ? { divergence: { database: name, differs } } : {}) };
}

/**
 * Refuses, listing every offender at once, when one of `names` exists but was not
 * created by ledger-bench (and `force` is not set): run before anything is replaced.
 */
export async function assertReplaceable(serverUrl: string, names: readonly string[], force: boolean): Promise<void> {
  if (force) return;
  const foreign = await withAdminClient(serverUrl, async (c) => {
    const out: string[] = [];
    for (const n of names) {
      const s = await databaseState(c, n);
      if (s.exists && !s.owned) out.push(n);
    }
    return out;
  });
  if (foreign.length === 0) return;
  throw new UserError(
    foreign.map(
      (n) =>
        `database "${n}" exists but was not created by ledger-bench (it has no "${OWNER_MARK}" comment), so it will not be replaced: ` +
        `choose another --db-prefix, drop it yourself, or pass --force`,
    ),
  );
}

function describe(mark: ParsedPurpose): string {
  if (mark.kind === 'other') return mark.purpose;
  if (mark.kind === 'baseline') return `baseline ${mark.complete ? 'complete' : 'seeding'}`;
  return `variant ${mark.variant}${mark.complete ? ' complete' : ' (incomplete)'}`;
}
