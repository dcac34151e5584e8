/**
 * The engine's query fast path: after node-pg has opened and authenticated a connection
 * (TLS, SCRAM, MD5, trust... all stay node-pg's job), the engine takes the socket over
 * and speaks the query part of the v3 protocol itself. Per query that is one buffer, one
 * socket write and one small parser loop, instead of node-pg's query object, config
 * clone, several message writes, Result object and event hops.
 *
 * What it speaks:
 * - named prepared statements: Parse + Describe(statement) once per connection, then
 *   Bind + Execute + Sync (the row description is kept from the Describe, so the server
 *   does not send it again every time);
 * - unnamed extended queries: Parse + Bind + Describe(portal) + Execute + Sync;
 * - simple queries ('Q'), e.g. BEGIN / COMMIT / ROLLBACK and the 'simple' query mode.
 * Rows are objects keyed by column name, values parsed by node-pg's type parsers
 * (`pg.types`), parameters serialised by node-pg's `prepareValue` (Buffers in binary),
 * errors are `pg.DatabaseError` with the same fields (`code` = SQLSTATE), so workloads
 * see what node-pg would have given them. One query after another is the normal use;
 * queries issued without waiting are queued in order (each ends with its own Sync).
 */
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import pg from 'pg';

const require = createRequire(import.meta.url);
// node-pg's own parameter serialisation (Dates, arrays, JSON, Buffers), so values go out exactly as before.
const { prepareValue } = require('pg/lib/utils.js') as { prepareValue: (v: unknown) => string | Buffer | null };

/** Result of one statement (the `Conn` contract: rows and rowCount). */
export interface WireResult<R> {
  rows: R[];
  rowCount: number | null;
  command: string;
}

/** Column names and text parsers of a statement's result. */
interface RowShape {
  names: string[];
  parsers: Array<(v: string) => unknown>;
}

const EMPTY_SHAPE: RowShape = { names: [], parsers: [] };

const noop = (): void => undefined;

/** How a query that needs no promise and no rows learns it ended: with its error, if it failed. */
export type WireDone = (err: Error | undefined) => void;

/** The rows of every query run with `done` (never filled: its DataRows are skipped). */
const NO_ROWS: unknown[] = [];

/** One query waiting for its ReadyForQuery. */
class Pending {
  /** Rows of the statement being read (none are built for a query with `done`). */
  rows: unknown[];
  /** Result of the last completed statement. */
  last: WireResult<unknown> | undefined;
  error: Error | undefined;
  /** Results of earlier statements of a multi-statement simple query (node-pg returns an array then). */
  extra: Array<WireResult<unknown>> | undefined;
  /** Set by `settleWith` when its promise is made. */
  resolve: (r: never) => void = noop;
  reject: (e: Error) => void = noop;
  constructor(
    public shape: RowShape | undefined,
    /** Named statement this query parses (confirmed by ParseComplete), if any. */
    readonly parsing: string | undefined,
    /** Where to store the row shape learnt by Describe(statement). */
    readonly describing: string | undefined,
    /** Set for a query run without a promise: its rows are not built, and this is called at its end instead. */
    readonly done: WireDone | undefined,
  ) {
    this.rows = done === undefined ? [] : NO_ROWS;
  }
}

/**
 * One promise executor for every query instead of a closure per query: `new Promise`
 * runs it synchronously, so the Pending it fills is handed over in a module variable.
 */
let filling: Pending | undefined;
function settleWith(resolve: (r: never) => void, reject: (e: Error) => void): void {
  filling!.resolve = resolve;
  filling!.reject = reject;
}

/**
 * node-pg's `prepareValue`, without its type checks for the parameter types of nearly
 * every query (for a string it returns the string, for a number its `toString()`).
 */
function paramText(v: unknown): string | Buffer | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return prepareValue(v);
}

/** Length of the decimal text of a safe integer (sign included). */
function intTextLength(v: number): number {
  let n = v < 0 ? 2 : 1;
  for (let a = Math.abs(v); a >= 10; a = Math.floor(a / 10)) n++;
  return n;
}

/** Writes the decimal text of a safe integer, `len` bytes (intTextLength), at b[o]. */
function writeIntText(b: Buffer, o: number, v: number, len: number): void {
  let p = o + len;
  let a = Math.abs(v);
  do {
    b[--p] = 0x30 + (a % 10);
    a = Math.floor(a / 10);
  } while (a > 0);
  if (v < 0) b[o] = 0x2d;
}

/** Makes a pg type parser lookup for text-format columns. */
function parserFor(oid: number): (v: string) => unknown {
  return pg.types.getTypeParser(oid, 'text') as (v: string) => unknown;
}

/**
 * rowCount of a CommandComplete tag b[s, e) ("INSERT 0 5", "UPDATE 3", "SELECT 1",
 * "MERGE 2", "COPY 7", ...: the number after the last space; null without one), read
 * from the bytes without decoding the tag.
 */
function rowCountAt(b: Buffer, s: number, e: number): number | null {
  let p = e;
  let n = 0;
  let scale = 1;
  while (p > s && b[p - 1]! >= 0x30 && b[p - 1]! <= 0x39) {
    p--;
    n += (b[p]! - 0x30) * scale;
    scale *= 10;
  }
  if (p === e || p === s || b[p - 1] !== 0x20) return null;
  // Beyond 2^53 the digit sum is inexact: decode it the slow way (never in practice).
  return scale > 1e15 ? Number(b.toString('latin1', p, e)) : n;
}

/**
 * The command word of a CommandComplete tag b[s, e): what precedes the first space.
 * `last` is the word of the previous tag on the connection: nearly always the same
 * (a benchmark repeats its statements), and then no new string is decoded (ASCII
 * only: tags are ASCII, and a byte of a multi-byte character never matches).
 */
function commandAt(b: Buffer, s: number, e: number, last: string): string {
  let sp = s;
  while (sp < e && b[sp] !== 0x20) sp++;
  const n = sp - s;
  if (n === last.length) {
    let i = 0;
    while (i < n && b[s + i]! < 0x80 && b[s + i] === last.charCodeAt(i)) i++;
    if (i === n) return last;
  }
  return b.toString('utf8', s, sp);
}

const SYNC = Buffer.from([0x53, 0, 0, 0, 4]);
/** Execute of the unnamed portal, all rows. */
const EXECUTE = Buffer.from([0x45, 0, 0, 0, 9, 0, 0, 0, 0, 0]);
const EXECUTE_SYNC = Buffer.concat([EXECUTE, SYNC]);

export class WireSession {
  private readonly queue: Pending[] = [];
  /** Statement name -> row shape, once the server confirmed it (ParseComplete + description). */
  private readonly shapes = new Map<string, RowShape>();
  /** Statement names sent in a Parse whose outcome is not known yet. */
  private readonly parsing = new Set<string>();
  /** Statement name -> the start of its Bind message (bindHead). */
  private readonly bindHeads = new Map<string, Buffer>();
  private buf: Buffer | undefined;
  private closed = false;
  /** Command word of the last CommandComplete (see commandAt). */
  private lastCommand = '';
  /** Transaction status from the last ReadyForQuery: 'I', 'T' or 'E'. */
  txStatus: string | null = 'I';

  /**
   * `direct`: the socket's reads come from `directSocket()` (direct-socket.ts) and this
   * session takes them over through `setReader`; without it, from 'data' events.
   */
  constructor(
    private readonly sock: Socket,
    /** Called once when the socket is gone (before pending queries are rejected). */
    private readonly onDead: (err: Error | undefined) => void,
    direct?: { setReader(reader: (buf: Buffer, n: number) => void): void },
  ) {
    // node-pg's parser stops here; its 'error' / 'close' listeners stay (they drive client.end()).
    sock.removeAllListeners('data');
    if (direct) direct.setReader((buf, n) => this.onData(buf, n, true));
    else sock.on('data', (chunk: Buffer) => this.onData(chunk, chunk.length, false));
    sock.on('close', () => this.fail(new Error('Connection terminated unexpectedly')));
    sock.on('error', (err) => this.fail(err));
  }

  /** Named prepared statement (parsed once on this connection). */
  queryPrepared<R>(name: string, text: string, values: readonly unknown[] | undefined): Promise<WireResult<R>> {
    return this.prepared(name, text, values, undefined) as Promise<WireResult<R>>;
  }

  /** Unnamed statement, parsed every time (extended protocol). */
  queryExtended<R>(text: string, values: readonly unknown[] | undefined): Promise<WireResult<R>> {
    return this.extended(text, values, undefined) as Promise<WireResult<R>>;
  }

  /** Simple query protocol (may hold several statements). */
  querySimple<R>(text: string): Promise<WireResult<R>> {
    return this.simple(text, undefined) as Promise<WireResult<R>>;
  }

  /**
   * Like queryPrepared / queryExtended / querySimple (`kind`), for a query whose rows
   * nobody reads: no promise is made and no row is built; `done` is called once the
   * query ended, synchronously from the read that brought its ReadyForQuery. That is
   * the whole per-query cost of a pgbench script's statement (see Conn.send).
   */
  run(kind: 'prepared' | 'extended' | 'simple', text: string, values: readonly unknown[] | undefined, name: string, done: WireDone): void {
    if (kind === 'prepared') this.prepared(name, text, values, done);
    else if (kind === 'extended') this.extended(text, values, done);
    else this.simple(text, done);
  }

  /** Rejects everything pending; later queries fail at once. */
  shutdown(): void {
    this.fail(new Error('Connection terminated'));
  }

  private prepared(name: string, text: string, values: readonly unknown[] | undefined, done: WireDone | undefined): Promise<WireResult<unknown>> | undefined {
    const shape = this.shapes.get(name);
    if (shape) return this.send(this.bindExecute(name, values, false), shape, undefined, undefined, done);
    if (this.parsing.has(name)) {
      // Parsed by a query still in flight (only when queries are issued without waiting).
      return this.send(this.bindExecute(name, values, true), undefined, undefined, undefined, done);
    }
    this.parsing.add(name);
    const parse = this.parseMsg(name, text);
    const describe = this.describeMsg(0x53, name);
    return this.send(Buffer.concat([parse, describe, this.bindExecute(name, values, false)]), undefined, name, name, done);
  }

  private extended(text: string, values: readonly unknown[] | undefined, done: WireDone | undefined): Promise<WireResult<unknown>> | undefined {
    return this.send(Buffer.concat([this.parseMsg('', text), this.bindExecute('', values, true)]), undefined, undefined, undefined, done);
  }

  private simple(text: string, done: WireDone | undefined): Promise<WireResult<unknown>> | undefined {
    const len = Buffer.byteLength(text);
    const b = Buffer.allocUnsafe(len + 6);
    b[0] = 0x51;
    b.writeInt32BE(len + 5, 1);
    b.write(text, 5);
    b[len + 5] = 0;
    return this.send(b, undefined, undefined, undefined, done);
  }

  /** Queues the query and writes its message; a promise for it unless `done` is given. */
  private send(
    msg: Buffer,
    shape: RowShape | undefined,
    parsing: string | undefined,
    describing: string | undefined,
    done: WireDone | undefined,
  ): Promise<WireResult<unknown>> | undefined {
    if (this.closed) {
      const err = new Error('Connection terminated: client is not queryable');
      if (done === undefined) return Promise.reject(err);
      // Never from inside the caller's own call (it may be a completion starting the next query).
      queueMicrotask(() => done(err));
      return undefined;
    }
    const q = new Pending(shape, parsing, describing, done);
    let p: Promise<WireResult<unknown>> | undefined;
    if (done === undefined) {
      filling = q;
      p = new Promise<WireResult<unknown>>(settleWith);
      filling = undefined;
    }
    this.queue.push(q);
    this.sock.write(msg);
    return p;
  }

  private parseMsg(name: string, text: string): Buffer {
    const nl = Buffer.byteLength(name);
    const tl = Buffer.byteLength(text);
    const b = Buffer.allocUnsafe(1 + 4 + nl + 1 + tl + 1 + 2);
    let o = 0;
    b[o++] = 0x50;
    b.writeInt32BE(b.length - 1, o);
    o += 4;
    o += b.write(name, o);
    b[o++] = 0;
    o += b.write(text, o);
    b[o++] = 0;
    b.writeInt16BE(0, o); // no parameter types: the server infers them, as node-pg does
    return b;
  }

  private describeMsg(kind: number, name: string): Buffer {
    const nl = Buffer.byteLength(name);
    const b = Buffer.allocUnsafe(1 + 4 + 1 + nl + 1);
    b[0] = 0x44;
    b.writeInt32BE(b.length - 1, 1);
    b[5] = kind;
    b.write(name, 6);
    b[b.length - 1] = 0;
    return b;
  }

  /**
   * The start of a Bind for statement `name`: type, length (patched per message), the
   * unnamed portal and the name, encoded once per statement instead of per query.
   */
  private bindHead(name: string): Buffer {
    let h = this.bindHeads.get(name);
    if (h === undefined) {
      const nl = Buffer.byteLength(name);
      h = Buffer.alloc(1 + 4 + 1 + nl + 1);
      h[0] = 0x42;
      h.write(name, 6);
      this.bindHeads.set(name, h);
    }
    return h;
  }

  /** Bind (text results) [+ Describe portal] + Execute + Sync, in one buffer. */
  private bindExecute(name: string, values: readonly unknown[] | undefined, describePortal: boolean): Buffer {
    const n = values ? values.length : 0;
    const head = this.bindHead(name);
    const tail = describePortal ? 7 + EXECUTE_SYNC.length : EXECUTE_SYNC.length;
    // Safe integers only (every pgbench variable, most ids): their digits go straight
    // into the message, with no per-value array, string or UTF-8 encoding.
    let size = head.length + 2 + 2 + 2;
    for (let i = 0; i < n; i++) {
      const v = values![i];
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) return this.bindExecuteAny(head, values!, tail, describePortal);
      size += 4 + intTextLength(v);
    }
    const b = Buffer.allocUnsafe(size + tail);
    b.set(head, 0);
    b.writeInt32BE(size - 1, 1);
    let o = head.length;
    b[o++] = 0; // no parameter format codes: all text
    b[o++] = 0;
    b[o++] = n >> 8;
    b[o++] = n & 0xff;
    for (let i = 0; i < n; i++) {
      const v = values![i] as number;
      const l = intTextLength(v);
      b.writeInt32BE(l, o);
      writeIntText(b, o + 4, v, l);
      o += 4 + l;
    }
    b[o++] = 0; // all result columns in text
    b[o++] = 0;
    this.bindTail(b, o, describePortal);
    return b;
  }

  /** bindExecute for any parameter values: node-pg's serialisation (Buffers in binary). */
  private bindExecuteAny(head: Buffer, values: readonly unknown[], tail: number, describePortal: boolean): Buffer {
    const n = values.length;
    const vals: Array<string | Buffer | number | null> = new Array(n);
    let binary = false;
    let size = head.length + 2 + 2 + 2;
    for (let i = 0; i < n; i++) {
      const raw = values[i];
      if (typeof raw === 'number' && Number.isSafeInteger(raw)) {
        vals[i] = raw;
        size += 4 + intTextLength(raw);
        continue;
      }
      const v = paramText(raw);
      vals[i] = v;
      size += 4;
      if (v === null) continue;
      if (typeof v === 'string') size += Buffer.byteLength(v);
      else {
        binary = true;
        size += v.length;
      }
    }
    if (binary) size += 2 * n;
    const b = Buffer.allocUnsafe(size + tail);
    b.set(head, 0);
    b.writeInt32BE(size - 1, 1);
    let o = head.length;
    if (binary) {
      b.writeInt16BE(n, o);
      o += 2;
      for (let i = 0; i < n; i++) {
        b.writeInt16BE(Buffer.isBuffer(vals[i]) ? 1 : 0, o);
        o += 2;
      }
    } else {
      b.writeInt16BE(0, o);
      o += 2;
    }
    b.writeInt16BE(n, o);
    o += 2;
    for (let i = 0; i < n; i++) {
      const v = vals[i]!;
      if (v === null) {
        b.writeInt32BE(-1, o);
        o += 4;
      } else if (typeof v === 'number') {
        const l = intTextLength(v);
        b.writeInt32BE(l, o);
        writeIntText(b, o + 4, v, l);
        o += 4 + l;
      } else if (typeof v === 'string') {
        const l = b.write(v, o + 4);
        b.writeInt32BE(l, o);
        o += 4 + l;
      } else {
        b.writeInt32BE(v.length, o);
        v.copy(b, o + 4);
        o += 4 + v.length;
      }
    }
    b.writeInt16BE(0, o); // all result columns in text
    o += 2;
    this.bindTail(b, o, describePortal);
    return b;
  }

  /** Writes [Describe portal +] Execute + Sync at b[o]. */
  private bindTail(b: Buffer, o: number, describePortal: boolean): void {
    if (describePortal) {
      b[o++] = 0x44;
      b.writeInt32BE(6, o);
      o += 4;
      b[o++] = 0x50;
      b[o++] = 0;
    }
    b.set(EXECUTE_SYNC, o);
  }

  /**
   * Parses the messages in `chunk[0, n)`. `reused`: the chunk's memory is overwritten
   * by the next read (direct-socket.ts), so a partial message left over is copied.
   */
  private onData(chunk: Buffer, n: number, reused: boolean): void {
    let b = chunk;
    let end = n;
    if (this.buf) {
      b = Buffer.concat([this.buf, chunk.subarray(0, n)]);
      end = b.length;
      reused = false;
      this.buf = undefined;
    }
    let o = 0;
    while (end - o >= 5) {
      const len = b.readInt32BE(o + 1);
      if (end - o - 1 < len) break;
      this.message(b[o]!, b, o + 5, o + 1 + len);
      o += 1 + len;
    }
    if (o < end) this.buf = reused ? Buffer.from(b.subarray(o, end)) : b.subarray(o, end);
  }

  /** Handles one backend message whose body is b[s, e). */
  private message(type: number, b: Buffer, s: number, e: number): void {
    const q = this.queue[0];
    switch (type) {
      case 0x44: {
        // DataRow
        if (!q || q.done) return;
        const shape = q.shape ?? EMPTY_SHAPE;
        const n = b.readInt16BE(s);
        let p = s + 2;
        const row: Record<string, unknown> = {};
        for (let i = 0; i < n; i++) {
          const l = b.readInt32BE(p);
          p += 4;
          const name = shape.names[i] ?? `?column?${i}`;
          if (l < 0) row[name] = null;
          else {
            const text = b.toString('utf8', p, p + l);
            const parse = shape.parsers[i];
            row[name] = parse ? parse(text) : text;
            p += l;
          }
        }
        q.rows.push(row);
        return;
      }
      case 0x43: {
        // CommandComplete
        if (!q || q.done) return;
        // The tag is b[s, e - 1) (NUL-terminated).
        const command = (this.lastCommand = commandAt(b, s, e - 1, this.lastCommand));
        const r: WireResult<unknown> = { rows: q.rows, rowCount: rowCountAt(b, s, e - 1), command };
        // Several statements in one simple query: node-pg returns an array of results.
        if (q.last) (q.extra ??= []).push(q.last);
        q.last = r;
        q.rows = [];
        return;
      }
      case 0x5a: {
        // ReadyForQuery: the query is over.
        this.txStatus = String.fromCharCode(b[s]!);
        if (!q) return;
        this.queue.shift();
        if (q.parsing !== undefined) this.parsing.delete(q.parsing);
        if (q.done) q.done(q.error);
        else if (q.error) q.reject(q.error);
        else if (q.extra) {
          if (q.last) q.extra.push(q.last);
          q.resolve(q.extra as never);
        } else q.resolve((q.last ?? { rows: [], rowCount: null, command: '' }) as never);
        return;
      }
      case 0x54: {
        // RowDescription (Describe statement, Describe portal, or a simple query)
        if (!q) return;
        const n = b.readInt16BE(s);
        let p = s + 2;
        const names: string[] = new Array(n);
        const parsers: Array<(v: string) => unknown> = new Array(n);
        for (let i = 0; i < n; i++) {
          const z = b.indexOf(0, p);
          names[i] = b.toString('utf8', p, z);
          p = z + 1;
          const oid = b.readUInt32BE(p + 6);
          parsers[i] = parserFor(oid);
          p += 18;
        }
        q.shape = { names, parsers };
        if (q.describing !== undefined) this.shapes.set(q.describing, q.shape);
        return;
      }
      case 0x6e: // NoData
        if (q && q.describing !== undefined) this.shapes.set(q.describing, EMPTY_SHAPE);
        return;
      case 0x45: {
        // ErrorResponse
        const err = this.error(b, s, e);
        if (q && !q.error) q.error = err;
        const sev = (err as { severity?: string }).severity;
        if (!q || sev === 'FATAL' || sev === 'PANIC') {
          // Outside a query or fatal: the server is closing this session.
          if (sev === 'FATAL' || sev === 'PANIC') this.onDead(err);
        }
        // A statement whose Describe already answered was parsed: it stays prepared.
        return;
      }
      case 0x47: {
        // CopyInResponse: not supported here (node-pg without a stream does the same).
        const m = Buffer.from('COPY FROM STDIN is not supported by the load engine\0');
        const f = Buffer.allocUnsafe(5 + m.length);
        f[0] = 0x66;
        f.writeInt32BE(4 + m.length, 1);
        m.copy(f, 5);
        this.sock.write(f);
        return;
      }
      // ParseComplete '1', BindComplete '2', CloseComplete '3', ParameterDescription 't',
      // EmptyQueryResponse 'I', PortalSuspended 's', NoticeResponse 'N', ParameterStatus 'S',
      // NotificationResponse 'A', CopyOut/CopyData/CopyDone: nothing to do.
      default:
        return;
    }
  }

  private error(b: Buffer, s: number, e: number): Error {
    const f: Record<string, string> = {};
    let p = s;
    while (p < e && b[p] !== 0) {
      const code = String.fromCharCode(b[p]!);
      const z = b.indexOf(0, p + 1);
      f[code] = b.toString('utf8', p + 1, z);
      p = z + 1;
    }
    const err = new pg.DatabaseError(f.M ?? 'unknown error', e - s + 4, 'error') as pg.DatabaseError & Record<string, unknown>;
    err.severity = f.V ?? f.S;
    err.code = f.C;
    err.detail = f.D;
    err.hint = f.H;
    err.position = f.P;
    err.internalPosition = f.p;
    err.internalQuery = f.q;
    err.where = f.W;
    err.schema = f.s;
    err.table = f.t;
    err.column = f.c;
    err.dataType = f.d;
    err.constraint = f.n;
    err.file = f.F;
    err.line = f.L;
    err.routine = f.R;
    return err;
  }

  private fail(err: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.onDead(err);
    const pending = this.queue.splice(0);
    for (const q of pending) {
      if (q.done) q.done(q.error ?? err);
      else q.reject(q.error ?? err);
    }
    this.parsing.clear();
  }
}
