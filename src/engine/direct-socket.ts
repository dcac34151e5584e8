/**
 * A TCP (or Unix) socket for an engine connection whose reads skip Node's stream
 * machinery. By default every read allocates: libuv asks Node for a 64 KiB buffer
 * (malloc), Node wraps what was read into a new ArrayBuffer and Buffer, pushes it
 * through the Readable state machine and emits 'data'. With the socket's `onread`
 * option libuv reads straight into one preallocated buffer and Node calls a callback.
 * At saturation that is one read per transaction, so the saving is per transaction.
 *
 * One buffer serves every such socket of the thread: a read callback runs to its end
 * before the next read of any socket, and whoever keeps bytes past it copies them
 * (see `DirectReader`). Until a reader is set (while node-pg opens and authenticates
 * the connection) each read is re-emitted as an ordinary 'data' event with its own copy.
 */
import { Socket } from 'node:net';

/** Takes the bytes `buf[0, n)` of one read; `buf` is reused by the next read of any socket. */
export type DirectReader = (buf: Buffer, n: number) => void;

const READ_BUFFER_BYTES = 64 * 1024;
let shared: Buffer | undefined;

/** A socket with direct reads, and the switch that hands its reads to a reader. */
export interface DirectSocket {
  readonly socket: Socket;
  /** From now on reads go to `reader` instead of 'data' events. */
  setReader(reader: DirectReader): void;
}

/** A new, unconnected socket (node-pg connects it, like the one it would make itself). */
export function directSocket(): DirectSocket {
  shared ??= Buffer.allocUnsafe(READ_BUFFER_BYTES);
  let reader: DirectReader | undefined;
  // `onread` is a documented constructor option that @types/node lists for connect() only.
  const socket = new Socket({
    onread: {
      buffer: shared,
      callback: (n: number, buf: Uint8Array): boolean => {
        if (reader) reader(buf as Buffer, n);
        else socket.emit('data', Buffer.from(buf.subarray(0, n)));
        return true;
      },
    },
  } as ConstructorParameters<typeof Socket>[0]);
  return {
    socket,
    setReader: (r) => {
      reader = r;
    },
  };
}
