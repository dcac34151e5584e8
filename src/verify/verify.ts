/**
 * The equivalence oracle: `verify()` checks, on the databases `<prefix>_<variant>`
 * cloned from `<prefix>_baseline`,
 *
 * 1. query equivalence (before on the baseline vs every after-query on the variant,
 *    same data, MVs refreshed first: a fresh clone's MVs already reflect every
 *    posting, and the refresh makes that explicit);
 * 2. optionally, a concurrent write burst on a throwaway clone of every database
 *    (`<prefix>_<variant>_verify`, baseline included);
 * 3. the ledger invariants on every database (on the clone after its writes, when any).
 *
 * The built databases are only read: the writes go to the clones, which are dropped
 * afterwards (also on failure or Ctrl-C), so the baseline and the variants keep
 * identical data for the runs that follow.
 */
import { newClient } from '../db/client.js';
import pg from 'pg';
import { withDatabase } from '../db/connection-url.js';
import { dropOwnedDatabase, quoteIdent, recreateOwnedDatabase } from '../db/ownership.js';
import { readScenarios } from '../../scenarios/registry.js';
import type { ReadScenario } from '../../scenarios/types.js';
import { getVariant } from '../../variants/registry.js';
import { variantDatabase, waitForIdleTemplate } from '../variant-build/migrate.js';
import { checkEquivalence, type EquivalenceResult } from './equivalence.js';
import { checkInvariants, type InvariantReport } from './invariants.js';
import { runWriteBurst, type BurstResult } from './write-burst.js';

/**
 * Registers a cleanup to run if the process is forced to exit (the CLI passes its
 * `onShutdown`); returns the function that unregisters it. Injected so this layer does
 * not reach up into the CLI.
 */
export type ShutdownRegistry = (cleanup: () => Promise<void>) => () => void;

/** Options of {@link verify}. */
export interface VerifyOptions {
  serverUrl: string;
  prefix: string;
  /** Variant names (the baseline is always the reference; listing it checks its invariants). */
  variants: readonly string[];
  /** A folder of `<name>.sql` variants besides the built-in ones. */
  variantsDir?: string;
  /** Parameter sets per scenario and after-query. */
  sample: number;
  seed?: number;
  /** Write transactions per database before the invariant check (0 = none, default). */
  writes?: number;
  /** Where the scratch clones' drops are registered for a forced exit (the CLI's onShutdown). */
  onShutdown?: ShutdownRegistry;
  /** Override the read scenarios (tests inject deliberately wrong after-queries). */
  scenarios?: readonly ReadScenario<unknown>[];
}

/** Everything verify found. */
export interface VerifyReport {
  ok: boolean;
  equivalence: EquivalenceResult[];
  writes: Record<string, BurstResult>;
  invariants: InvariantReport[];
}

/** Thrown by {@link assertVerified}; `report` has every detail. */
export class VerificationError extends Error {
  constructor(readonly report: VerifyReport) {
    super(describeFailures(report));
    this.name = 'VerificationError';
  }
}

/** A readable list of failures, each with the first differing rows. */
export function describeFailures(report: VerifyReport): string {
  const lines: string[] = [];
  for (const e of report.equivalence) {
    if (e.error) lines.push(`${e.variant} / ${e.scenario} [${e.query}]: error: ${e.error}`);
    if (e.mismatch) {
      const m = e.mismatch;
      lines.push(
        `${e.variant} / ${e.scenario} [${e.query}]: answers differ at row ${m.index} ` +
          `(before ${m.beforeRows} rows, after ${m.afterRows}) for params ${JSON.stringify(m.params)}:\n` +
          `    before: ${JSON.stringify(m.before)}\n    after:  ${JSON.stringify(m.after)}`,
      );
    }
  }
  for (const inv of report.invariants) {
    for (const r of inv.results) if (!r.ok) lines.push(`${inv.variant}: invariant "${r.name}" fails, e.g. ${JSON.stringify(r.examples.slice(0, 3))}`);
  }
  for (const [v, w] of Object.entries(report.writes)) if (w.failed > 0) lines.push(`${v}: ${w.failed} write transactions failed: ${w.firstError}`);
  return lines.length ? lines.join('\n') : 'verified';
}

/** Throws a {@link VerificationError} unless the report is clean. */
export function assertVerified(report: VerifyReport): void {
  if (!report.ok) throw new VerificationError(report);
}

async function refreshViews(url: string, views: readonly { name: string }[]): Promise<void> {
  if (views.length === 0) return;
  const c = newClient({ connectionString: url });
  await c.connect();
  try {
    for (const v of views) await c.query(`REFRESH MATERIALIZED VIEW ${quoteIdent(v.name)}`);
  } finally {
    await c.end();
  }
}

/** Name of the throwaway clone verify writes to instead of `database`. */
export function scratchDatabase(database: string): string {
  return `${database}_verify`;
}

/** Runs `fn` on a fresh clone of `database`, dropped afterwards whatever happens (Ctrl-C included). */
async function onScratchClone(
  serverUrl: string,
  database: string,
  fn: (url: string) => Promise<void>,
  onShutdown: ShutdownRegistry = () => () => undefined,
): Promise<void> {
  const name = scratchDatabase(database);
  const drop = () => dropOwnedDatabase(serverUrl, name).then(() => undefined);
  await waitForIdleTemplate(serverUrl, database);
  const unregister = onShutdown(drop);
  try {
    const url = await recreateOwnedDatabase(serverUrl, name, { template: database, purpose: `verify scratch clone of ${database} (dropped after verify)` });
    await fn(url);
  } finally {
    await drop();
    unregister();
  }
}

/** Runs the oracle; never throws for a failed check (see {@link assertVerified}). */
export async function verify(o: VerifyOptions): Promise<VerifyReport> {
  const baselineUrl = withDatabase(o.serverUrl, variantDatabase(o.prefix, 'baseline'));
  const scenarios = o.scenarios ?? readScenarios();
  const defs = await Promise.all(o.variants.map((v) => getVariant(v, { variantsDir: o.variantsDir })));
  const report: VerifyReport = { ok: true, equivalence: [], writes: {}, invariants: [] };
  for (const def of defs) {
    if (def.name === 'baseline') continue;
    const url = withDatabase(o.serverUrl, variantDatabase(o.prefix, def.name));
    await refreshViews(url, def.materializedViews ?? []);
    report.equivalence.push(
      ...(await checkEquivalence({ baselineUrl, variantUrl: url, variant: def.name, features: def.features, scenarios, sample: o.sample, seed: o.seed })),
    );
  }
  const all = defs.some((d) => d.name === 'baseline') ? defs : [await getVariant('baseline'), ...defs];
  for (const def of all) {
    const built = variantDatabase(o.prefix, def.name);
    if ((o.writes ?? 0) === 0) {
      report.invariants.push(await checkInvariants(withDatabase(o.serverUrl, built), def));
      continue;
    }
    await onScratchClone(o.serverUrl, built, async (url) => {
      report.writes[def.name] = await runWriteBurst({ url, features: def.features, transactions: o.writes!, seed: o.seed });
      report.invariants.push(await checkInvariants(url, def));
    }, o.onShutdown);
  }
  report.ok =
    report.equivalence.every((e) => !e.mismatch && !e.error) &&
    report.invariants.every((i) => i.ok) &&
    Object.values(report.writes).every((w) => w.failed === 0);
  return report;
}
