// A growable output buffer for steps that copy input bytes verbatim: filled synchronously while
// a chunk is scanned, written out, then cleared and reused, so memory stays flat.

import { borrowBuffer, returnBuffer } from './buffer-pool.js';

const SMALL_COPY = 24;

export class ByteBuffer {
  private buf: Buffer;
  length = 0;
  // A plain Uint8Array view of the last source: its subarray is much cheaper than a Buffer's.
  private source: Uint8Array | null = null;
  private sourceView: Uint8Array = new Uint8Array(0);

  constructor(capacity = 1 << 20) {
    this.buf = borrowBuffer(capacity);
  }

  /** Gives the memory back for reuse; the buffer is unusable after. */
  release(): void {
    this.source = null;
    returnBuffer(this.buf);
    this.buf = Buffer.alloc(0);
    this.length = 0;
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
      if (src !== this.source) {
        this.source = src;
        this.sourceView = new Uint8Array(src.buffer, src.byteOffset, src.length);
      }
      buf.set(this.sourceView.subarray(start, end), this.length);
    }
    this.length += n;
  }

  /** Makes room for `n` more bytes; returns the whole buffer, filled up to `length`, for a writer that sets `length` after. */
  reserve(n: number): Buffer {
    if (this.length + n > this.buf.length) this.grow(n);
    return this.buf;
  }

  /** Appends all of `src`. */
  append(src: Uint8Array): void {
    this.copy(src, 0, src.length);
  }

  /** The bytes so far, as a view valid until the next change. */
  bytes(): Buffer {
    return this.buf.subarray(0, this.length);
  }

  clear(): void {
    this.length = 0;
  }

  private grow(needed: number): void {
    const next = borrowBuffer(Math.max(this.buf.length * 2, this.length + needed));
    this.buf.copy(next, 0, 0, this.length);
    returnBuffer(this.buf);
    this.buf = next;
  }
}
