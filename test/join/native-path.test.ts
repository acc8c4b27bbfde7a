// join-ethnicity's compiled path against the JavaScript one, through the CLI: the same cohort
// files (quoted keys and values, CRLF, a byte-order mark, blank lines, a last row without a line
// end, unmatched and empty keys, a sparse index, gzip) give byte-for-byte the same joined files;
// a key that is not a canonical integer ("007") hands the file to the JavaScript path, which
// gives the same bytes too; so does a joined cell far longer than a row.

import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { BIN, ROOT, snapshot, tempDir } from '../helpers.js';

function cohort(seed: number, rows: number, eol: string, key: (i: number) => string): string {
  let a = seed;
  const next = () => ((a = (Math.imul(a, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const lines = ['patient_id,age,"note, with comma"'];
  for (let i = 0; i < rows; i++) {
    lines.push(`${key(i)},${Math.floor(next() * 100)},${['x', '"a ""quoted"" one"', '"two\nlines"', ''][Math.floor(next() * 4)]}`);
    if (i % 701 === 3) lines.push('');
  }
  return lines.join(eol);
}

function joinBoth(files: Record<string, string | Buffer>, ethnicity: string) {
  const dir = tempDir({ ...files, 'eth.csv': ethnicity });
  const run = (native: boolean, out: string) =>
    spawnSync(process.execPath, [BIN, 'join-ethnicity', '--cohort', join(dir, 'input_*'), '--ethnicity', join(dir, 'eth.csv'), '--output-dir', join(dir, out)], {
      env: { ...process.env, ANALYSE_NATIVE: native ? '1' : '0' },
      encoding: 'utf8',
      cwd: ROOT,
    });
  const js = run(false, 'js');
  const native = run(true, 'native');
  return { js, native, jsFiles: snapshot(join(dir, 'js')), nativeFiles: snapshot(join(dir, 'native')) };
}

const DENSE = ['patient_id,ethnicity', ...Array.from({ length: 3000 }, (_, i) => `${i},${i % 7 === 0 ? '' : ['1', '"2,x"', '"say ""3"""'][i % 3]}`)].join('\n') + '\n';
const SPARSE = ['patient_id,ethnicity', ...Array.from({ length: 3000 }, (_, i) => `${i * 1_000_003},${['4', '5'][i % 2]}`)].join('\r\n') + '\r\n';

describe("join-ethnicity's compiled path", () => {
  it('writes byte-for-byte what the JavaScript path writes, over a dense index', () => {
    const { js, native, jsFiles, nativeFiles } = joinBoth(
      {
        'input_2021-01-01.csv': cohort(1, 4000, '\n', (i) => String(i)) + '\n',
        'input_2021-02-01.csv': cohort(2, 4000, '\r\n', (i) => (i % 5 === 0 ? `"${i}"` : i % 11 === 0 ? '' : String(i + 2000))),
        'input_2021-03-01.csv': '\ufeff' + cohort(3, 4000, '\n', (i) => String(i * 3)) + '\n\n',
        'input_2021-04-01.csv.gz': gzipSync(cohort(4, 4000, '\r\n', (i) => String(i)) + '\r\n'),
      },
      DENSE,
    );
    expect(js.status).toBe(0);
    expect(native.status).toBe(0);
    expect(Object.keys(nativeFiles)).toHaveLength(4);
    expect(nativeFiles).toEqual(jsFiles);
    // The same summary: rows and matches counted alike.
    const summary = (text: string) => text.replace(/ in [\d.]+ m?s/g, '').replaceAll('/native/', '/js/').replaceAll('/native', '/js');
    expect(summary(native.stdout)).toEqual(summary(js.stdout));
  });

  it('writes the same over a sparse index (the hash table), and where a key is not a canonical integer', () => {
    const { js, native, jsFiles, nativeFiles } = joinBoth(
      {
        'input_2021-01-01.csv': cohort(5, 3000, '\r\n', (i) => String(i * 1_000_003)),
        'input_2021-02-01.csv': cohort(6, 3000, '\n', (i) => (i === 2500 ? '007' : String((i % 4000) * 1_000_003))) + '\n',
      },
      SPARSE,
    );
    expect(js.status).toBe(0);
    expect(native.status).toBe(0);
    expect(nativeFiles).toEqual(jsFiles);
  });

  it('writes the same where a joined cell is long (9,000 bytes): it needs room only for the rows it is on', () => {
    // Room for the longest suffix on every row of a 1 MiB block would be 4.7 GB, past what a Buffer can hold.
    const rows = Array.from({ length: 150_000 }, (_, i) => `${i},${i % 90}`);
    const { js, native, jsFiles, nativeFiles } = joinBoth(
      { 'input_2021-01-01.csv': ['patient_id,age', ...rows].join('\n') + '\n' },
      `patient_id,ethnicity\n1,${'v'.repeat(9000)}\n140000,x\n`,
    );
    expect(js.status).toBe(0);
    expect(native.stderr).toBe('');
    expect(native.status).toBe(0);
    expect(nativeFiles).toEqual(jsFiles);
    expect(Buffer.from(Object.values(nativeFiles)[0]!, 'base64').toString()).toContain(`\n1,1,${'v'.repeat(9000)}\n2,2,\n`);
  });
});
