// Describe's compiled profile path (native/profile.c; see csv/compiled.ts): the reader hands it
// whole blocks of rows (CsvReader.readBlocks); it counts each described column's present and
// missing cells and its distinct values, and ColumnProfile takes those counts. A column with more
// distinct values than a profile remembers is handed over: its values so far, then its cells
// after each block, until the profile needs nothing but their presence. Anything the JavaScript
// path would report (a value that is not UTF-8, or not of the configured type, a ragged row)
// makes it give up, and the file is read again by the JavaScript path.

import { isUtf8 } from 'node:buffer';
import { compiledPaths, type CompiledPaths, type ProfileValues } from '../csv/compiled.js';
import { BLOCK_GAVE_UP, BlockGaveUp, type BlockReader } from '../csv/reader.js';
import { MAX_TRACKED_LEVELS } from './column-types.js';
import type { ColumnProfile } from './column-profile.js';

const PRESENCE = 1;
const QUOTE = 0x22;

export class NativeProfiler implements BlockReader {
  /** Per profile: whether its values were handed over (it passed the limit). */
  private readonly handedOver: boolean[];
  private readonly decoder = new TextDecoder();

  private constructor(
    private readonly native: CompiledPaths,
    private readonly handle: object,
    private readonly profiles: readonly ColumnProfile[],
  ) {
    this.handedOver = profiles.map(() => false);
  }

  /** A profiler of `fields` (ascending) into `profiles`, or null where the compiled path is not built or does not take this file. */
  static create(columns: number, fields: readonly number[], profiles: readonly ColumnProfile[], presenceOnly: readonly boolean[]): NativeProfiler | null {
    const native = compiledPaths();
    // A file of one column: a blank line is a row holding an empty cell, the JavaScript path's case.
    if (native === null || columns < 2) return null;
    const handle = native.profileCreate(columns, Int32Array.from(fields), Int32Array.from(presenceOnly, (only) => (only ? PRESENCE : 0)), MAX_TRACKED_LEVELS);
    return handle === undefined || handle === null ? null : new NativeProfiler(native, handle, profiles);
  }

  read(buf: Buffer, from: number, to: number, final: boolean, limit: number, out: Float64Array): void {
    this.native.profileRead(this.handle, buf, from, to, final, limit, out);
    if (out[0] === BLOCK_GAVE_UP) return;
    const taken = this.native.profileTake(this.handle);
    for (let w = 0; w < taken.length; w++) {
      const entry = taken[w];
      if (entry === null || entry === undefined) continue;
      const profile = this.profiles[w]!;
      if (entry.values !== null) {
        this.handedOver[w] = true;
        if (profile.takeValues(this.texts(entry.values), true) !== null) throw new BlockGaveUp(0);
      }
      const cells = entry.cells;
      for (let c = 0; c < cells.length && profile.needsCells; c += 3) {
        if (profile.addPastLimit(this.cellText(buf, cells[c]!, cells[c + 1]!, cells[c + 2] === 1)) !== null) throw new BlockGaveUp(0);
      }
      if (!profile.needsCells) this.native.profilePresenceOnly(this.handle, w);
    }
  }

  /** Gives the profiles what was counted; BlockGaveUp where the JavaScript path would report a value. */
  finish(): void {
    const result = this.native.profileResult(this.handle);
    if (result === null || result === undefined) throw new BlockGaveUp(0);
    result.forEach((column, w) => {
      const profile = this.profiles[w]!;
      if (!this.handedOver[w] && column.mode !== PRESENCE && profile.takeValues(this.texts(column), false) !== null) throw new BlockGaveUp(0);
      profile.takePresence(column.present, column.missing);
    });
  }

  private texts({ bytes, offsets, counts }: ProfileValues): Array<{ text: string; count: number }> {
    return Array.from(counts, (count, id) => {
      const value = bytes.subarray(offsets[id]!, offsets[id + 1]!);
      if (!isUtf8(value)) throw new BlockGaveUp(0);
      return { text: this.decoder.decode(value), count };
    });
  }

  private cellText(buf: Buffer, start: number, end: number, quoted: boolean): string {
    const bytes = buf.subarray(quoted ? start + 1 : start, quoted ? end - 1 : end);
    if (!isUtf8(bytes)) throw new BlockGaveUp(0);
    const text = this.decoder.decode(bytes);
    return quoted && bytes.includes(QUOTE) ? text.replaceAll('""', '"') : text;
  }
}
