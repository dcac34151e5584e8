/** `ledger-bench db up|down|status`: keep the embedded server running between commands. */
import { embeddedStatus, startEmbedded, stopEmbedded } from '../../db/embedded.js';
import { UserError } from '../../errors.js';
import { defineCommand } from '../command.js';

export const dbCommand = defineCommand({
  name: 'db',
  summary: 'start, stop or inspect the embedded PostgreSQL server (db up | db down | db status)',
  usage: 'db <up|down|status> [options]',
  description: `
Without this, every command starts the embedded server and stops it when done.
\`db up\` starts it and leaves it running (data in --data-dir), printing its URL, so
later commands reuse it and you can connect with psql; \`db down\` stops it (or, while
commands still use it, leaves the stop to the last of them);
\`db status\` says whether it runs and where (exit code 0 running, 3 stopped).`,
  keys: ['dataDir'],
  maxPositionals: 1,
  exitMeanings: { 3: 'stopped' },
  examples: ['ledger-bench db up          # prints postgres://postgres@127.0.0.1:PORT/postgres', 'ledger-bench seed          # reuses the running server', 'ledger-bench db down'],
  async run({ settings, positionals, log }) {
    const action = positionals[0];
    if (action === 'up') {
      const h = await startEmbedded({ dataDir: settings.dataDir, mode: 'kept', log });
      log(h.startedHere ? `embedded PostgreSQL started (data ${h.dataDir})` : `embedded PostgreSQL already running (data ${h.dataDir}); it is now kept running`);
      process.stdout.write(h.url + '\n');
      return 0;
    }
    if (action === 'down') {
      const o = await stopEmbedded(settings.dataDir, log);
      if (o.users.length > 0) log(`embedded PostgreSQL still used by pid ${o.users.join(', ')}; it stops when the last of them ends`);
      else log(o.stopped ? 'embedded PostgreSQL stopped' : 'embedded PostgreSQL was not running');
      return 0;
    }
    if (action === 'status') {
      const s = embeddedStatus(settings.dataDir);
      if (!s.running) {
        process.stdout.write(`stopped (data ${s.dataDir}${s.initialised ? '' : ', not initialised yet'})\n`);
        return 3;
      }
      const users = s.users.length > 0 ? `used by pid ${s.users.join(', ')}` : 'no command uses it';
      const mode = s.mode === 'ephemeral' ? 'stops when its last user ends' : 'kept by `db up`';
      process.stdout.write(`running ${s.url} (data ${s.dataDir}, ${mode}; ${users})\n`);
      return 0;
    }
    throw new UserError(
      action === undefined
        ? 'db needs an action: `ledger-bench db up`, `ledger-bench db down` or `ledger-bench db status`'
        : `db: unknown action "${action}"; use up, down or status`,
    );
  },
});
