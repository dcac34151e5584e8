/**
 * The server a benchmark script measures: DATABASE_URL when set, otherwise the
 * product's embedded PostgreSQL (same settings as `npm run bench`), started for the
 * script and stopped at its end.
 */
import { startEmbedded, stopEmbedded } from '../src/db/embedded.js';
import { probeServer } from '../src/db/server-probe.js';
import { redactUrl } from '../src/db/connection-url.js';

/** A server URL plus how to release it. */
export interface BenchServer {
  url: string;
  label: string;
  stop(): Promise<void>;
}

/** Opens the benchmark's server and says which one it is on stderr. */
export async function benchServer(dataDir = '.ledger-bench/pg'): Promise<BenchServer> {
  const given = process.env.DATABASE_URL;
  if (given) {
    const info = await probeServer(given, 'DATABASE_URL');
    const label = `PostgreSQL ${info.version} at ${redactUrl(given)}`;
    process.stderr.write(`bench server: ${label}\n`);
    return { url: given, label, stop: async () => {} };
  }
  const h = await startEmbedded({ dataDir, mode: 'ephemeral', log: (l) => process.stderr.write(l + '\n') });
  const info = await probeServer(h.url, 'embedded server');
  const label = `embedded PostgreSQL ${info.version} (ledger-bench settings)`;
  process.stderr.write(`bench server: ${label} at ${h.url}\n`);
  return { url: h.url, label, stop: async () => void (h.startedHere && (await stopEmbedded(dataDir))) };
}
