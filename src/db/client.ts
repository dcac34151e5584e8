/** One way to make a node-pg client, so no connection can crash the process. */
import pg from 'pg';

/**
 * A new (unconnected) client. An idle connection the server ends (fast shutdown on
 * Ctrl-C, pg_terminate_backend, a crash) emits 'error'; without a listener node would
 * throw it as an unhandled event and die with a stack trace. Queries in flight still
 * reject with the error, so nothing is hidden from the code that waits on them.
 */
export function newClient(config: pg.ClientConfig): pg.Client {
  const client = new pg.Client(config);
  client.on('error', () => {});
  return client;
}
