/**
 * The `--db container` backend: a PostgreSQL container started with testcontainers
 * (@testcontainers/postgresql) for users with Docker, or any Docker-compatible API
 * (DOCKER_HOST; e.g. podman, see docs/containers.md). The image is a setting
 * (default an official postgres image); the server gets the same benchmark settings
 * as the embedded one, pg_stat_statements preloaded, and is removed when released.
 */
import { randomBytes } from 'node:crypto';
import { EMBEDDED_SERVER_SETTINGS } from '../config/defaults.js';
import { UserError } from '../errors.js';
import { redactUrl } from './connection-url.js';
import { probeServer, type ServerHandle } from './server-probe.js';

/** A started container server. */
export interface ContainerServer {
  /** Server-level URL (database `postgres`), on the host testcontainers reports. */
  url: string;
  image: string;
  /** Stops and removes the container (its data goes with it). */
  stop(): Promise<void>;
}

// Settings that describe the embedded server's host, not PostgreSQL behaviour: the
// image's entrypoint listens on the container's interfaces, and the port is mapped.
const HOST_ONLY = new Set(['listen_addresses', 'port', 'unix_socket_directories']);

/** `postgres -c k=v ...` for the benchmark settings (quotes are SQL syntax, not part of the value). */
export function containerCommand(): string[] {
  const args = ['postgres'];
  for (const [k, v] of Object.entries(EMBEDDED_SERVER_SETTINGS)) {
    if (!HOST_ONLY.has(k)) args.push('-c', `${k}=${v.replace(/^'(.*)'$/, '$1')}`);
  }
  return args;
}

/**
 * Starts PostgreSQL in a container from `image`. Waits for the log line the server
 * prints when ready (twice: once for the entrypoint's temporary server, once for the
 * real one) and for the port, instead of a health check, because some Docker-API
 * runtimes (podman without systemd) cannot run health checks.
 */
export async function startContainer(opts: { image: string; log: (line: string) => void }): Promise<ContainerServer> {
  // testcontainers may pick a bridge gateway (e.g. 10.88.0.1 under podman) as "the host";
  // the port is published on the machine itself, so talk to loopback unless told otherwise.
  process.env.TESTCONTAINERS_HOST_OVERRIDE ||= '127.0.0.1';
  // Loaded on use: testcontainers is heavy and only this backend needs it.
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const { Wait } = await import('testcontainers');
  const password = randomBytes(12).toString('hex');
  opts.log(`starting PostgreSQL container from ${opts.image} (testcontainers${process.env.DOCKER_HOST ? `, DOCKER_HOST=${process.env.DOCKER_HOST}` : ''})`);
  let started;
  try {
    started = await new PostgreSqlContainer(opts.image)
      .withUsername('postgres')
      .withPassword(password)
      .withDatabase('postgres')
      .withCommand(containerCommand())
      .withSharedMemorySize(2 * 1024 ** 3)
      .withWaitStrategy(Wait.forAll([Wait.forLogMessage(/database system is ready to accept connections/, 2), Wait.forListeningPorts()]))
      .withStartupTimeout(120_000)
      .start();
  } catch (err) {
    const msg = (err as Error).message;
    if (/Could not find a working container runtime strategy/i.test(msg)) {
      throw new UserError(
        `--db container: no Docker engine found (${msg}). Start Docker, or set DOCKER_HOST to a Docker-compatible API ` +
          `(docs/containers.md), or use the embedded server (--db embedded).`,
      );
    }
    throw err;
  }
  const url = `postgres://postgres:${password}@${started.getHost()}:${started.getPort()}/postgres`;
  let stopped = false;
  return {
    url,
    image: opts.image,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await started.stop({ remove: true, removeVolumes: true });
    },
  };
}

/** `--db container`: a testcontainers PostgreSQL, removed on release (src/db/container.ts). */
export async function acquireContainer(image: string, databaseUrl: string, log: (line: string) => void): Promise<ServerHandle> {
  if (databaseUrl) log('--db container: ignoring --database-url / DATABASE_URL');
  const t0 = performance.now();
  const c = await startContainer({ image, log });
  try {
    const info = await probeServer(c.url, `container ${image}`);
    const shown = redactUrl(c.url);
    log(`container PostgreSQL ${info.version} started in ${((performance.now() - t0) / 1000).toFixed(1)} s at ${shown}`);
    return {
      kind: 'container', url: c.url, label: `container PostgreSQL ${info.version} (${image}) at ${shown}`, ...info,
      release: async () => {
        await c.stop();
        log('container PostgreSQL stopped and removed');
      },
    };
  } catch (err) {
    await c.stop().catch(() => {});
    throw err;
  }
}
