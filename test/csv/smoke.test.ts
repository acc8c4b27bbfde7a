import { describe, expect, it } from 'vitest';
import { CsvReader } from '../../src/csv/reader.js';

describe('CsvReader', () => {
  it('reads a header and rows', () => {
    const rows: string[][] = [];
    const reader = new CsvReader('x.csv', {
      header: (names) => rows.push(names),
      row: (row) => rows.push(Array.from({ length: row.fieldCount }, (_, i) => row.text(i))),
    });
    reader.push(Buffer.from('a,b\n1,"x,y"\n'));
    reader.end();
    expect(rows).toEqual([['a', 'b'], ['1', 'x,y']]);
  });
});
