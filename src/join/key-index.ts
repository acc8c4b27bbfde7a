// Maps patient keys to small integers (value tuples) compactly. Keys are compared as text; a key
// whose text is a canonical non-negative integer (no sign, no leading zero, at most 15 digits)
// is held as a number in typed arrays sized exactly from a first pass over the file: a dense
// array where ids are compact, otherwise an open-addressing hash table. A few bytes per patient,
// never one JS object per row. Any other key ("007", "A12") goes to a Map by its text.

import type { RowView } from '../csv/scanner.js';

const ZERO = 0x30;
const NINE = 0x39;

/** The integer a key's bytes spell canonically, or -1 when they do not. */
export function canonicalInteger(buf: Uint8Array, start: number, end: number): number {
  const length = end - start;
  if (length === 0 || length > 15) return -1;
  if (buf[start] === ZERO && length > 1) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c < ZERO || c > NINE) return -1;
    value = value * 10 + (c - ZERO);
  }
  return value;
}

/**
 * A row's key: a number for a canonical integer, the text otherwise, null when empty (an empty
 * key never matches anything). A quoted "7" is the same key as 7. Other keys are compared by
 * their bytes (held one character per byte), so two keys that are not UTF-8 never merge into one.
 */
export function readKey(row: RowView, column: number): number | string | null {
  const buf = row.buffer;
  let s = row.starts[column]!;
  let e = row.ends[column]!;
  if (row.quoted[column] === 1) {
    s++;
    e--;
  }
  if (s === e) return null;
  const integer = canonicalInteger(buf, s, e);
  if (integer >= 0) return integer;
  const bytes = buf.toString('latin1', s, e);
  return row.quoted[column] === 1 && bytes.includes('"') ? bytes.replaceAll('""', '"') : bytes;
}

/** A key as `readKey` holds it, as text for a message. */
export function keyText(key: number | string): string {
  return typeof key === 'number' ? String(key) : Buffer.from(key, 'latin1').toString('utf8');
}

/** Values are stored plus one, so 0 means "absent". */
type ValueArray = Uint8Array | Uint16Array | Int32Array;

/** Shareable form: typed arrays over SharedArrayBuffer (shared with workers, not copied). */
export type KeyIndexData =
  | { kind: 'dense'; base: number; values: ValueArray; textKeys: Map<string, number> }
  | { kind: 'hash'; keys: Float64Array; values: ValueArray; textKeys: Map<string, number> };

/** What a first pass over the keys found, to size the index exactly. */
export interface KeyStats {
  integerKeys: number;
  minInteger: number;
  maxInteger: number;
  /** Distinct values (tuple indices run from 0 to valueCount - 1). */
  valueCount: number;
}

export class KeyIndex {
  private constructor(private readonly data: KeyIndexData) {}

  static fromData(data: KeyIndexData): KeyIndex {
    return new KeyIndex(data);
  }

  get shareable(): KeyIndexData {
    return this.data;
  }

  /** Value for an integer key, or -1. */
  getInteger(key: number): number {
    const data = this.data;
    if (data.kind === 'dense') {
      const slot = key - data.base;
      return slot >= 0 && slot < data.values.length ? data.values[slot]! - 1 : -1;
    }
    const { keys, values } = data;
    for (let slot = slotOf(key, keys.length); ; slot = slot + 1 === keys.length ? 0 : slot + 1) {
      const v = values[slot]!;
      if (v === 0) return -1;
      if (keys[slot] === key) return v - 1;
    }
  }

  /** Value for a key that is not a canonical integer, or -1. */
  getText(key: string): number {
    return this.data.textKeys.get(key) ?? -1;
  }

  /** Value for a row's key, or -1 (also for an empty key). */
  getRow(row: RowView, column: number): number {
    const key = readKey(row, column);
    if (key === null) return -1;
    return typeof key === 'number' ? this.getInteger(key) : this.getText(key);
  }
}

/** Fills an index sized from `stats`; `add*` return false for a key already present. */
export class KeyIndexWriter {
  private readonly data: KeyIndexData;

  constructor(stats: KeyStats) {
    const { integerKeys, minInteger, maxInteger, valueCount } = stats;
    const textKeys = new Map<string, number>();
    const span = integerKeys === 0 ? 0 : maxInteger - minInteger + 1;
    if (span <= 2 * integerKeys + 4096) {
      this.data = { kind: 'dense', base: minInteger, values: valueArray(valueCount, span), textKeys };
    } else {
      const capacity = Math.ceil(integerKeys / 0.7) + 1;
      const keys = new Float64Array(new SharedArrayBuffer(8 * capacity));
      this.data = { kind: 'hash', keys, values: valueArray(valueCount, capacity), textKeys };
    }
  }

  addInteger(key: number, value: number): boolean {
    const data = this.data;
    if (data.kind === 'dense') {
      const slot = key - data.base;
      if (data.values[slot] !== 0) return false;
      data.values[slot] = value + 1;
      return true;
    }
    const { keys, values } = data;
    let slot = slotOf(key, keys.length);
    for (; values[slot] !== 0; slot = slot + 1 === keys.length ? 0 : slot + 1) if (keys[slot] === key) return false;
    keys[slot] = key;
    values[slot] = value + 1;
    return true;
  }

  addText(key: string, value: number): boolean {
    if (this.data.textKeys.has(key)) return false;
    this.data.textKeys.set(key, value);
    return true;
  }

  build(): KeyIndex {
    return KeyIndex.fromData(this.data);
  }
}

function valueArray(valueCount: number, length: number): ValueArray {
  if (valueCount < 0xff) return new Uint8Array(new SharedArrayBuffer(length));
  if (valueCount < 0xffff) return new Uint16Array(new SharedArrayBuffer(2 * length));
  return new Int32Array(new SharedArrayBuffer(4 * length));
}

/** A slot in [0, capacity) for a key, well spread (keys may be up to 2^53). */
function slotOf(key: number, capacity: number): number {
  const low = key % 4294967296 | 0;
  const high = (key / 4294967296) | 0;
  let h = Math.imul(low ^ Math.imul(high, 0x27d4eb2d), 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  // Multiply-shift onto the capacity, exact in doubles: 24 bits times at most 2^28.
  return Math.floor(((h >>> 8) * capacity) / 16777216);
}
