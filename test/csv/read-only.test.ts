// The reader's column-selective mode (readOnly) over the edge-case corpus, whole and in 1-7 byte
// chunks: reading one column must give exactly the cells a full read gives, reading none must
// still count every row, and a malformed file must fail on the same line with the same message.

import { describe, expect, it } from 'vitest';
import { CsvReader } from '../../src/csv/reader.js';
import { UserError } from '../../src/errors.js';
import { CHUNKINGS, invalidCases, validCases } from './corpus.js';

/** The cells of `fields` per row (header excluded), reading only those fields. */
function readFields(chunks: Buffer[], fields: number[]): string[][] {
  const rows: string[][] = [];
  const reader = new CsvReader('corpus.csv', {
    header: (_names, _row, _bom, control) => control.readOnly(fields),
    row: (row) => rows.push(fields.map((f) => row.text(f))),
  });
  for (const chunk of chunks) reader.push(chunk);
  reader.end();
  return rows;
}

function errorOf(read: () => unknown): UserError {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('expected an error');
}

describe('CsvReader reading only some columns, over the edge-case corpus', () => {
  for (const { label, split } of CHUNKINGS) {
    describe(label, () => {
      for (const testCase of validCases) {
        it(`reads ${testCase.name}, one column at a time and none at all`, () => {
          const [header, ...rows] = testCase.rows;
          header!.forEach((_, column) => {
            expect(readFields(split(testCase.csv), [column])).toEqual(rows.map((row) => [row[column]]));
          });
          expect(readFields(split(testCase.csv), [])).toEqual(rows.map(() => []));
          const last = header!.length - 1;
          expect(readFields(split(testCase.csv), [last, 0])).toEqual(rows.map((row) => [row[last], row[0]]));
        });
      }
      for (const testCase of invalidCases) {
        // A cell that is not UTF-8 is an error only where it is read as text: read every column.
        const fields = /UTF-8/.test(testCase.message.source) ? [0, 1] : [];
        it(`rejects ${testCase.name} on line ${testCase.line}, reading ${fields.length === 0 ? 'no column' : 'every column'}`, () => {
          const error = errorOf(() => readFields(split(testCase.csv), fields));
          expect(error.location).toMatchObject({ file: 'corpus.csv', line: testCase.line });
          expect(error.message).toMatch(testCase.message);
        });
      }
    });
  }
});

describe('CsvReader control', () => {
  it('stop() ends the reading after the row, and the rest of the input is not read', () => {
    const seen: string[] = [];
    const reader = new CsvReader('x.csv', {
      header() {},
      row(row, control) {
        seen.push(row.text(0));
        if (row.text(0) === '2') control.stop();
      },
    });
    expect(reader.push(Buffer.from('a\n1\n2\n3\n'))).toBe(false);
    expect(reader.push(Buffer.from('4\n"unclosed'))).toBe(false);
    expect(reader.end()).toEqual({ rows: 2, bom: false, stopped: true });
    expect(seen).toEqual(['1', '2']);
  });

  it('stop() in the header handler reads no row', () => {
    const reader = new CsvReader('x.csv', { header: (_n, _r, _b, control) => control.stop(), row: () => expect.fail('no row') });
    reader.push(Buffer.from('a,b\n1,2\n'));
    expect(reader.end().stopped).toBe(true);
  });

  it('gives each row, and each field read, the physical line it starts on, whichever fields it reads', () => {
    for (const fields of [[0], [1], [0, 1], []]) {
      const lines: number[] = [];
      const reader = new CsvReader('x.csv', {
        header: (_names, _row, _bom, control) => control.readOnly(fields),
        row: (row) => lines.push(row.line, ...fields.map((f) => row.lineOfField(f))),
      });
      reader.push(Buffer.from('a,b\n1,"two\nlines"\n3,4\r\n"x\r\n\r\ny",5\n\n6,7'));
      reader.end();
      const expected = [2, 4, 5, 9];
      const fieldLines: Record<string, number[]> = { '0': [2, 4, 5, 9], '1': [2, 4, 7, 9] };
      expect(lines).toEqual(expected.flatMap((line, r) => [line, ...fields.map((f) => fieldLines[String(f)]![r]!)]));
    }
  });

  it('readOnly still finds ragged rows in the columns it passes over', () => {
    const error = errorOf(() => readFields([Buffer.from('a,b,c\n1,2,3\n4,5,6,7\n')], [0]));
    expect(error.message).toBe('corpus.csv, line 3: expected 3 fields, as in the header, but found 4 (a ragged row)');
  });
});
