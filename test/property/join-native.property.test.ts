// Property: join-ethnicity's compiled path, fed any chunking of a cohort file with integer keys
// (quoted or not, unmatched, empty), quoted fields holding commas, quotes and line breaks, CRLF
// or LF, blank lines and a last row with or without a line end, writes exactly the input's bytes
// with each row's suffix before its line end, where the JavaScript reader puts the row's end, over
// a dense and a sparse (hashed) index. Hostile rows (ragged, malformed quotes, NUL, bytes that are
// not UTF-8, long cells, keys that are not canonical integers) are joined alike or given up; a
// hashed index of keys up to 15 digits is searched where key-index.ts filled it.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BlockGaveUp, CsvReader } from '../../src/csv/reader.js';
import { ByteBuffer } from '../../src/csv/byte-buffer.js';
import { compiledPaths } from '../../src/csv/compiled.js';
import { KeyIndexWriter, type KeyIndexData } from '../../src/join/key-index.js';
import { NativeJoiner } from '../../src/join/native-joiner.js';
import { chunksOf } from '../csv/corpus.js';
import { joinedByReader } from '../join/joined-by-reader.js';

const SUFFIXES = [Buffer.from(',A'), Buffer.from(',"b,""c"""'), Buffer.from(',')];

function indexOf(keys: readonly number[]): KeyIndexData {
  const writer = new KeyIndexWriter({ integerKeys: keys.length, minInteger: Math.min(...keys), maxInteger: Math.max(...keys), valueCount: 2 });
  keys.forEach((key, i) => writer.addInteger(key, i % 2));
  return writer.build().shareable;
}

/** What the JavaScript reader says (see joinedByReader). */
function expected(csv: Buffer, lookup: (key: number) => number, keyColumn = 0, textKeys?: { seen: boolean }): Buffer {
  return joinedByReader(csv, SUFFIXES, lookup, keyColumn, textKeys);
}

function joined(chunks: Buffer[], index: KeyIndexData, keyColumn = 0): Buffer | 'gave up' {
  const out = new ByteBuffer(16);
  let joiner: NativeJoiner | null = null;
  const reader = new CsvReader(
    'c.csv',
    {
      header(names, _row, _bom, control) {
        control.readOnly([keyColumn]);
        joiner = NativeJoiner.create(names.length, keyColumn, index, SUFFIXES, () => out);
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

  it('joins hostile rows as the JavaScript reader reads them, or gives up: always where that reader finds an error or a key that is not an integer', () => {
    const keys = Array.from({ length: 30 }, (_, i) => 7 + i);
    const index = indexOf(keys);
    const lookup = (key: number) => (key >= 7 && key < 37 ? (key - 7) % 2 : -1);
    const key = fc.oneof(
      { weight: 40, arbitrary: fc.constantFrom(...keys).map(String) },
      { weight: 10, arbitrary: fc.constantFrom(...keys).map((k) => `"${k}"`) },
      { weight: 10, arbitrary: fc.constantFrom('', '""', '6', '37', '0', '999999999999999') },
      fc.constantFrom('00', '007', '-1', '-0', '+5', '1e3', '5.0', ' 5', '5 ', '"5 "', '"5"""', '"5\n"', '5\r', '\x005', '1000000000000000', '9007199254740993', '18446744073709551616', '99999999999999999999'),
    );
    const hostileCell = fc.oneof(
      { weight: 30, arbitrary: cell },
      { weight: 10, arbitrary: fc.constantFrom('a"b', '\x00', '\xff\xfe', '\r', 'x\r', '"\r"', '"a"""', '""""') },
      { weight: 10, arbitrary: fc.tuple(fc.integer({ min: 40, max: 200 }), fc.boolean()).map(([n, q]) => (q ? `"${'w,'.repeat(n)}"` : 'w'.repeat(n))) },
      { weight: 1, arbitrary: fc.constantFrom('"unclosed', '"a"b', '"a" ', '"a"\r') },
    );
    // A key and 2 other cells, or now and then 1 or 3 (a ragged row).
    const cells = fc.oneof({ weight: 30, arbitrary: fc.array(hostileCell, { minLength: 2, maxLength: 2 }) }, fc.array(hostileCell, { minLength: 1, maxLength: 1 }), fc.array(hostileCell, { minLength: 3, maxLength: 3 }));
    const row = fc.tuple(key, cells);
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 20 }),
        fc.constantFrom(0, 2),
        fc.constantFrom('\n', '\r\n', 'mixed'),
        fc.constantFrom('', '\n', '\r\n', '\r', '\n\n'),
        fc.integer({ min: 1, max: 70 }),
        (rows, keyAt, eol, last, chunkSize) => {
          const header = keyAt === 0 ? 'patient_id,note,other' : 'note,other,patient_id';
          const lines = [header, ...rows.map(([k, cells]) => (keyAt === 0 ? [k, ...cells] : [...cells, k]).join(','))];
          const text = lines.map((line, i) => line + (eol === 'mixed' ? (i % 2 === 0 ? '\n' : '\r\n') : eol)).join('');
          // Bytes as written ('\xff' one byte: not UTF-8).
          const bytes = Buffer.from(text.replace(/\r?\n$/, '') + last, 'latin1');
          const textKeys = { seen: false };
          let want: Buffer | 'an error';
          try {
            want = expected(bytes, lookup, keyAt, textKeys);
          } catch {
            want = 'an error';
          }
          const got = joined(chunksOf(bytes, chunkSize), index, keyAt);
          if (want === 'an error' || textKeys.seen) expect(got).toBe('gave up');
          else expect(got === 'gave up' ? got : got.toString('latin1')).toBe(want.toString('latin1'));
        },
      ),
      { numRuns: 3000 },
    );
  });

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
