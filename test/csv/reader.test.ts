import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { BLOCK_DONE, CsvReader, MAX_ROW_BYTES } from '../../src/csv/reader.js';
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

describe('a quote never closed in a large file', () => {
  /** Pushes a header, two rows, then a row whose quoted field never closes, in 1 MiB chunks, until the reader refuses. */
  function feedOpenQuote(handlers: ConstructorParameters<typeof CsvReader>[1]): { error: unknown; pushed: number } {
    const reader = new CsvReader('big.csv', handlers, 1 << 20);
    // Whole runs of `x,""y` and a line end: doubled quotes, never a closing one, whatever the chunk.
    const chunk = Buffer.alloc(6 * Math.floor((1 << 20) / 6), 'x,""y\n');
    let pushed = 0;
    try {
      reader.push(Buffer.from('a,b\n1,2\n3,"4\n5"\n6,"never closed\n'));
      while (pushed < 2 * (MAX_ROW_BYTES >> 20)) {
        reader.push(chunk);
        pushed++;
      }
      reader.end();
    } catch (error) {
      return { error, pushed };
    } finally {
      reader.release();
    }
    return { error: null, pushed };
  }

  it('is refused once its row runs past MAX_ROW_BYTES, on the line where the row starts, without holding the whole file', () => {
    const rows: string[][] = [];
    const { error, pushed } = feedOpenQuote({ header() {}, row: (row) => void rows.push([row.text(0), row.text(1)]) });
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(
      'big.csv, line 5: a row that starts on this line runs on for more than 64 MiB without ending: is a quote that opens a field on it never closed? (a quote inside a quoted field must be doubled: "")',
    );
    // Refused by the chunk that takes the row past the limit (64 accepted, the 65th refused), not at the end of the file.
    expect(pushed).toBe(MAX_ROW_BYTES >> 20);
    expect(rows).toEqual([
      ['1', '2'],
      ['3', '4\n5'],
    ]);
  });

  it('is refused alike where a block reader reads the rows', () => {
    let blocks = 0;
    const { error } = feedOpenQuote({
      header: (_names, _row, _bom, control) =>
        control.readBlocks({
          read(_buf, from, _to, _final, _limit, out) {
            // Stands for a block reader that finds no complete row: the row is still open.
            blocks++;
            out.set([BLOCK_DONE, from, 0, 0]);
          },
        }),
      row() {},
    });
    expect(blocks).toBeGreaterThan(MAX_ROW_BYTES >> 20);
    expect((error as UserError).message).toMatch(/^big\.csv, line 2: a row that starts on this line runs on for more than 64 MiB/);
  });
});
