// Streams one column of one cohort file into a bounded profile: missing and present counts,
// the count of each distinct value while there are few, and once there are many, running
// numeric statistics or counts by year for as long as every value is a number or a date.
// Which statistics are reported is decided later, over all files (see variable-plan.ts).

import type { RowView } from '../csv/scanner.js';
import { MAX_TRACKED_LEVELS, fitsType, yearOfText, type ConfiguredType } from './column-types.js';
import { numberOfText } from '../csv/cell-number.js';
import { NumericAccumulator, type NumericData } from './numeric-accumulator.js';

/** A column's profile as plain data (sent from a worker thread). */
export interface ColumnProfileData {
  name: string;
  present: number;
  missing: number;
  /** [value, rows] for every distinct value, or null when there were too many to remember. */
  levels: Array<[string, number]> | null;
  /** Null unless every present value is a number. */
  numeric: NumericData | null;
  /** [year, rows], or null unless every present value is a date. */
  years: Array<[number, number]> | null;
}

/** What `add` found wrong with a value. */
export type ValueProblem = 'type' | 'levels' | null;

/** Short unquoted values are looked up by their bytes packed into a number, without decoding. */
const SHORT = 6;

export class ColumnProfile {
  private present = 0;
  private missing = 0;
  // Distinct values: packed short values and decoded long ones both point at a slot.
  private shortSlots: Map<number, number> | null = new Map();
  private textSlots: Map<string, number> | null = new Map();
  private slotText: string[] = [];
  private slotCount: number[] = [];
  /** The slot of each short value seen last at its place in a 256-entry table: most cells hit it, skipping the Map. */
  private readonly recentKeys = new Float64Array(256).fill(-1);
  private readonly recentSlots = new Int32Array(256);
  /** The same for longer (or quoted) values, by a hash of their raw bytes. */
  private readonly recentLong: Array<{ bytes: Buffer; quoted: boolean; slot: number } | undefined> = new Array(256);
  // Used only after the distinct values overflowed.
  private numeric: NumericAccumulator | null = null;
  private years: Map<number, number> | null = null;

  /** `expected`: the type the config gives the column, whose values are then checked. */
  constructor(
    readonly name: string,
    private readonly expected: ConfiguredType | null,
  ) {
    if (expected === 'text') this.shortSlots = this.textSlots = null;
  }

  /** Counts field `field` of `row`; returns what is wrong with the value, if anything. */
  add(row: RowView, field: number): ValueProblem {
    const buf = row.buffer;
    const start = row.starts[field]!;
    const end = row.ends[field]!;
    const quoted = row.quoted[field] === 1;
    if (start === end || (quoted && end - start === 2)) {
      this.missing++;
      return null;
    }
    this.present++;
    const shortSlots = this.shortSlots;
    if (shortSlots !== null) {
      if (!quoted && end - start <= SHORT) {
        let key = end - start;
        for (let i = start; i < end; i++) key = key * 256 + buf[i]!;
        const recent = Math.imul(key | 0, 0x9e3779b1) >>> 24;
        if (this.recentKeys[recent] === key) {
          this.slotCount[this.recentSlots[recent]!]!++;
          return null;
        }
        const slot = shortSlots.get(key);
        if (slot !== undefined) {
          this.recentKeys[recent] = key;
          this.recentSlots[recent] = slot;
          this.slotCount[slot]!++;
          return null;
        }
        const text = row.text(field);
        shortSlots.set(key, this.slotText.length);
        return this.newLevel(text);
      }
      // A longer value is first compared, byte for byte, with the value last seen with its hash.
      let hash = end - start;
      for (let i = start; i < end; i++) hash = Math.imul(hash ^ buf[i]!, 0x01000193);
      const recent = hash >>> 24;
      const seen = this.recentLong[recent];
      if (seen !== undefined && seen.quoted === quoted && sameBytes(seen.bytes, buf, start, end)) {
        this.slotCount[seen.slot]!++;
        return null;
      }
      const text = row.text(field);
      let slot = this.textSlots!.get(text);
      if (slot !== undefined) {
        this.recentLong[recent] = { bytes: Buffer.from(buf.subarray(start, end)), quoted, slot };
        this.slotCount[slot]!++;
        return null;
      }
      slot = this.slotText.length;
      this.textSlots!.set(text, slot);
      const problem = this.newLevel(text);
      if (problem === null && this.shortSlots !== null) this.recentLong[recent] = { bytes: Buffer.from(buf.subarray(start, end)), quoted, slot };
      return problem;
    }
    if (this.numeric === null && this.years === null) return null;
    return this.addOverflowed(row.text(field), 1);
  }

  /**
   * Takes what the compiled profile path counted on a fresh profile: the distinct values in order
   * of first appearance with their rows (a short unquoted value apart from the same text quoted,
   * as `add` keeps them). `passedLimit`: the last value was one too many, so the profile goes on
   * as `add` does then (running statistics, or an error for a categorical column); the cells that
   * follow come to `addPastLimit`. Returns what is wrong, as `add` does.
   */
  takeValues(values: ReadonlyArray<{ text: string; count: number }>, passedLimit: boolean): ValueProblem {
    for (const { text, count } of values) {
      if (this.shortSlots === null) break;
      if (this.expected !== null && !fitsType(this.expected, text)) return 'type';
      // The values' keys are not needed: no cell comes to `add` after this.
      this.slotText.push(text);
      this.slotCount.push(count);
    }
    if (!passedLimit) return null;
    if (this.expected === 'categorical') return 'levels';
    return this.overflow();
  }

  /** A present cell after the compiled path passed the limit (see takeValues). */
  addPastLimit(text: string): ValueProblem {
    return this.numeric === null && this.years === null ? null : this.addOverflowed(text, 1);
  }

  /** Whether cells past the limit still matter: false once only their presence is counted. */
  get needsCells(): boolean {
    return this.numeric !== null || this.years !== null;
  }

  /** Sets the present and missing cells the compiled path counted. */
  takePresence(present: number, missing: number): void {
    this.present = present;
    this.missing = missing;
  }

  toData(): ColumnProfileData {
    const base = { name: this.name, present: this.present, missing: this.missing };
    if (this.shortSlots === null) {
      const years = this.years === null ? null : [...this.years].sort((a, b) => a[0] - b[0]);
      return { ...base, levels: null, numeric: this.numeric?.toData() ?? null, years };
    }
    const merged = new Map<string, number>();
    this.slotText.forEach((text, slot) => merged.set(text, (merged.get(text) ?? 0) + this.slotCount[slot]!));
    const levels = [...merged];
    // Few distinct values: the numeric and date summaries come from the value counts.
    const numeric = this.expected === null || this.expected === 'numeric' ? new NumericAccumulator() : null;
    let years: Map<number, number> | null = this.expected === null || this.expected === 'date' ? new Map() : null;
    let isNumeric = numeric !== null;
    for (const [text, count] of levels) {
      if (isNumeric) {
        const value = numberOfText(text);
        if (value === null) isNumeric = false;
        else numeric!.add(value, count);
      }
      if (years !== null) {
        const year = yearOfText(text);
        if (year === null) years = null;
        else years.set(year, (years.get(year) ?? 0) + count);
      }
    }
    return {
      ...base,
      levels,
      numeric: isNumeric ? numeric!.toData() : null,
      years: years === null ? null : [...years].sort((a, b) => a[0] - b[0]),
    };
  }

  private newLevel(text: string): ValueProblem {
    if (this.expected !== null && !fitsType(this.expected, text)) return 'type';
    this.slotText.push(text);
    this.slotCount.push(1);
    if (this.slotText.length <= MAX_TRACKED_LEVELS) return null;
    if (this.expected === 'categorical') return 'levels';
    return this.overflow();
  }

  /** Too many distinct values to remember: keep running statistics instead, from what was seen. */
  private overflow(): ValueProblem {
    this.numeric = this.expected === null || this.expected === 'numeric' ? new NumericAccumulator() : null;
    this.years = this.expected === null || this.expected === 'date' ? new Map() : null;
    const texts = this.slotText;
    const counts = this.slotCount;
    this.shortSlots = this.textSlots = null;
    this.slotText = [];
    this.slotCount = [];
    for (let slot = 0; slot < texts.length && (this.numeric !== null || this.years !== null); slot++) {
      const problem = this.addOverflowed(texts[slot]!, counts[slot]!);
      if (problem !== null) return problem;
    }
    return null;
  }

  private addOverflowed(text: string, count: number): ValueProblem {
    if (this.numeric !== null) {
      const value = numberOfText(text);
      if (value !== null) this.numeric.add(value, count);
      else if (this.expected === 'numeric') return 'type';
      else this.numeric = null;
    }
    if (this.years !== null) {
      const year = yearOfText(text);
      if (year !== null) this.years.set(year, (this.years.get(year) ?? 0) + count);
      else if (this.expected === 'date') return 'type';
      else this.years = null;
    }
    return null;
  }
}

function sameBytes(bytes: Uint8Array, buf: Uint8Array, start: number, end: number): boolean {
  if (bytes.length !== end - start) return false;
  for (let i = start, j = 0; i < end; i++, j++) if (bytes[j] !== buf[i]) return false;
  return true;
}
