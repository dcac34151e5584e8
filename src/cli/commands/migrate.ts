/** `ledger-bench migrate`: build schema variants as clones of the seeded baseline. */
import { UserError } from '../../errors.js';
import { requireSeededBaseline } from '../baseline-check.js';
import { abortable } from '../abortable.js';
import { defineCommand } from '../command.js';
import { parseVariantList } from '../parse-lists.js';
import { openServer } from '../server-session.js';

export const migrateCommand = defineCommand({
  name: 'migrate',
  summary: 'build schema variants (indexes, matviews, event-sourced, partitioned, optimized) on clones of the baseline',
  usage: 'migrate --variant <name|all> [options]',
  description: `
Each variant is a migration applied to a fresh copy of the seeded baseline
(CREATE DATABASE <prefix>_<variant> TEMPLATE <prefix>_baseline), so every variant holds
exactly the same data; then ANALYZE. Prints each step's time, how each index was built
(concurrently or not) and its size. An existing variant database is replaced (only if
ledger-bench created it). Variants are the files in seed/variants/.`,
  keys: ['databaseUrl', 'db', 'containerImage', 'dataDir', 'dbPrefix', 'force', 'variant'],
  examples: ['ledger-bench migrate --variant indexes', 'ledger-bench migrate --variant all'],
  async run({ settings: s, sources, log, signal }) {
    const { listVariants, getVariant } = await import('../../variants/registry.js');
    const known = (await listVariants()).map((v) => v.name);
    if (sources.variant === 'default') throw new UserError(`migrate needs --variant: one of ${known.join(', ')}, or all`);
    const names = parseVariantList(s.variant, known, '--variant');
    const server = await openServer(s, log);
    await requireSeededBaseline(server.url, s.dbPrefix, server.label);
    const { migrateVariant } = await import('../../variants/migrate.js');
    const { renderMigration } = await import('../../report/migration.js');
    for (const name of names) {
      log(`building ${name} ...`);
      const report = await abortable(migrateVariant({ serverUrl: server.url, prefix: s.dbPrefix, variant: await getVariant(name), force: s.force }), signal);
      process.stdout.write(renderMigration(report));
    }
    return 0;
  },
});
