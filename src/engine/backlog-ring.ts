/**
 * The backlog: a preallocated FIFO ring of due slots waiting for a connection
 * (slot index, due time, transaction type). Typed arrays, so queueing allocates nothing.
 */
export class BacklogRing {
  /** Global slot index per ring position. */
  readonly slot: Float64Array;
  /** Due time (ms from t0) per ring position. */
  readonly due: Float64Array;
  /** Transaction type index per ring position. */
  readonly type: Uint32Array;
  private head = 0;
  /** Slots waiting. */
  length = 0;

  /** `capacity` 0 means no backlog: every slot that finds no free connection is dropped. */
  constructor(readonly capacity: number) {
    const n = Math.max(1, capacity);
    this.slot = new Float64Array(n);
    this.due = new Float64Array(n);
    this.type = new Uint32Array(n);
  }

  /** Queues a slot; false when the ring is full (the caller drops it). */
  push(slot: number, due: number, type: number): boolean {
    if (this.length >= this.capacity) return false;
    const at = (this.head + this.length) % this.slot.length;
    this.slot[at] = slot;
    this.due[at] = due;
    this.type[at] = type;
    this.length++;
    return true;
  }

  /** Removes the oldest slot and returns its ring position (read `slot/due/type[at]`), or -1 when empty. */
  shift(): number {
    if (this.length === 0) return -1;
    const at = this.head;
    this.head = (this.head + 1) % this.slot.length;
    this.length--;
    return at;
  }
}
