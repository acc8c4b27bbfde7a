// The compiled readers (native/*.c) at their Node-API boundary: what they tell the reader through
// `out` when a call cannot be read, and that they give their memory back once their result is
// taken (V8 does not see it, so it is not left to their finalizers).

import { describe, expect, it } from 'vitest';
import { compiledPaths } from '../../src/csv/compiled.js';
import { BLOCK_DONE, BLOCK_GAVE_UP } from '../../src/csv/reader.js';

describe('the compiled readers', () => {
  it('give up, rather than leave the last call\'s status and rows in `out`, on a call they cannot read', () => {
    const native = compiledPaths();
    if (native === null) return;
    const counter = native.create(2, Int32Array.of(0, 1), Int32Array.of(0), Int32Array.of(1), Int32Array.of(0, 1), Int32Array.of(0), Int32Array.of(0, 0, 1))!;
    const profiler = native.profileCreate(2, Int32Array.of(0, 1), Int32Array.of(0, 0), 1000)!;
    const rows = Buffer.from('1,a\n0,b\n');
    for (const read of [native.read, native.profileRead]) {
      const handle = read === native.read ? counter : profiler;
      const out = new Float64Array(4);
      read(handle, rows, 0, rows.length, false, Infinity, out);
      expect(Array.from(out)).toEqual([BLOCK_DONE, rows.length, 2, 2]);
      // Bounds past the buffer (as a buffer past 2 GiB, which int32 cell bounds cannot hold, is refused).
      read(handle, rows, 0, rows.length + 1, false, Infinity, out);
      expect(out[0]).toBe(BLOCK_GAVE_UP);
      expect(out[2]).toBe(0);
    }
  });

  it('give their memory back once their result is taken: a second result is null, and reading gives up', () => {
    const native = compiledPaths();
    if (native === null) return;
    const rows = Buffer.from('1,a\n0,b\n');
    const out = new Float64Array(4);
    const counter = native.create(2, Int32Array.of(0, 1), Int32Array.of(0), Int32Array.of(1), Int32Array.of(0, 1), Int32Array.of(0), Int32Array.of(0, 0, 1))!;
    native.read(counter, rows, 0, rows.length, true, Infinity, out);
    expect(native.result(counter)?.rows).toBe(2);
    expect(native.result(counter)).toBeNull();
    native.read(counter, rows, 0, rows.length, true, Infinity, out);
    expect(out[0]).toBe(BLOCK_GAVE_UP);
    const profiler = native.profileCreate(2, Int32Array.of(0, 1), Int32Array.of(0, 0), 1000)!;
    native.profileRead(profiler, rows, 0, rows.length, true, Infinity, out);
    expect(native.profileResult(profiler)?.map((column) => column.present)).toEqual([2, 2]);
    expect(native.profileResult(profiler)).toBeNull();
    native.profileRead(profiler, rows, 0, rows.length, true, Infinity, out);
    expect(out[0]).toBe(BLOCK_GAVE_UP);
  });
});
