/**
 * COPY FROM STDIN streams with backpressure. Each table gets its own connection and
 * transaction (TRUNCATE + COPY ... FREEZE), so tables load in parallel and their
 * pages are written frozen: no hint-bit rewrite by the later index builds or ANALYZE.
 */
import { newClient } from '../src/db/client.js';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Writable } from 'node:stream';
import { once } from 'node:events';

/**
 * Bytes a stream may queue before {@link CopyTarget.write} asks the generator to wait.
 * Large (several generator chunks) so the server parses chunk k while the generator
 * builds chunk k+1: with the stream default (16 KiB) every chunk waited for the slowest
 * table to swallow it, and generation and parsing took turns on the two cores.
 */
const BACKLOG_BYTES = 16 << 20;

/** One table's open COPY. */
export class CopyTarget {
  private stream!: Writable;
  private failed: Error | undefined;
  /** Set when the stream reported an error (the loader stops and rethrows it). */
  get error(): Error | undefined {
    return this.failed;
  }
  private constructor(
    readonly table: string,
    private readonly client: pg.Client,
  ) {}

  /** Connects, begins, truncates (for FREEZE) and starts `COPY table (columns) FROM STDIN`. */
  static async open(url: string, table: string, columns: string): Promise<CopyTarget> {
    const client = newClient({ connectionString: url });
    await client.connect();
    const t = new CopyTarget(table, client);
    try {
      await client.query(`SET synchronous_commit = off`);
      await client.query('BEGIN');
      await client.query(`TRUNCATE ${table}`);
      t.stream = client.query(copyFrom(`COPY ${table} (${columns}) FROM STDIN WITH (FREEZE)`, { highWaterMark: BACKLOG_BYTES }));
      t.stream.on('error', (err: Error) => {
        t.failed ??= err;
      });
    } catch (err) {
      await client.end().catch(() => {});
      throw err;
    }
    return t;
  }

  /** Writes Buffers; resolves at once unless the stream asks us to wait (backpressure). */
  write(bufs: Buffer[]): Promise<void> | undefined {
    if (this.failed) throw this.failed;
    let ok = true;
    for (const b of bufs) ok = this.stream.write(b) && ok;
    if (ok) return undefined;
    return once(this.stream, 'drain').then(() => undefined);
  }

  /** Ends the COPY and commits; resolves when the server has the rows. */
  async finish(): Promise<void> {
    if (this.failed) throw this.failed;
    this.stream.end();
    await once(this.stream, 'finish');
    await this.client.query('COMMIT');
    await this.client.end();
  }

  /** Aborts after an error elsewhere (the transaction rolls back with the connection). */
  async abort(): Promise<void> {
    this.stream?.destroy();
    await this.client.end().catch(() => {});
  }
}
