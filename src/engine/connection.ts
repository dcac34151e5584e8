/**
 * One benchmark connection: a pg.Client behind the workload's `Conn` surface.
 * Query modes mirror pgbench -M: `prepared` (named statements, parsed once per
 * connection; node-pg remembers which names it prepared on each client), `extended`
 * (unnamed statement, parsed every time), `simple` (values inlined as literals, simple
 * query protocol).
 *
 * node-pg opens and authenticates the connection; queries then go through the engine's
 * own small protocol path (`wire.ts`), which costs a fraction of node-pg's per-query CPU.
 * The `pg` driver (engine option `driver`, CLI `--engine-driver pg`) keeps node-pg for
 * queries too (for comparison, or as an escape hatch).
 */
import pg from 'pg';
import { Socket } from 'node:net';
import type { Conn } from '../workload/types.js';
import { WireSession } from './wire.js';
import { directSocket, type DirectSocket } from './direct-socket.js';

export type QueryMode = 'prepared' | 'extended' | 'simple';

/** Query path: the engine's wire fast path (default) or plain node-pg. */
export type EngineDriver = 'wire' | 'pg';

/** What the load runner needs of a connection (EngineConn, or a test's in-memory fake). */
export interface PoolConn extends Conn {
  /** Position in the pool (exposed to pgbench scripts as :client_id). */
  readonly id: number;
  /** True once the connection is unusable. */
  readonly dead: boolean;
  /** The error that killed it, if any. */
  readonly deathError: Error | undefined;
  /** Called once when the connection dies on its own (the pool sets it, to reconnect idle connections at once). */
  onDeath: (() => void) | undefined;
  /** 'I' idle, 'T' in a transaction, 'E' in a failed transaction; null when unknown. */
  transactionStatus(): string | null;
  /** Closes; never throws, never waits longer than `timeoutMs`. */
  close(timeoutMs?: number): Promise<void>;
}

/** Opens connection `id` of a pool, connected; rejects when it cannot (and leaves nothing open). */
export type ConnectionFactory = (id: number) => Promise<PoolConn>;

/** The default factory: an EngineConn to `url`. */
export function engineConnector(url: string, mode: QueryMode, driver: EngineDriver): ConnectionFactory {
  return async (id) => {
    const c = new EngineConn(url, mode, id, driver);
    try {
      await c.connect();
    } catch (err) {
      await c.close(500);
      throw err;
    }
    return c;
  };
}

/** application_name of engine connections, so tests and operators can find them. */
export const ENGINE_APPLICATION_NAME = 'ledger-bench-engine';

/** Renders a value as an SQL literal for simple mode (the rules pgbench -M simple follows). */
export function sqlLiteral(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const s = v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return "'" + s.replace(/'/g, "''") + "'";
}

/** Replaces $1..$n with literals. Assumes `$n` does not occur inside string literals or dollar quotes. */
export function inlineParams(text: string, values: readonly unknown[]): string {
  return text.replace(/\$(\d+)/g, (m, d: string) => {
    const i = Number(d) - 1;
    return i >= 0 && i < values.length ? sqlLiteral(values[i]) : m;
  });
}

/** The text of a simple query: values inlined as literals (only simple mode has any; others send none). */
function simpleText(text: string, values: readonly unknown[] | undefined): string {
  return values !== undefined && values.length > 0 ? inlineParams(text, values) : text;
}

/** A live connection handed to transactions. */
export class EngineConn implements PoolConn {
  readonly client: pg.Client;
  /** Set once the socket failed or ended: the pool must replace this connection. */
  dead = false;
  /** The error that killed it, if any. */
  deathError: Error | undefined;
  onDeath: (() => void) | undefined;
  private closing = false;

  constructor(
    url: string,
    readonly mode: QueryMode,
    /** Position in the pool (exposed to pgbench scripts as :client_id). */
    readonly id: number,
    private readonly driver: EngineDriver = 'wire',
  ) {
    this.client = new pg.Client({
      connectionString: url,
      application_name: ENGINE_APPLICATION_NAME,
      // The socket node-pg would make (it wraps it for TLS), with direct reads when the
      // wire path will own it in clear text (direct-socket.ts).
      // (node-pg passes the connection's config; its typings do not say so.)
      stream: (...args: unknown[]) => {
        if (driver !== 'wire' || (args[0] as { ssl?: unknown } | undefined)?.ssl) return new Socket();
        this.direct = directSocket();
        return this.direct.socket;
      },
    });
    // Without listeners an 'error' event (server terminated the backend) would crash the process.
    this.client.on('error', (err) => this.died(err));
    this.client.on('end', () => this.died(undefined));
  }

  private died(err: Error | undefined): void {
    this.deathError ??= err;
    if (this.dead) return;
    this.dead = true;
    if (!this.closing) this.onDeath?.();
  }

  /** The fast path, once connected (undefined with the node-pg driver). */
  private wire: WireSession | undefined;
  /** The socket node-pg connected, when it is one with direct reads. */
  private direct: DirectSocket | undefined;

  async connect(): Promise<void> {
    await this.client.connect();
    const stream = (this.client as unknown as { connection?: { stream?: Socket } }).connection?.stream;
    if (this.driver === 'wire' && stream && typeof stream.write === 'function') {
      // Direct reads only on the socket we made, and only if node-pg did not wrap it (TLS).
      const direct = this.direct?.socket === stream ? this.direct : undefined;
      this.wire = new WireSession(stream, (err) => this.died(err), direct);
    }
  }

  query<R = Record<string, unknown>>(
    text: string,
    values?: readonly unknown[],
    name?: string,
  ): Promise<{ rows: R[]; rowCount: number | null }> {
    const mode = this.mode;
    const w = this.wire;
    if (w) {
      const kind = this.wireKind(values, name);
      if (kind === 'prepared') return w.queryPrepared<R>(name!, text, values);
      if (kind === 'simple') return w.querySimple<R>(simpleText(text, values));
      return w.queryExtended<R>(text, values);
    }
    if (mode === 'prepared' && name !== undefined) {
      return this.client.query({ name, text, values: values as unknown[] | undefined }) as unknown as Promise<{ rows: R[]; rowCount: number | null }>;
    }
    if (mode === 'simple' && values !== undefined && values.length > 0) {
      return this.client.query(inlineParams(text, values)) as unknown as Promise<{ rows: R[]; rowCount: number | null }>;
    }
    return this.client.query(text, values as unknown[] | undefined) as unknown as Promise<{ rows: R[]; rowCount: number | null }>;
  }

  /**
   * `Conn.send`: on the wire path, the query without a promise or rows; with the
   * node-pg driver, `query` and a callback on its promise.
   */
  send(text: string, values: readonly unknown[] | undefined, name: string | undefined, done: (err: Error | undefined) => void): void {
    const w = this.wire;
    if (w) {
      const kind = this.wireKind(values, name);
      w.run(kind, kind === 'simple' ? simpleText(text, values) : text, values, name ?? '', done);
      return;
    }
    this.query(text, values, name).then(
      () => done(undefined),
      (err: unknown) => done(err instanceof Error ? err : new Error(String(err))),
    );
  }

  /** Which wire message a query goes as: named statement (prepared mode), simple query (simple mode, or no values), or unnamed extended. */
  private wireKind(values: readonly unknown[] | undefined, name: string | undefined): 'prepared' | 'extended' | 'simple' {
    if (this.mode === 'prepared' && name !== undefined) return 'prepared';
    if (this.mode === 'simple' || values === undefined || values.length === 0) return 'simple';
    return 'extended';
  }

  /** True when queries go through the wire path with direct reads (direct-socket.ts). */
  get directReads(): boolean {
    return this.wire !== undefined && this.direct !== undefined && this.direct.socket === (this.client as unknown as { connection?: { stream?: unknown } }).connection?.stream;
  }

  /** 'I' idle, 'T' in a transaction, 'E' in a failed transaction (from the last ReadyForQuery). */
  transactionStatus(): string | null {
    if (this.wire) return this.wire.txStatus;
    return (this.client as unknown as { getTransactionStatus?: () => string | null }).getTransactionStatus?.() ?? null;
  }

  /** Closes the connection; never throws, never waits for a hung server longer than `timeoutMs`. */
  async close(timeoutMs = 2000): Promise<void> {
    this.closing = true;
    this.dead = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.client.end().catch(() => undefined),
      new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          // A backend stuck on a lock never answers Terminate: cut the socket.
          (this.client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
          resolve();
        }, timeoutMs);
      }),
    ]);
    if (timer) clearTimeout(timer);
  }
}

/** SQLSTATEs that are worth retrying: serialization failure and deadlock (pgbench --max-tries). */
export function isRetryable(code: string | undefined): boolean {
  return code === '40001' || code === '40P01';
}

/** True when an error means the connection is gone (admin shutdown, crash, socket closed). */
export function isConnectionLoss(err: unknown, conn: Pick<PoolConn, 'dead'>): boolean {
  if (conn.dead) return true;
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && (code.startsWith('57P') || code.startsWith('08'))) return true;
  if (typeof code === 'string' && /^E(PIPE|CONNRESET|CONNREFUSED|CONNABORTED|TIMEDOUT|NOTCONN|HOSTUNREACH|NETUNREACH)$/.test(code)) return true;
  const msg = err instanceof Error ? err.message : '';
  return /Connection terminated|not queryable|ECONNRESET|EPIPE|socket/i.test(msg);
}

/** The code an error is counted under: its SQLSTATE, or a client-side label. */
export function errorCode(err: unknown, lost: boolean): string {
  const e = err as { code?: unknown; syscall?: unknown; errno?: unknown } | undefined;
  // Node's socket errors (EPIPE, ECONNRESET...) also have a `code`, and EPIPE even has
  // the shape of a SQLSTATE. They carry `syscall`/`errno` (not always, once rethrown),
  // and their codes start with E, which no SQLSTATE class does.
  const systemError =
    e !== undefined && e !== null && (typeof e.syscall === 'string' || typeof e.errno === 'number' || (typeof e.code === 'string' && e.code.startsWith('E')));
  if (!systemError && typeof e?.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  return lost ? 'CONNECTION_LOST' : 'CLIENT';
}
