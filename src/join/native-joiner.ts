// join-ethnicity's compiled path (native/join.c; see csv/compiled.ts): the reader hands it whole
// blocks of rows (CsvReader.readBlocks) and it copies them to the output with each row's joined
// cells appended, as joinFile does row by row, for a file that has none of the joined columns
// yet and whose keys are canonical integers. At anything else (a text key, a row that is not
// plain) it gives up, and the file is joined again by the JavaScript path.

import { compiledPaths, type CompiledPaths } from '../csv/compiled.js';
import { BLOCK_GAVE_UP, type BlockReader } from '../csv/reader.js';
import type { ByteBuffer } from '../csv/byte-buffer.js';
import type { KeyIndexData } from './key-index.js';

export class NativeJoiner implements BlockReader {
  /** Rows whose key matched. */
  matched = 0;
  private readonly result = new Float64Array(6);

  private constructor(
    private readonly native: CompiledPaths,
    private readonly handle: object,
    /** The output buffer the rows go to, as it is when a block is read. */
    private readonly output: () => ByteBuffer,
  ) {}

  /**
   * A joiner of rows of `columns` fields keyed by field `keyField`, appending `suffixes[tuple]`
   * (the last for no match), or null where the compiled path is not built or does not take this
   * index (keys that are not integers).
   */
  static create(columns: number, keyField: number, index: KeyIndexData, suffixes: readonly Uint8Array[], output: () => ByteBuffer): NativeJoiner | null {
    const native = compiledPaths();
    // A file of one column: a blank line is a row, the JavaScript path's case; text keys are looked up in a Map.
    if (native === null || columns < 2 || index.textKeys.size > 0) return null;
    const at = new Uint32Array(suffixes.length + 1);
    suffixes.forEach((suffix, i) => (at[i + 1] = at[i]! + suffix.length));
    const handle = native.joinCreate(columns, keyField, index.kind === 'hash', index.kind === 'dense' ? index.base : 0, index.values, index.kind === 'hash' ? index.keys : null, Buffer.concat(suffixes), at);
    return handle === undefined || handle === null ? null : new NativeJoiner(native, handle, output);
  }

  read(buf: Buffer, from: number, to: number, final: boolean, limit: number, out: Float64Array): void {
    const output = this.output();
    const result = this.result;
    // Into the room the output has; where the block needs more (short rows, long joined cells), the
    // compiled path says how much, and the block is joined again into that. Room for the worst case
    // (the longest suffix on every row) would be gigabytes for a long row or a long joined cell.
    let dest = output.reserve(0);
    this.native.joinRead(this.handle, buf, from, to, final, limit, result, dest, output.length);
    if (result[0] !== BLOCK_GAVE_UP && result[4]! > dest.length) {
      dest = output.reserve(result[4]! - output.length);
      this.native.joinRead(this.handle, buf, from, to, final, limit, result, dest, output.length);
      if (result[4]! > dest.length) result[0] = BLOCK_GAVE_UP;
    }
    out.set(result.subarray(0, 4));
    if (result[0] === BLOCK_GAVE_UP) return;
    output.length = result[4]!;
    this.matched += result[5]!;
  }
}
