// The measures' compiled count path (native/count.c; see csv/compiled.ts): the reader hands it
// whole blocks of rows (CsvReader.readBlocks) and it does what CountRows and FileCounter do for
// each row, at several times their speed. It reports no errors: at the first row that is anything
// but plain it gives up, and the file is read again by the JavaScript count path, whose messages
// name the file, line and column.

import { isUtf8 } from 'node:buffer';
import { compiledPaths, type CompiledPaths } from '../csv/compiled.js';
import { BlockGaveUp, type BlockReader } from '../csv/reader.js';
import { checkedSums, type FileCounts } from './file-counter.js';
import type { MeasurePlan } from './plan.js';

export class NativeCounter implements BlockReader {
  private rows = 0;

  private constructor(
    private readonly native: CompiledPaths,
    private readonly handle: object,
    private readonly plan: MeasurePlan,
    private readonly file: string,
  ) {}

  /**
   * A counter for rows of `columns` fields with the plan's count and group columns at these
   * fields, or null where the compiled path is not available or does not take this file.
   */
  static create(plan: MeasurePlan, file: string, columns: number, countFields: readonly number[], groupFields: readonly number[]): NativeCounter | null {
    const native = compiledPaths();
    // A file of one column: a blank line is a row holding an empty cell, the JavaScript path's case.
    if (native === null || columns < 2) return null;
    const wanted = [...new Set([...countFields, ...groupFields])].sort((a, b) => a - b);
    const groupingStart = [0];
    for (const columns of plan.groupings) groupingStart.push(groupingStart.at(-1)! + columns.length);
    const handle = native.create(
      columns,
      Int32Array.from(wanted),
      Int32Array.from(countFields, (field) => wanted.indexOf(field)),
      Int32Array.from(groupFields, (field) => wanted.indexOf(field)),
      Int32Array.from(groupingStart),
      Int32Array.from(plan.groupings.flat()),
      Int32Array.from(plan.measures.flatMap((m) => [m.grouping, m.numeratorSlot, m.denominatorSlot])),
    );
    return handle === undefined || handle === null ? null : new NativeCounter(native, handle, plan, file);
  }

  get rowCount(): number {
    return this.rows;
  }

  read(buf: Buffer, from: number, to: number, final: boolean, limit: number, out: Float64Array): void {
    this.native.read(this.handle, buf, from, to, final, limit, out);
    this.rows += out[2]!;
  }

  /** The sums, as FileCounter gives them; BlockGaveUp when a group value is not UTF-8 (the JavaScript path names its cell). */
  result(): FileCounts {
    const result = this.native.result(this.handle);
    if (result === null || result === undefined) throw new BlockGaveUp(0);
    const decoder = new TextDecoder();
    const texts = result.values.map(({ bytes, offsets }) =>
      Array.from({ length: offsets.length - 1 }, (_, id) => {
        const value = bytes.subarray(offsets[id]!, offsets[id + 1]!);
        if (!isUtf8(value)) throw new BlockGaveUp(0);
        return decoder.decode(value);
      }),
    );
    const plan = this.plan;
    const groups = plan.groupings.map((columns, g): string[][] => {
      const { groups, tuples } = result.groupings[g]!;
      if (columns.length === 0) return groups > 0 ? [[]] : [];
      if (columns.length === 1) return texts[columns[0]!]!.map((text) => [text]);
      return Array.from({ length: groups }, (_, id) => columns.map((column, i) => texts[column]![tuples![id * columns.length + i]!]!));
    });
    const widthOf = (g: number) => 1 + 2 * plan.measures.filter((m) => m.grouping === g).length;
    const groupRows = plan.groupings.map((_, g) => {
      const width = widthOf(g);
      return Array.from({ length: result.groupings[g]!.groups }, (_, id) => result.groupings[g]!.sums[id * width]!);
    });
    const sums = plan.measures.map((measure) => {
      const g = measure.grouping;
      const width = widthOf(g);
      const at = 1 + 2 * plan.measures.filter((m) => m.grouping === g).indexOf(measure);
      const all = result.groupings[g]!.sums;
      const numerators: number[] = [];
      const denominators: number[] = [];
      for (let id = 0; id < result.groupings[g]!.groups; id++) {
        numerators.push(all[id * width + at]!);
        denominators.push(all[id * width + at + 1]!);
      }
      return checkedSums(measure.id, numerators, denominators, this.file);
    });
    return { rows: result.rows, groups, groupRows, sums, flags: Array.from(result.overOne, (seen) => seen === 0) };
  }
}
