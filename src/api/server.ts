/**
 * The ledger API server (fastify): the endpoint table mounted on one pg.Pool of a
 * variant's database. Every rejected request gets a JSON body: 400 `{error, details}`
 * for bad parameters, 404 for an unknown route or account, and a generic 500
 * `{error}` only for a real failure, which is logged here (never a stack to the client).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { loadScenarioContext } from '../../scenarios/context.js';
import { databaseOf } from '../db/connection-url.js';
import { getVariant } from '../../variants/registry.js';
import type { ApiContext } from './api-context.js';
import { ENDPOINTS } from './endpoints.js';
import { isHttpError } from './http-error.js';
import { problemsOf } from './inputs.js';

/** application_name of the API's connections. */
export const API_APPLICATION_NAME = 'ledger-bench-api';

/** Options of {@link startApi}. */
export interface ApiOptions {
  /** URL of the variant's database (`<prefix>_<variant>`). */
  databaseUrl: string;
  variant: string;
  host: string;
  /** 0 = a free port. */
  port: number;
  /** Connections in the pool. */
  poolSize: number;
  /** Server-side log (failures); default stderr. */
  log?: (line: string) => void;
}

/** A listening API. */
export interface RunningApi {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  app: FastifyInstance;
  context: ApiContext;
  /** Stops listening (in-flight requests finish) and closes the pool. */
  close(): Promise<void>;
}

/** Builds the fastify app for `api` (not listening yet). */
export function buildApp(api: ApiContext, log: (line: string) => void): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  for (const e of ENDPOINTS) {
    app.route({
      method: e.method,
      url: e.path,
      handler: async (req, reply) => {
        const raw = { ...(req.query as object), ...(req.body && typeof req.body === 'object' ? (req.body as object) : {}), ...(req.params as object) };
        const parsed = e.input.safeParse(raw);
        if (!parsed.success) return reply.code(400).send({ error: `invalid parameters for ${e.method} ${e.path}`, details: problemsOf(parsed.error) });
        const r = await e.handle(parsed.data, api);
        return reply.code(r.status ?? 200).send(r.body);
      },
    });
  }
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send({ error: `no route ${req.method} ${req.url.split('?')[0]}`, details: { routes: ENDPOINTS.map((e) => `${e.method} ${e.path}`) } });
  });
  app.setErrorHandler((err, req, reply) => {
    if (isHttpError(err)) return reply.code(err.status).send({ error: err.message, ...(err.details ? { details: err.details } : {}) });
    const status = (err as { statusCode?: number }).statusCode;
    // fastify's own client errors (malformed JSON, wrong content type, body too large).
    if (status && status >= 400 && status < 500) return reply.code(status).send({ error: (err as Error).message });
    const code = (err as { code?: string }).code;
    log(`api: ${req.method} ${req.url} failed: ${code ? `[${code}] ` : ''}${(err as Error).stack ?? String(err)}`);
    return reply.code(500).send({ error: 'internal error (logged by the server)' });
  });
  return app;
}

/** Connects the pool, loads the scenario context and listens. */
export async function startApi(o: ApiOptions): Promise<RunningApi> {
  const log = o.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const variant = await getVariant(o.variant);
  const pool = new pg.Pool({ connectionString: o.databaseUrl, max: o.poolSize, application_name: API_APPLICATION_NAME });
  // An idle connection the server ends must not crash the process; queries in flight still reject.
  pool.on('error', (err) => log(`api: idle connection lost: ${err.message}`));
  let app: FastifyInstance | undefined;
  try {
    const client = await pool.connect();
    let scenarios;
    try {
      scenarios = await loadScenarioContext(client, variant.features);
    } finally {
      client.release();
    }
    const context: ApiContext = {
      pool,
      scenarios,
      side: o.variant === 'baseline' ? 'before' : 'after',
      variant: o.variant,
      database: databaseOf(o.databaseUrl),
    };
    app = buildApp(context, log);
    await app.listen({ host: o.host, port: o.port });
    const addr = app.server.address() as AddressInfo;
    const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    const listening = app;
    return {
      url: `http://${host}:${addr.port}`,
      app: listening,
      context,
      close: async () => {
        await listening.close();
        await pool.end();
      },
    };
  } catch (err) {
    await app?.close().catch(() => undefined);
    await pool.end().catch(() => undefined);
    throw err;
  }
}
