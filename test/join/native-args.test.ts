// The compiled join path's entry points (native/join.c) given arrays other than those
// native-joiner.ts passes: they refuse them (no joiner; a read that gives up) rather than read or
// write past their ends.

import { describe, expect, it } from 'vitest';
import { compiledPaths } from '../../src/csv/compiled.js';
import { BLOCK_DONE, BLOCK_GAVE_UP } from '../../src/csv/reader.js';

const native = compiledPaths();
// Keys 10, 11 (dense from 10) → tuples 0 and 1; the suffixes of tuple 0, tuple 1 and no match.
const values = () => Uint8Array.of(1, 2);
const suffixes = Buffer.from(',A,B,');
const create = (suffixAt: Uint8Array | Uint32Array) => native!.joinCreate(2, 0, false, 10, values(), null, suffixes, suffixAt as Uint32Array);
const ROWS = Buffer.from('10,x\n12,y\n');

describe.skipIf(native === null)("the compiled join's arguments", () => {
  it('joins rows given the arrays native-joiner.ts passes', () => {
    const joiner = create(Uint32Array.of(0, 2, 4, 5))!;
    const out = new Float64Array(6);
    const dest = Buffer.alloc(64);
    native!.joinRead(joiner, ROWS, 0, ROWS.length, true, Infinity, out, dest, 0);
    expect([...out]).toEqual([BLOCK_DONE, ROWS.length, 2, 2, 13, 1]);
    expect(dest.subarray(0, 13).toString()).toBe('10,x,A\n12,y,\n');
  });

  it('says how much room a block needs when the output has less, and writes nothing past its end', () => {
    const joiner = create(Uint32Array.of(0, 2, 4, 5))!;
    const out = new Float64Array(6);
    const dest = Buffer.alloc(20, 0x2e);
    native!.joinRead(joiner, ROWS, 0, ROWS.length, true, Infinity, out, dest.subarray(0, 8), 0);
    expect(out[0]).toBe(BLOCK_DONE);
    expect(out[4]).toBe(13);
    expect(dest.subarray(8).toString()).toBe('.'.repeat(12));
  });

  it('gives up, writing nothing past the end of a result array of fewer than 6 numbers', () => {
    const joiner = create(Uint32Array.of(0, 2, 4, 5))!;
    const memory = new Float64Array(8).fill(-7);
    const out = new Float64Array(memory.buffer, 0, 4);
    native!.joinRead(joiner, ROWS, 0, ROWS.length, true, Infinity, out, Buffer.alloc(64), 0);
    expect(out[0]).toBe(BLOCK_GAVE_UP);
    expect([...memory.subarray(4)]).toEqual([-7, -7, -7, -7]);
  });

  it('refuses suffix offsets that are not 32-bit, or that go back', () => {
    // Read as 32-bit numbers, three bytes would be three offsets, the last 8 bytes past them.
    expect(create(new Uint8Array(new ArrayBuffer(64), 0, 3).fill(0))).toBeUndefined();
    // 10 then 2: the suffix of tuple 1 would be 2 - 10 bytes long, wrapped round to 4 GiB.
    expect(create(Uint32Array.of(0, 10, 2, 5))).toBeUndefined();
  });
});
