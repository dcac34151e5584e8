/** `ledger-bench migrate`: build schema variants as clones of the seeded baseline. */
import { variantListProblems } from '../list-problems.js';
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
ledger-bench created it). A variant is marked complete only after its last step;
interrupted (Ctrl-C cancels the running statement) or failed, it stays marked incomplete
and \`run\` refuses it until it is built again. Variants are the files in variants/, plus
one per <name>.sql file in --variants-dir (if one of its statements fails, the clone is dropped).`,
  keys: ['databaseUrl', 'db', 'containerImage', 'dataDir', 'dbPrefix', 'force', 'variant', 'variantsDir'],
  examples: ['ledger-bench migrate --variant indexes', 'ledger-bench migrate --variant all'],
  async validate({ settings: s, sources }) {
    if (sources.variant !== 'default') return variantListProblems(s.variant, '--variant', true, s.variantsDir);
    const { listVariants } = await import('../../../variants/registry.js');
    return [`migrate needs --variant: one of ${(await listVariants({ variantsDir: s.variantsDir })).map((v) => v.name).join(', ')}, or all`];
  },
  async run({ settings: s, log, signal }) {
    const { listVariants, getVariant } = await import('../../../variants/registry.js');
    const sourcesOfVariants = { variantsDir: s.variantsDir };
    const known = (await listVariants(sourcesOfVariants)).map((v) => v.name);
    const names = parseVariantList(s.variant, known, '--variant');
    const server = await openServer(s, log);
    await requireSeededBaseline(server.url, s.dbPrefix, server.label);
    const { migrateVariant } = await import('../../variant-build/migrate.js');
    const { renderMigration } = await import('../../report/migration.js');
    for (const name of names) {
      log(`building ${name} ...`);
      const report = await abortable(migrateVariant({ serverUrl: server.url, prefix: s.dbPrefix, variant: await getVariant(name, sourcesOfVariants), force: s.force, signal }), signal);
      process.stdout.write(renderMigration(report));
    }
    return 0;
  },
});
