// A growable output buffer for steps that copy input bytes verbatim: filled synchronously while
// a chunk is scanned, then handed whole to the writer.

const SMALL_COPY = 24;

export class ByteBuffer {
  private buf: Buffer;
  length = 0;

  constructor(private readonly capacity = 1 << 20) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  /** Appends `src[start, end)`. */
  copy(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (n <= 0) return;
    if (this.length + n > this.buf.length) this.grow(n);
    const buf = this.buf;
    if (n < SMALL_COPY) {
      // A loop beats the native call for the few bytes of a cell.
      let at = this.length;
      for (let i = start; i < end; i++) buf[at++] = src[i]!;
    } else {
      buf.set(src.subarray(start, end), this.length);
    }
    this.length += n;
  }

  /** Appends all of `src`. */
  append(src: Uint8Array): void {
    this.copy(src, 0, src.length);
  }

  /** The bytes so far; the buffer starts afresh (the returned bytes are not reused). */
  take(): Buffer {
    const out = this.buf.subarray(0, this.length);
    this.buf = Buffer.allocUnsafe(Math.max(this.capacity, this.length));
    this.length = 0;
    return out;
  }

  private grow(needed: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + needed));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
}
