/** `ledger-bench serve`: the ledger API (HTTP, fastify) on one variant's database, until Ctrl-C. */
import { ExitCode } from '../../errors.js';
import { defineCommand } from '../command.js';
import { onShutdown } from '../lifecycle.js';
import { checkVariant, openVariantDatabase } from '../variant-database.js';

export const serveCommand = defineCommand({
  name: 'serve',
  summary: 'the ledger API over HTTP on a variant\'s database (balance, search, postings, anchors)',
  usage: 'serve --variant NAME [options]',
  description: `
Serves the scenarios over HTTP: each endpoint runs its scenario's own SQL on
<prefix>_<variant> (the variant's after-query; the baseline's query on baseline), with
the parameters from the request. Bad parameters get 400 with a JSON body {error,
details}; an unknown account 404. Listens on --host:--port (--port 0 picks a free port;
the URL is printed on stdout) with --pool-size database connections. Ctrl-C stops it
(exit 130). Endpoints: docs/http.md.`,
  keys: ['databaseUrl', 'dataDir', 'dbPrefix', 'variant', 'host', 'port', 'poolSize'],
  examples: [
    'ledger-bench serve --variant optimized --port 8080',
    'curl http://127.0.0.1:8080/accounts/42/balance',
  ],
  async run({ settings: s, log, signal }) {
    await checkVariant(s.variant);
    const databaseUrl = await openVariantDatabase(s, log);
    const { startApi } = await import('../../api/server.js');
    const api = await startApi({ databaseUrl, variant: s.variant, host: s.host, port: s.port, poolSize: s.poolSize, log });
    onShutdown(() => api.close());
    process.stdout.write(`${api.url}\n`);
    log(`ledger API for variant ${s.variant} (${api.context.side} SQL) on ${api.url}, database ${api.context.database}; Ctrl-C to stop`);
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
    log('stopping the API');
    return ExitCode.ok;
  },
});
