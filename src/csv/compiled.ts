// The compiled paths (native/*.c, built by node-gyp when the package is installed; optional):
// readers of whole blocks of plain rows, in C, for the measures' counts and describe's column
// profiles. They report no errors: at a row that is not plain they give up (BLOCK_GAVE_UP) and the
// caller reads the file again with the JavaScript reader, whose messages name the file, line and
// column. This module only loads them; ANALYSE_NATIVE=0 turns them off.

import { createRequire } from 'node:module';
import { BlockGaveUp } from './reader.js';

export interface CountValues {
  bytes: Uint8Array;
  offsets: Uint32Array;
}

export interface CompiledCounts {
  rows: number;
  overOne: Uint8Array;
  values: CountValues[];
  groupings: Array<{ groups: number; tuples: Int32Array | null; sums: Float64Array }>;
}

/** A column's distinct values (ids in order of first appearance), and its present and missing cells. */
export interface ProfileValues extends CountValues {
  counts: Float64Array;
  present: number;
  missing: number;
  /** 0: values counted; 1: presence only; 2: past the limit, its cells handed over. */
  mode: number;
}

export interface CompiledPaths {
  create(columns: number, wanted: Int32Array, countAt: Int32Array, groupAt: Int32Array, groupingStart: Int32Array, groupingColumns: Int32Array, measures: Int32Array): object | undefined;
  read(counter: object, buf: Buffer, from: number, to: number, final: boolean, limit: number, out: Float64Array): void;
  result(counter: object): CompiledCounts | null | undefined;
  profileCreate(columns: number, wanted: Int32Array, modes: Int32Array, limit: number): object | undefined;
  profileRead(profiler: object, buf: Buffer, from: number, to: number, final: boolean, limit: number, out: Float64Array): void;
  profileTake(profiler: object): Array<{ values: ProfileValues | null; cells: Int32Array } | null>;
  profilePresenceOnly(profiler: object, field: number): void;
  profileResult(profiler: object): ProfileValues[] | null;
  joinCreate(columns: number, keyField: number, hashed: boolean, base: number, values: Uint8Array | Uint16Array | Int32Array, keys: Float64Array | null, suffixes: Uint8Array, suffixAt: Uint32Array): object | undefined;
  joinRead(joiner: object, buf: Buffer, from: number, to: number, final: boolean, limit: number, out: Float64Array, dest: Buffer, destLength: number): void;
}

let loaded: CompiledPaths | null | undefined;

/** The compiled paths, or null when they were not built (or ANALYSE_NATIVE=0). */
export function compiledPaths(): CompiledPaths | null {
  if (loaded === undefined) {
    loaded = null;
    if (process.env.ANALYSE_NATIVE !== '0') {
      try {
        loaded = createRequire(import.meta.url)('../../build/Release/analyse.node') as CompiledPaths;
      } catch {
        loaded = null;
      }
    }
  }
  return loaded;
}

/**
 * Runs `read` on the compiled path (native: true), and again on the JavaScript one where the
 * compiled path gives up on a row. `read` reports the rows it has read so far; `progress` gets
 * each row once, however many times the file is read.
 */
export async function readWithFallback<T>(progress: (rows: number) => void, read: (native: boolean, rowsSoFar: (rows: number) => void) => Promise<T>): Promise<T> {
  let reported = 0;
  const rowsSoFar = (rows: number) => {
    if (rows > reported) progress(rows - reported);
    reported = Math.max(reported, rows);
  };
  try {
    return await read(true, rowsSoFar);
  } catch (error) {
    if (!(error instanceof BlockGaveUp)) throw error;
    return await read(false, rowsSoFar);
  }
}
