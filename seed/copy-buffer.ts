/**
 * Accumulates COPY text rows into large Buffers. Why not one big string per chunk:
 * V8 keeps `+=` results as rope trees that survive young-generation GC and then cost
 * full collections (profiling showed GC at 80% of generation time). Writing each short
 * row string into a Buffer right away lets the row die young, which is nearly free.
 */
export class CopyBuffer {
  private buf: Buffer;
  private pos = 0;
  private readonly ready: Buffer[] = [];
  /** Rows pushed so far. */
  rows = 0;

  /** @param capacity bytes per handed-off Buffer (1 MiB: big COPY messages, few writes). */
  constructor(private readonly capacity = 1 << 20) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  /** Appends one or more complete rows (each ending in '\n'). */
  push(text: string, rows = 1): void {
    this.rows += rows;
    // utf8 needs at most 3 bytes per UTF-16 code unit.
    const worst = text.length * 3;
    if (this.pos + worst > this.capacity) {
      this.seal();
      if (worst > this.capacity) {
        this.ready.push(Buffer.from(text, 'utf8'));
        return;
      }
    }
    this.pos += this.buf.write(text, this.pos, 'utf8');
  }

  /** Moves the bytes written so far into the ready list. */
  seal(): void {
    if (this.pos === 0) return;
    this.ready.push(this.buf.subarray(0, this.pos));
    this.buf = Buffer.allocUnsafe(this.capacity);
    this.pos = 0;
  }

  /** Takes the full Buffers (call {@link seal} first to include the partial one). */
  take(): Buffer[] {
    return this.ready.splice(0, this.ready.length);
  }
}
