// Property: describe's compiled profile path profiles any table as the JavaScript path does (the
// same present and missing cells, values in the same order with the same rows, the same running
// statistics past the value limit), or the file fails with the same located message, for any
// chunking; and so for arbitrary bytes after a valid header.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BlockGaveUp, CsvReader } from '../../src/csv/reader.js';
import { formatCsv } from '../../src/csv/format.js';
import { createFileProfiler, type FileProfile } from '../../src/describe/profile-file.js';
import type { ConfiguredType } from '../../src/describe/column-types.js';
import { chunksOf } from '../csv/corpus.js';

type Outcome = { profile: FileProfile } | { error: string };

function profiled(chunks: Buffer[], types: Record<string, ConfiguredType>, native: boolean): Outcome {
  const read = (compiled: boolean): FileProfile => {
    const profiler = createFileProfiler({ path: 'p.csv', types: new Map(Object.entries(types)), excluded: ['patient_id'] }, compiled);
    const reader = new CsvReader('p.csv', profiler.handlers, 16);
    try {
      for (const chunk of chunks) reader.push(chunk);
      return profiler.finish(reader.end().rows);
    } finally {
      reader.release();
    }
  };
  try {
    if (native) {
      try {
        return { profile: read(true) };
      } catch (error) {
        if (!(error instanceof BlockGaveUp)) throw error;
      }
    }
    return { profile: read(false) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const text = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', ',', '"', '\n', '\r\n', 'é', '1', '0', '.', '-', '2020-01', ''), maxLength: 8 });
const TYPES: Array<Record<string, ConfiguredType>> = [{}, { b: 'text' }, { c: 'numeric' }, { a: 'categorical', c: 'date' }];

describe('the compiled profile path (property)', () => {
  it('profiles any table as the JavaScript path does, or fails alike, for any chunking', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(text, text, text), { maxLength: 30 }),
        fc.constantFrom(...TYPES),
        fc.integer({ min: 1, max: 40 }),
        fc.boolean(),
        (rows, types, chunkSize, crlf) => {
          let csv = formatCsv(['patient_id', 'a', 'b', 'c'], rows.map((row, i) => [String(i), ...row]));
          if (crlf) csv = csv.replace(/\n/g, '\r\n');
          const expected = profiled([Buffer.from(csv)], types, false);
          expect(profiled([Buffer.from(csv)], types, true)).toEqual(expected);
          expect(profiled(chunksOf(csv, chunkSize), types, true)).toEqual(expected);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('agrees on arbitrary bytes after a valid header', () => {
    const junk = fc.array(fc.constantFrom('1', '0', 'a', ',', '"', '\n', '\r\n', '\r', '', '\xff', 'é'), { maxLength: 40 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(junk, fc.integer({ min: 1, max: 9 }), fc.boolean(), (body, chunkSize, latin1) => {
        const bytes = Buffer.from(`patient_id,a,b\n${body}`, latin1 ? 'latin1' : 'utf8');
        const expected = profiled([bytes], {}, false);
        expect(profiled([bytes], {}, true)).toEqual(expected);
        expect(profiled(chunksOf(bytes, chunkSize), {}, true)).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('hands a column past the value limit over in the same order, whatever the chunking', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 50, max: 5000 }), (seed, chunkSize) => {
        let a = seed;
        const next = () => ((a = (Math.imul(a, 1103515245) + 12345) >>> 0) / 2 ** 32);
        const lines = ['patient_id,score,code,when'];
        for (let i = 0; i < 2500; i++) lines.push(`${i},${(next() * 100).toFixed(next() < 0.5 ? 1 : 3)},${next() < 0.5 ? `"C${Math.floor(next() * 3000)}"` : `C${Math.floor(next() * 3000)}`},2020-${String(1 + Math.floor(next() * 12)).padStart(2, '0')}`);
        const csv = lines.join('\n') + '\n';
        const expected = profiled([Buffer.from(csv)], {}, false);
        expect(profiled(chunksOf(csv, chunkSize), {}, true)).toEqual(expected);
      }),
      { numRuns: 30 },
    );
  });
});
