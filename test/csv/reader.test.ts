import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { CsvReader } from '../../src/csv/reader.js';
import { UserError } from '../../src/errors.js';
import { CHUNKINGS, invalidCases, validCases } from './corpus.js';

function readAll(chunks: Buffer[]): { rows: string[][]; bom: boolean } {
  const rows: string[][] = [];
  const reader = new CsvReader('corpus.csv', {
    header: (names) => rows.push(names),
    row: (row) => rows.push(Array.from({ length: row.fieldCount }, (_, i) => row.text(i))),
  });
  for (const chunk of chunks) reader.push(chunk);
  const { bom } = reader.end();
  return { rows, bom };
}

describe('CsvReader over the edge-case corpus', () => {
  for (const { label, split } of CHUNKINGS) {
    describe(label, () => {
      for (const testCase of validCases) {
        it(`reads ${testCase.name}`, () => {
          expect(readAll(split(testCase.csv)).rows).toEqual(testCase.rows);
        });
      }
      for (const testCase of invalidCases) {
        it(`rejects ${testCase.name} naming the file and line ${testCase.line}`, () => {
          let error: unknown;
          try {
            readAll(split(testCase.csv));
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(UserError);
          const userError = error as UserError;
          expect(userError.location).toMatchObject({ file: 'corpus.csv', line: testCase.line });
          expect(userError.message).toMatch(testCase.message);
          expect(userError.message).toContain(`corpus.csv, line ${testCase.line}: `);
        });
      }
    });
  }
});

describe('CsvReader agrees with papaparse', () => {
  for (const testCase of validCases.filter((c) => c.papaparseAgrees !== false)) {
    it(`on ${testCase.name}`, () => {
      const text = typeof testCase.csv === 'string' ? testCase.csv : testCase.csv.toString('utf8');
      const parsed = Papa.parse<string[]>(text.replace(/^\ufeff/, ''), { skipEmptyLines: false });
      const expected = parsed.data.filter((row, i) => !(i === parsed.data.length - 1 && row.length === 1 && row[0] === ''));
      expect(readAll([Buffer.from(text)]).rows).toEqual(expected);
    });
  }
});

describe('CsvReader', () => {
  it('reports whether the file began with a byte-order mark', () => {
    expect(readAll([Buffer.from('\ufeffa\n1\n')]).bom).toBe(true);
    expect(readAll([Buffer.from('a\n1\n')]).bom).toBe(false);
  });

  it('gives each row the physical line it starts on', () => {
    const lines: number[] = [];
    const reader = new CsvReader('x.csv', { header: () => {}, row: (row) => lines.push(row.line) });
    reader.push(Buffer.from('a,b\n1,"two\nlines"\n3,4\r\n"x\r\n\r\ny",5\n6,7'));
    reader.end();
    expect(lines).toEqual([2, 4, 5, 8]);
  });

  it('tells the line of a field inside a multi-line row', () => {
    const fieldLines: number[] = [];
    const reader = new CsvReader('x.csv', { header: () => {}, row: (row) => fieldLines.push(row.lineOfField(0), row.lineOfField(1)) });
    reader.push(Buffer.from('a,b\n"x\ny",z\n'));
    reader.end();
    expect(fieldLines).toEqual([2, 3]);
  });

  it('passes blank lines of a several-column file to the blank handler', () => {
    const blanks: number[] = [];
    const reader = new CsvReader('x.csv', { header: () => {}, row: () => {}, blank: (row) => blanks.push(row.line) });
    reader.push(Buffer.from('a,b\n1,2\n\n3,4\n\n'));
    expect(reader.end().rows).toBe(2);
    expect(blanks).toEqual([3, 5]);
  });
});
