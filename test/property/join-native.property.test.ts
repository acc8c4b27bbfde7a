// Property: join-ethnicity's compiled path, fed any chunking of a cohort file with integer keys
// (quoted or not, unmatched, empty), quoted fields holding commas, quotes and line breaks, CRLF
// or LF, blank lines and a last row with or without a line end, writes exactly the input's bytes
// with each row's suffix before its line end, where the JavaScript reader puts the row's end, over
// a dense and a sparse (hashed) index.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BlockGaveUp, CsvReader } from '../../src/csv/reader.js';
import { ByteBuffer } from '../../src/csv/byte-buffer.js';
import { compiledPaths } from '../../src/csv/compiled.js';
import { KeyIndexWriter, readKey, type KeyIndexData } from '../../src/join/key-index.js';
import { NativeJoiner } from '../../src/join/native-joiner.js';
import { chunksOf } from '../csv/corpus.js';

const SUFFIXES = [Buffer.from(',A'), Buffer.from(',"b,""c"""'), Buffer.from(',')];

function indexOf(keys: readonly number[]): KeyIndexData {
  const writer = new KeyIndexWriter({ integerKeys: keys.length, minInteger: Math.min(...keys), maxInteger: Math.max(...keys), valueCount: 2 });
  keys.forEach((key, i) => writer.addInteger(key, i % 2));
  return writer.build().shareable;
}

/** What the JavaScript reader says: the input from the first data row on, each row's suffix inserted at its end. */
function expected(csv: Buffer, lookup: (key: number) => number): Buffer {
  const parts: Buffer[] = [];
  let copied = -1;
  const reader = new CsvReader('c.csv', {
    header(_names, row) {
      copied = row.next;
    },
    row(row) {
      const key = readKey(row, 0);
      const tuple = typeof key === 'number' ? lookup(key) : -1;
      parts.push(csv.subarray(copied, row.end), SUFFIXES[tuple >= 0 ? tuple : 2]!);
      copied = row.end;
    },
  });
  reader.push(csv);
  reader.end();
  reader.release();
  parts.push(csv.subarray(copied));
  return Buffer.concat(parts);
}

function joined(chunks: Buffer[], index: KeyIndexData): Buffer | 'gave up' {
  const out = new ByteBuffer(16);
  let joiner: NativeJoiner | null = null;
  const reader = new CsvReader(
    'c.csv',
    {
      header(names, _row, _bom, control) {
        control.readOnly([0]);
        joiner = NativeJoiner.create(names.length, 0, index, SUFFIXES, () => out);
        if (joiner === null) throw new Error('the compiled join path did not take the file');
        control.readBlocks(joiner);
      },
      row() {
        throw new Error('a row came to the JavaScript handler');
      },
    },
    16,
  );
  try {
    for (const chunk of chunks) reader.push(chunk);
    reader.end();
  } catch (error) {
    if (error instanceof BlockGaveUp) return 'gave up';
    throw error;
  } finally {
    reader.release();
  }
  return Buffer.from(out.bytes());
}

const cell = fc.constantFrom('x', '', '"a,b"', '"say ""hi"""', '"two\nlines"', '"cr\r\nlf"', ' ', 'é');

describe.skipIf(compiledPaths() === null)("join-ethnicity's compiled path (property)", () => {
  for (const sparse of [false, true]) {
    it(`joins any chunking as the JavaScript reader reads it, over a ${sparse ? 'sparse' : 'dense'} index`, () => {
      const keys = Array.from({ length: 40 }, (_, i) => (sparse ? i * 1_000_003 : 100 + i));
      const index = indexOf(keys);
      const lookup = (key: number) => {
        const at = keys.indexOf(key);
        return at < 0 ? -1 : at % 2;
      };
      const key = fc.oneof(
        fc.constantFrom(...keys).map(String),
        fc.constantFrom(...keys).map((k) => `"${k}"`),
        fc.constantFrom('', '""', '5', '99999999999', '0'),
      );
      fc.assert(
        fc.property(
          fc.array(fc.tuple(key, cell, cell), { maxLength: 25 }),
          fc.constantFrom('\n', '\r\n'),
          fc.boolean(),
          fc.boolean(),
          fc.integer({ min: 1, max: 40 }),
          (rows, eol, blankLines, lastEol, chunkSize) => {
            let csv = ['patient_id,note,other', ...rows.map((row) => row.join(','))].join(eol);
            if (blankLines) csv = csv.replace(eol, eol + eol);
            if (lastEol) csv += eol;
            const bytes = Buffer.from(csv);
            const want = expected(bytes, lookup);
            const got = joined(chunksOf(bytes, chunkSize), index);
            // Every key here is an integer (or empty) and every row plain: the compiled path joins them all itself.
            expect(got === 'gave up' ? got : got.toString('latin1')).toBe(want.toString('latin1'));
          },
        ),
        { numRuns: 2000 },
      );
    });
  }

  it('finds every key of a hashed index as key-index.ts placed it, up to 15 digits (past 2^32 and 2^48)', () => {
    // The compiled path's slotOf must be key-index.ts's to the bit: else a key is looked for where it is not, and not matched.
    const big = fc.tuple(fc.integer({ min: 0, max: 999_999 }), fc.integer({ min: 0, max: 999_999_999 })).map(([high, low]) => high * 1e9 + low);
    const special = fc.constantFrom(0, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 48, 2 ** 49 + 3, 999_999_999_999_999, 99_999_999_999_999);
    const keyOf = fc.oneof(big, special);
    fc.assert(
      fc.property(fc.uniqueArray(keyOf, { minLength: 1, maxLength: 300 }), fc.array(fc.tuple(fc.nat(), fc.constantFrom(-1, 0, 1)), { maxLength: 60 }), big, (keys, picks, stranger) => {
        fc.pre(Math.max(...keys) - Math.min(...keys) + 1 > 2 * keys.length + 4096);
        const index = indexOf(keys);
        expect(index.kind).toBe('hash');
        const at = new Map(keys.map((key, i) => [key, i % 2]));
        const rowKeys = picks.map(([i, delta]) => Math.min(999_999_999_999_999, Math.max(0, keys[i % keys.length]! + delta)));
        const csv = Buffer.from(['patient_id,x', ...rowKeys.map((k) => `${k},y`), `${stranger},z`].join('\n') + '\n');
        const got = joined([csv], index);
        expect(got === 'gave up' ? got : got.toString()).toBe(expected(csv, (key) => at.get(key) ?? -1).toString());
      }),
      { numRuns: 300 },
    );
  });
});
