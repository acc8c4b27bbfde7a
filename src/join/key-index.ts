// Maps patient keys to small integers compactly. Keys are compared as text; a key whose text is
// a canonical non-negative integer (no sign, no leading zero, at most 15 digits) is held as a
// number in typed arrays, so millions of patients cost a few bytes each instead of a JS object.
// Every other key ("007", "A12", "7.0") goes to a Map by its text, so "007" and "7" stay apart.

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

/** The same rule for a key already decoded to text. */
export function canonicalIntegerOfText(text: string): number {
  return /^(?:0|[1-9]\d{0,14})$/.test(text) ? Number(text) : -1;
}

/** Shareable form of a KeyIndex: typed arrays over SharedArrayBuffer, plus the text keys. */
export interface KeyIndexData {
  /** Dense: slot[k] = value + 1 (0 = absent). Used when the integer keys are compact. */
  dense: Int32Array | null;
  /** Otherwise an open-addressing hash table of integer keys. */
  hashKeys: Float64Array | null;
  hashValues: Int32Array | null;
  textKeys: Map<string, number>;
}

const EMPTY = -1;

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
    const { dense, hashKeys, hashValues } = this.data;
    if (dense !== null) return key < dense.length ? dense[key]! - 1 : -1;
    const mask = hashKeys!.length - 1;
    for (let slot = hash(key) & mask; ; slot = (slot + 1) & mask) {
      const v = hashValues![slot]!;
      if (v === EMPTY) return -1;
      if (hashKeys![slot] === key) return v;
    }
  }

  /** Value for a key that is not a canonical integer, or -1. */
  getText(key: string): number {
    return this.data.textKeys.get(key) ?? -1;
  }
}

/** Two entries with the same key, found while building. */
export class DuplicateKeyError extends Error {
  constructor(
    readonly key: string,
    readonly firstLine: number,
    readonly secondLine: number,
  ) {
    super(`duplicate key ${key}`);
  }
}

/** Collects keys with their values and source lines, then freezes them into a KeyIndex. */
export class KeyIndexBuilder {
  private count = 0;
  private keys = new Float64Array(1024);
  private values = new Int32Array(1024);
  private lines = new Int32Array(1024);
  private readonly textKeys = new Map<string, number>();
  private readonly textLines = new Map<string, number>();

  addInteger(key: number, value: number, line: number): void {
    if (this.count === this.keys.length) this.grow();
    this.keys[this.count] = key;
    this.values[this.count] = value;
    this.lines[this.count] = line;
    this.count++;
  }

  addText(key: string, value: number, line: number): void {
    const firstLine = this.textLines.get(key);
    if (firstLine !== undefined) throw new DuplicateKeyError(key, firstLine, line);
    this.textKeys.set(key, value);
    this.textLines.set(key, line);
  }

  get size(): number {
    return this.count + this.textKeys.size;
  }

  /** Freezes the keys; throws DuplicateKeyError for the first integer key seen twice. */
  build(): KeyIndex {
    const { count, keys, values, lines } = this;
    let max = -1;
    for (let i = 0; i < count; i++) if (keys[i]! > max) max = keys[i]!;
    let data: KeyIndexData;
    if (max < 2 * count + 1024) {
      const dense = new Int32Array(new SharedArrayBuffer(4 * (max + 1)));
      const firstEntry = new Int32Array(max + 1);
      for (let i = 0; i < count; i++) {
        const k = keys[i]!;
        if (dense[k] !== 0) throw new DuplicateKeyError(String(k), lines[firstEntry[k]!]!, lines[i]!);
        dense[k] = values[i]! + 1;
        firstEntry[k] = i;
      }
      data = { dense, hashKeys: null, hashValues: null, textKeys: this.textKeys };
    } else {
      let capacity = 16;
      while (capacity < count * 2) capacity *= 2;
      const hashKeys = new Float64Array(new SharedArrayBuffer(8 * capacity));
      const hashValues = new Int32Array(new SharedArrayBuffer(4 * capacity)).fill(EMPTY);
      const entries = new Int32Array(capacity);
      const mask = capacity - 1;
      for (let i = 0; i < count; i++) {
        const k = keys[i]!;
        let slot = hash(k) & mask;
        for (; hashValues[slot] !== EMPTY; slot = (slot + 1) & mask) {
          if (hashKeys[slot] === k) throw new DuplicateKeyError(String(k), lines[entries[slot]!]!, lines[i]!);
        }
        hashKeys[slot] = k;
        hashValues[slot] = values[i]!;
        entries[slot] = i;
      }
      data = { dense: null, hashKeys, hashValues, textKeys: this.textKeys };
    }
    this.textLines.clear();
    this.keys = new Float64Array(0);
    this.values = new Int32Array(0);
    this.lines = new Int32Array(0);
    return KeyIndex.fromData(data);
  }

  private grow(): void {
    const size = this.keys.length * 2;
    const keys = new Float64Array(size);
    const values = new Int32Array(size);
    const lines = new Int32Array(size);
    keys.set(this.keys);
    values.set(this.values);
    lines.set(this.lines);
    this.keys = keys;
    this.values = values;
    this.lines = lines;
  }
}

function hash(key: number): number {
  const low = key | 0;
  const high = (key / 4294967296) | 0;
  let h = Math.imul(low ^ Math.imul(high, 0x27d4eb2d), 0x9e3779b1);
  h ^= h >>> 15;
  return h >>> 0;
}
