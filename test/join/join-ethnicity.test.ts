import { describe, expect, it } from 'vitest';
import { readFileSync, existsSync, symlinkSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { joinEthnicity } from '../../src/join/join-ethnicity.js';
import { cli, listFiles, readText, snapshot, tempDir, userError } from '../helpers.js';

const ETHNICITY = 'patient_id,age,ethnicity\n1,70,3\n2,81,\n007,5,1\n9,60,"4"\n';

describe('joinEthnicity', () => {
  it('appends the ethnicity column to every row, empty where unmatched, rows otherwise unchanged', async () => {
    const dir = tempDir({
      'input_2020-01-01.csv': 'patient_id,age,region\n1,70,London\n2,80,"North East, far"\n3,90,\n9,66,x\n',
      'input_ethnicity.csv': ETHNICITY,
    });
    const summary = await joinEthnicity({ cohort: join(dir, 'input_*.csv'), ethnicity: join(dir, 'input_ethnicity.csv'), jobs: 1, progress: false });
    expect(readText(join(dir, 'input_2020-01-01.csv'))).toBe(
      'patient_id,age,region,ethnicity\n1,70,London,3\n2,80,"North East, far",\n3,90,,\n9,66,x,"4"\n',
    );
    expect(summary).toMatchObject({ rows: 4, matched: 3, inPlace: true, ethnicityRows: 4, ethnicityKeys: 4 });
    expect(summary.files.map((f) => f.input)).toEqual([join(dir, 'input_2020-01-01.csv')]);
    expect(readText(join(dir, 'input_ethnicity.csv'))).toBe(ETHNICITY);
  });

  it('compares keys as text: 007 and 7 are different patients, a quoted "1" is 1, empty keys never match', async () => {
    const dir = tempDir({
      'c_2020-01-01.csv': 'patient_id,x\n7,a\n007,b\n"1",c\n,d\n"",e\n',
      'eth.csv': 'patient_id,ethnicity\n007,5\n1,2\n,4\n',
    });
    await joinEthnicity({ cohort: join(dir, 'c_*.csv'), ethnicity: join(dir, 'eth.csv'), jobs: 1, progress: false });
    expect(readText(join(dir, 'c_2020-01-01.csv'))).toBe('patient_id,x,ethnicity\n7,a,\n007,b,5\n"1",c,2\n,d,\n"",e,\n');
  });

  it('copies cells that are not UTF-8 unchanged, and compares such keys by their bytes, so they never merge', async () => {
    const latin1 = (text: string) => Buffer.from(text, 'latin1');
    const dir = tempDir({
      'c_2020-01-01.csv': latin1('patient_id,name\nA\xe9,caf\xe9\nA\xe8,x\n"A\xe9",y\n'),
      'eth.csv': latin1('patient_id,ethnicity\nA\xe9,1\nA\xe8,2\n'),
    });
    await joinEthnicity({ cohort: join(dir, 'c_*.csv'), ethnicity: join(dir, 'eth.csv'), jobs: 1, progress: false });
    expect(readFileSync(join(dir, 'c_2020-01-01.csv')).toString('latin1')).toBe('patient_id,name,ethnicity\nA\xe9,caf\xe9,1\nA\xe8,x,2\n"A\xe9",y,1\n');
  });

  it('keeps CRLF line ends, a byte-order mark, quoted newlines, blank lines and a last row without newline', async () => {
    const input = '\ufeffpatient_id,note\r\n1,"two\r\nlines"\r\n\r\n2,plain\r\n9,last';
    const dir = tempDir({ 'c.csv': input, 'eth.csv': ETHNICITY });
    await joinEthnicity({ cohort: join(dir, 'c.csv'), ethnicity: join(dir, 'eth.csv'), jobs: 1, progress: false });
    expect(readText(join(dir, 'c.csv'))).toBe('\ufeffpatient_id,note,ethnicity\r\n1,"two\r\nlines",3\r\n\r\n2,plain,\r\n9,last,"4"');
  });

  it('gives the same bytes when run twice, overwriting the joined column in its place', async () => {
    const dir = tempDir({ 'input_2020-01-01.csv': 'patient_id,age\n1,70\n2,80\n5,1\n', 'input_ethnicity.csv': ETHNICITY });
    const options = { cohort: join(dir, 'input_*.csv'), ethnicity: join(dir, 'input_ethnicity.csv'), jobs: 1, progress: false };
    await joinEthnicity(options);
    const once = readFileSync(join(dir, 'input_2020-01-01.csv'));
    await joinEthnicity(options);
    expect(readFileSync(join(dir, 'input_2020-01-01.csv')).equals(once)).toBe(true);
    expect(once.toString()).toBe('patient_id,age,ethnicity\n1,70,3\n2,80,\n5,1,\n');
  });

  it('overwrites a joined column the cohort already has where it stands, never duplicating it', async () => {
    const dir = tempDir({ 'c.csv': 'patient_id,age,sex\n1,99,F\n2,98,M\n4,97,F\n', 'eth.csv': ETHNICITY });
    await joinEthnicity({ cohort: join(dir, 'c.csv'), ethnicity: join(dir, 'eth.csv'), columns: ['age', 'ethnicity'], jobs: 1, progress: false });
    expect(readText(join(dir, 'c.csv'))).toBe('patient_id,age,sex,ethnicity\n1,70,F,3\n2,81,M,\n4,,F,\n');
  });

  it('writes into --output-dir under the same names, creating it, and leaves the inputs alone', async () => {
    const cohort = 'patient_id,age\n1,70\n';
    const dir = tempDir({ 'in/input_2020-01-01.csv': cohort, 'in/input_2020-02-01.csv': cohort, 'in/input_ethnicity.csv': ETHNICITY });
    const summary = await joinEthnicity({
      cohort: join(dir, 'in/input*.csv'),
      ethnicity: join(dir, 'in/input_ethnicity.csv'),
      outputDir: join(dir, 'out/joined'),
      jobs: 1,
      progress: false,
    });
    expect(summary.inPlace).toBe(false);
    expect(listFiles(join(dir, 'out'))).toEqual(['joined/input_2020-01-01.csv', 'joined/input_2020-02-01.csv']);
    expect(readText(join(dir, 'out/joined/input_2020-02-01.csv'))).toBe('patient_id,age,ethnicity\n1,70,3\n');
    expect(readText(join(dir, 'in/input_2020-01-01.csv'))).toBe(cohort);
  });

  it('never treats the ethnicity file as a cohort file, even when the glob matches it', async () => {
    const dir = tempDir({ 'input_2020-01-01.csv': 'patient_id\n1\n', 'input_ethnicity.csv': ETHNICITY });
    const summary = await joinEthnicity({ cohort: join(dir, 'input*.csv'), ethnicity: join(dir, 'input_ethnicity.csv'), jobs: 1, progress: false });
    expect(summary.files).toHaveLength(1);
    expect(readText(join(dir, 'input_ethnicity.csv'))).toBe(ETHNICITY);
  });

  it('never treats the ethnicity file as a cohort file when the glob reaches it by another way (a linked folder)', async () => {
    const dir = tempDir({ 'data/input_2020-01-01.csv': 'patient_id\n1\n', 'data/input_ethnicity.csv': ETHNICITY });
    symlinkSync(join(dir, 'data'), join(dir, 'linked'));
    const summary = await joinEthnicity({ cohort: join(dir, 'linked/input*.csv'), ethnicity: join(dir, 'data/input_ethnicity.csv'), jobs: 1, progress: false });
    expect(summary.files.map((f) => f.input)).toEqual([join(dir, 'linked/input_2020-01-01.csv')]);
    expect(readText(join(dir, 'data/input_ethnicity.csv'))).toBe(ETHNICITY);
  });

  it('joins gzip-compressed cohort files into gzip-compressed files', async () => {
    const dir = tempDir({ 'input_2020-01-01.csv.gz': gzipSync('patient_id,age\n1,70\n2,80\n'), 'eth.csv': ETHNICITY });
    await joinEthnicity({ cohort: join(dir, '*.csv.gz'), ethnicity: join(dir, 'eth.csv'), jobs: 1, progress: false });
    expect(gunzipSync(readFileSync(join(dir, 'input_2020-01-01.csv.gz'))).toString()).toBe('patient_id,age,ethnicity\n1,70,3\n2,80,\n');
  });

  it('handles sparse and non-integer keys (the hash and text lookups)', async () => {
    const ids = ['1000000000000', '5', 'A12', '999999999999999', '1e3', '-4'];
    const dir = tempDir({
      'c.csv': `patient_id\n${ids.join('\n')}\n123\n`,
      'eth.csv': `patient_id,ethnicity\n${ids.map((id, i) => `${id},${i + 1}`).join('\n')}\n`,
    });
    await joinEthnicity({ cohort: join(dir, 'c.csv'), ethnicity: join(dir, 'eth.csv'), jobs: 1, progress: false });
    expect(readText(join(dir, 'c.csv'))).toBe(`patient_id,ethnicity\n${ids.map((id, i) => `${id},${i + 1}`).join('\n')}\n123,\n`);
  });

  it('equals a naive in-memory join on files spanning many chunks, in worker threads as in one thread', async () => {
    const ethnicityRows = ['patient_id,ethnicity'];
    const cohortRows = ['patient_id,flag,note'];
    const expected = ['patient_id,flag,note,ethnicity'];
    const lookup = new Map<string, string>();
    for (let id = 0; id < 60_000; id += 2) {
      const value = id % 6 === 0 ? '' : String(id % 5);
      ethnicityRows.push(`${id},${value}`);
      lookup.set(String(id), value);
    }
    for (let i = 0; i < 50_000; i++) {
      const id = String((i * 7919) % 70_000);
      const note = i % 97 === 0 ? '"multi\nline, note"' : `n${i}`;
      cohortRows.push(`${id},${i % 2},${note}`);
      expected.push(`${id},${i % 2},${note},${lookup.get(id) ?? ''}`);
    }
    const files: Record<string, string> = { 'eth.csv': `${ethnicityRows.join('\n')}\n` };
    for (const month of ['01', '02', '03']) files[`in/c_2020-${month}-01.csv`] = `${cohortRows.join('\n')}\n`;
    const dir = tempDir(files);
    for (const jobs of [1, 2]) {
      const summary = await joinEthnicity({ cohort: join(dir, 'in/*.csv'), ethnicity: join(dir, 'eth.csv'), outputDir: join(dir, `out${jobs}`), jobs, progress: false });
      expect(summary.rows).toBe(150_000);
      for (const month of ['01', '02', '03']) expect(readText(join(dir, `out${jobs}/c_2020-${month}-01.csv`))).toBe(`${expected.join('\n')}\n`);
    }
  });
});

describe('joinEthnicity refuses bad input, writing nothing', () => {
  it('names a key that appears twice in the ethnicity file and both its lines', async () => {
    const dir = tempDir({ 'c.csv': 'patient_id\n1\n', 'eth.csv': 'patient_id,ethnicity\n1,2\n"two\nlines",3\n1,4\n' });
    const before = snapshot(dir);
    const error = await userError(joinEthnicity({ cohort: join(dir, 'c.csv'), ethnicity: join(dir, 'eth.csv'), progress: false }));
    expect(error.message).toBe(`${join(dir, 'eth.csv')}: the key "1" appears twice, on lines 2 and 5; each "patient_id" must appear at most once`);
    expect(snapshot(dir)).toEqual(before);
  });

  it('names a sparse integer key that appears twice (the hash table)', async () => {
    const dir = tempDir({ 'c.csv': 'patient_id\n1\n', 'eth.csv': 'patient_id,ethnicity\n5000000000,2\n7,3\n1,1\n5000000000,4\n' });
    const error = await userError(joinEthnicity({ cohort: join(dir, 'c.csv'), ethnicity: join(dir, 'eth.csv'), progress: false }));
    expect(error.message).toMatch(/the key "5000000000" appears twice, on lines 2 and 5/);
  });

  it('names a text key that appears twice', async () => {
    const dir = tempDir({ 'c.csv': 'patient_id\n1\n', 'eth.csv': 'patient_id,ethnicity\nA,2\nB,3\nA,4\n' });
    const error = await userError(joinEthnicity({ cohort: join(dir, 'c.csv'), ethnicity: join(dir, 'eth.csv'), progress: false }));
    expect(error.message).toMatch(/the key "A" appears twice, on lines 2 and 4/);
  });

  it('names a cohort file without the key column and lists its columns, before writing any file', async () => {
    const dir = tempDir({
      'input_2020-01-01.csv': 'patient_id,age\n1,70\n',
      'input_2020-02-01.csv': 'id,age\n1,70\n',
      'input_ethnicity.csv': ETHNICITY,
    });
    const before = snapshot(dir);
    const error = await userError(joinEthnicity({ cohort: join(dir, 'input_2*.csv'), ethnicity: join(dir, 'input_ethnicity.csv'), progress: false }));
    expect(error.message).toBe(`${join(dir, 'input_2020-02-01.csv')}, line 1: has no key column "patient_id"; its columns are "id" and "age"`);
    expect(snapshot(dir)).toEqual(before);
  });

  it('names the ethnicity file when it lacks a column to join', async () => {
    const dir = tempDir({ 'c.csv': 'patient_id\n1\n', 'eth.csv': 'patient_id,eth\n1,2\n' });
    const error = await userError(joinEthnicity({ cohort: join(dir, 'c.csv'), ethnicity: join(dir, 'eth.csv'), progress: false }));
    expect(error.message).toBe(`${join(dir, 'eth.csv')}, line 1: has no column to join "ethnicity"; its columns are "patient_id" and "eth"`);
  });

  it('leaves a cohort file that is malformed part-way untouched, and finishes the others whole', async () => {
    const good = 'patient_id,age\n1,70\n2,80\n';
    const bad = `patient_id,age\n${Array.from({ length: 30_000 }, (_, i) => `${i},70`).join('\n')}\n5\n`;
    const dir = tempDir({ 'c_2020-01-01.csv': good, 'c_2020-02-01.csv': bad, 'eth.csv': ETHNICITY });
    const error = await userError(joinEthnicity({ cohort: join(dir, 'c_*.csv'), ethnicity: join(dir, 'eth.csv'), jobs: 1, progress: false }));
    expect(error.message).toBe(`${join(dir, 'c_2020-02-01.csv')}, line 30002: expected 2 fields, as in the header, but found 1 (a ragged row)`);
    expect(readText(join(dir, 'c_2020-02-01.csv'))).toBe(bad);
    expect(readText(join(dir, 'c_2020-01-01.csv'))).toBe('patient_id,age,ethnicity\n1,70,3\n2,80,\n');
    expect(listFiles(dir)).toEqual(['c_2020-01-01.csv', 'c_2020-02-01.csv', 'eth.csv']);
  });

  it('rejects a gzip cohort file that is cut short, leaving it as it was', async () => {
    const whole = gzipSync(`patient_id,age\n${Array.from({ length: 50_000 }, (_, i) => `${i},70`).join('\n')}\n`);
    const cut = whole.subarray(0, Math.floor(whole.length / 2));
    const dir = tempDir({ 'c.csv.gz': cut, 'eth.csv': ETHNICITY });
    const error = await userError(joinEthnicity({ cohort: join(dir, 'c.csv.gz'), ethnicity: join(dir, 'eth.csv'), progress: false }));
    expect(error.message).toMatch(/c\.csv\.gz: the gzip data is cut short/);
    expect(readFileSync(join(dir, 'c.csv.gz')).equals(cut)).toBe(true);
    expect(listFiles(dir)).toEqual(['c.csv.gz', 'eth.csv']);
  });

  it('rejects a glob matching nothing, a missing ethnicity file and bad --columns', async () => {
    const dir = tempDir({ 'c.csv': 'patient_id\n1\n', 'eth.csv': ETHNICITY });
    expect((await userError(joinEthnicity({ cohort: join(dir, 'x*.csv'), ethnicity: join(dir, 'eth.csv') }))).message).toMatch(/--cohort .*x\*\.csv: matches no file/);
    expect((await userError(joinEthnicity({ cohort: join(dir, 'c.csv'), ethnicity: join(dir, 'nope.csv') }))).message).toMatch(/nope\.csv: file not found \(the --ethnicity file\)$/);
    expect((await userError(joinEthnicity({ cohort: join(dir, 'c.csv'), ethnicity: join(dir, 'eth.csv'), columns: ['patient_id'] }))).message).toMatch(/is the key column/);
    expect((await userError(joinEthnicity({ cohort: join(dir, 'c.csv'), ethnicity: join(dir, 'eth.csv'), columns: ['a', 'a'] }))).message).toMatch(/named twice/);
  });

  it('refuses two cohort files that would be written to one output file', async () => {
    const dir = tempDir({ 'a/c.csv': 'patient_id\n1\n', 'b/c.csv': 'patient_id\n1\n', 'eth.csv': ETHNICITY });
    const error = await userError(joinEthnicity({ cohort: join(dir, '*/c.csv'), ethnicity: join(dir, 'eth.csv'), outputDir: join(dir, 'out') }));
    expect(error.message).toMatch(/would both be written to/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});

describe('analyse join-ethnicity (CLI)', () => {
  it('prints a summary and exits 0', async () => {
    const dir = tempDir({ 'input_2020-01-01.csv': 'patient_id\n1\n3\n', 'input_ethnicity.csv': ETHNICITY });
    const result = await cli(['join-ethnicity', '--cohort', 'input_*.csv', '--ethnicity', 'input_ethnicity.csv', '--jobs', '1'], dir);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^input_2020-01-01\.csv: 2 rows, 1 matched \(50\.0%\)\njoin-ethnicity: 1 files, 2 rows, 50\.0% matched/);
  });

  it('exits 2 with a one-line message and no stack trace for a user mistake', async () => {
    const dir = tempDir({ 'c.csv': 'patient_id\n1\n', 'eth.csv': 'patient_id,ethnicity\n1,2\n1,3\n' });
    const result = await cli(['join-ethnicity', '--cohort', 'c.csv', '--ethnicity', 'eth.csv'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('analyse: error: eth.csv: the key "1" appears twice, on lines 2 and 3; each "patient_id" must appear at most once\n');
    expect(readText(join(dir, 'c.csv'))).toBe('patient_id\n1\n');
  });

  it('exits 2 for a missing required option or a bad --jobs', async () => {
    const missing = await cli(['join-ethnicity', '--cohort', 'x.csv']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/required option '--ethnicity <file>' not specified/);
    const jobs = await cli(['join-ethnicity', '--cohort', 'x', '--ethnicity', 'y', '--jobs', '0']);
    expect(jobs.code).toBe(2);
    expect(jobs.stderr).toMatch(/--jobs.*whole number/);
  });

  it('shows help with an example and exits 0', async () => {
    const result = await cli(['join-ethnicity', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--ethnicity <file>/);
    expect(result.stdout).toMatch(/Example:/);
  });
});
