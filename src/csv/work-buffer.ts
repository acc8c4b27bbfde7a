// The bytes of a file being scanned: chunks are appended after the incomplete row the last scan
// left, in one buffer reused for the whole file, and a leading UTF-8 byte-order mark is skipped.
// Rows scanned by one push stay in place until the next, so a consumer may copy spans of them.

import { borrowBuffer, returnBuffer } from './buffer-pool.js';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export class WorkBuffer {
  bytes: Buffer;
  /** Bytes held, and where the first byte not yet consumed (the incomplete row) starts. */
  filled = 0;
  consumed = 0;
  /** Whether the file began with a byte-order mark (known once `ready`). */
  bom = false;
  /** The offset in the input of `bytes[0]`. */
  base = 0;
  private started = false;

  constructor(chunkSize: number) {
    this.bytes = borrowBuffer(chunkSize + (chunkSize >> 4));
  }

  /** Adds a chunk; false while the bytes so far could still be the start of a byte-order mark. */
  push(chunk: Uint8Array): boolean {
    this.append(chunk);
    if (!this.started) {
      if (this.filled < BOM.length && BOM.subarray(0, this.filled).equals(this.bytes.subarray(0, this.filled))) return false;
      this.start();
    }
    return true;
  }

  /** The input has ended: settles the byte-order mark question for a file shorter than one. */
  end(): void {
    if (!this.started) this.start();
  }

  /** Drops every byte held: the next chunk is the input from `offset` on (a byte-order mark is only looked for at 0). */
  skipTo(offset: number): void {
    this.started = true;
    this.base = offset;
    this.filled = this.consumed = 0;
  }

  /** Gives the memory back for the next file; unusable after. */
  release(): void {
    returnBuffer(this.bytes);
    this.bytes = Buffer.alloc(0);
  }

  private start(): void {
    this.started = true;
    if (this.filled >= BOM.length && this.bytes.subarray(0, BOM.length).equals(BOM)) {
      this.bom = true;
      this.consumed = BOM.length;
    }
  }

  /** Moves the incomplete row to the front, then adds the chunk after it. */
  private append(chunk: Uint8Array): void {
    const tail = this.filled - this.consumed;
    if (this.consumed > 0) {
      this.base += this.consumed;
      this.bytes.copyWithin(0, this.consumed, this.filled);
      this.consumed = 0;
      this.filled = tail;
    }
    if (this.filled + chunk.length > this.bytes.length) {
      const bigger = borrowBuffer(Math.max(this.bytes.length * 2, this.filled + chunk.length));
      this.bytes.copy(bigger, 0, 0, this.filled);
      returnBuffer(this.bytes);
      this.bytes = bigger;
    }
    this.bytes.set(chunk, this.filled);
    this.filled += chunk.length;
  }
}
