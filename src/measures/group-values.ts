// Gives each distinct value of a group column a small id, straight from the CSV bytes: a hash
// table over the raw bytes, so a row costs no string. A quoted field is unescaped first, so
// `"London"` and `London` are one group. A value is checked to be UTF-8 once, when first seen.

import { isUtf8 } from 'node:buffer';

const QUOTE = 0x22;
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

export class GroupValues {
  /** Open-addressing table of id + 1 (0 = free slot); its size is a power of two. */
  private table = new Int32Array(64);
  private mask = 63;
  /** Per id: its hash, and its bytes as `bytes[offsets[id], offsets[id + 1])`. */
  private hashes = new Int32Array(16);
  private offsets = new Int32Array(17);
  private bytes = Buffer.alloc(256);
  private scratch = Buffer.alloc(256);
  /** The value last seen per signature (length, first, middle and last byte; -1 for none), hashed to 256 slots, and its id. */
  private readonly recentSignatures = new Int32Array(256).fill(-1);
  private readonly recentIds = new Int32Array(256);
  /** Distinct values so far; ids are 0 to count - 1 in order of first appearance. */
  count = 0;

  /** The id of the unquoted field `buf[start, end)`. */
  idOf(buf: Buffer, start: number, end: number): number {
    // Most group columns hold a few values that differ in their length or first, middle or last
    // byte, so a value is usually found by comparing it with the value last seen with that
    // signature, without hashing it. Up to 3 bytes the signature is the value itself.
    const length = end - start;
    const signature = length === 0 ? 0 : ((length & 0x7f) << 24) | (buf[start]! << 16) | (buf[start + (length >> 1)]! << 8) | buf[end - 1]!;
    const slot = Math.imul(signature, 0x9e3779b1) >>> 24;
    if (this.recentSignatures[slot] === signature) {
      const id = this.recentIds[slot]!;
      if (length <= 3 || this.sameBytes(id, buf, start, end)) return id;
    }
    const id = this.lookup(buf, start, end);
    this.recentSignatures[slot] = signature;
    this.recentIds[slot] = id;
    return id;
  }

  private lookup(buf: Buffer, start: number, end: number): number {
    let hash = FNV_OFFSET;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ buf[i]!, FNV_PRIME);
    hash ^= hash >>> 15;
    const table = this.table;
    const mask = this.mask;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = table[slot]!;
      if (entry === 0) return this.add(buf, start, end, hash, slot);
      const id = entry - 1;
      if (this.hashes[id] === hash && this.sameBytes(id, buf, start, end)) return id;
    }
  }

  /** The id of the quoted field `buf[start, end)` (quotes included), by its unescaped text. */
  idOfQuoted(buf: Buffer, start: number, end: number): number {
    if (this.scratch.length < end - start) this.scratch = Buffer.alloc(2 * (end - start));
    const scratch = this.scratch;
    let length = 0;
    for (let i = start + 1; i < end - 1; i++) {
      const byte = buf[i]!;
      scratch[length++] = byte;
      if (byte === QUOTE) i++; // a doubled quote stands for one
    }
    return this.idOf(scratch, 0, length);
  }

  /** The values as text, by id. */
  texts(): string[] {
    const texts: string[] = [];
    for (let id = 0; id < this.count; id++) texts.push(this.bytes.toString('utf8', this.offsets[id]!, this.offsets[id + 1]!));
    return texts;
  }

  private sameBytes(id: number, buf: Buffer, start: number, end: number): boolean {
    const from = this.offsets[id]!;
    if (this.offsets[id + 1]! - from !== end - start) return false;
    const bytes = this.bytes;
    for (let i = start, j = from; i < end; i++, j++) if (bytes[j] !== buf[i]) return false;
    return true;
  }

  private add(buf: Buffer, start: number, end: number, hash: number, slot: number): number {
    if (!isUtf8(buf.subarray(start, end))) throw new Error('a group value is not UTF-8 text');
    const id = this.count++;
    if (id + 1 >= this.hashes.length) {
      this.hashes = grow(this.hashes, this.hashes.length * 2);
      this.offsets = grow(this.offsets, this.offsets.length * 2);
    }
    const from = this.offsets[id]!;
    const to = from + (end - start);
    if (to > this.bytes.length) {
      const bigger = Buffer.alloc(Math.max(2 * this.bytes.length, to));
      this.bytes.copy(bigger, 0, 0, from);
      this.bytes = bigger;
    }
    buf.copy(this.bytes, from, start, end);
    this.offsets[id + 1] = to;
    this.hashes[id] = hash;
    this.table[slot] = id + 1;
    if (2 * this.count > this.table.length) this.rehash();
    return id;
  }

  private rehash(): void {
    const size = this.table.length * 2;
    const table = new Int32Array(size);
    const mask = size - 1;
    for (let id = 0; id < this.count; id++) {
      let slot = this.hashes[id]! & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = id + 1;
    }
    this.table = table;
    this.mask = mask;
  }
}

function grow(array: Int32Array<ArrayBuffer>, size: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(size);
  bigger.set(array);
  return bigger;
}
