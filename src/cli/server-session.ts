/** Acquire the server for a command and make sure it is released on every exit path. */
import { acquireServer, type AcquireOptions, type ServerSettings } from '../db/server.js';
import type { ServerHandle } from '../db/server-probe.js';
import { onShutdown } from './lifecycle.js';

/** Starts (or connects to) the server; the embedded one is stopped when the command ends. */
export async function openServer(s: ServerSettings, log: (line: string) => void, opts: AcquireOptions = {}): Promise<ServerHandle> {
  const server = await acquireServer(s, log, '--database-url', opts);
  onShutdown(() => server.release());
  return server;
}
