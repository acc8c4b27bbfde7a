import { describe, expect, it } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runMeasures } from '../../src/measures/run-measures.js';
import { UserError } from '../../src/errors.js';
import { cli, cliProcess, listFiles, snapshot, tempDir } from '../helpers.js';

const DEFS = JSON.stringify({
  measures: [
    { id: 'rate', numerator: 'flag', denominator: 'population', group_by: 'region' },
    { id: 'by_sex', numerator: 'flag', denominator: 'count', group_by: ['sex'] },
  ],
});
const GOOD = 'patient_id,region,sex,flag,count\n1,N,F,1,2\n2,S,M,0,1\n';

async function failure(files: Record<string, string>, cohort = 'input_*.csv'): Promise<{ error: UserError; dir: string }> {
  const dir = tempDir({ 'defs.json': DEFS, ...files });
  const before = snapshot(dir);
  try {
    await runMeasures({ definitions: join(dir, 'defs.json'), cohort: join(dir, cohort), outputDir: join(dir, 'out'), jobs: 2, progress: false });
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    // Nothing written: no output folder, no temporary file, inputs unchanged.
    expect(existsSync(join(dir, 'out'))).toBe(false);
    expect(snapshot(dir)).toEqual(before);
    return { error, dir };
  }
  throw new Error('expected a UserError');
}

describe('runMeasures refuses bad cohort files, writing nothing', () => {
  for (const value of ['1.5', '-1', 'x', ' 1', '1e3', '+1', '0x1', 'true', '1 ']) {
    it(`a count of ${JSON.stringify(value)}: names the file, line, column and value`, async () => {
      const { error, dir } = await failure({ 'input_2020-01-01.csv': `${GOOD}3,N,F,${value},1\n` });
      expect(error.message).toBe(
        `${join(dir, 'input_2020-01-01.csv')}, line 4, column "flag": expected a count (a whole number 0 or more, such as 0 or 1, or an empty cell), but found ${JSON.stringify(value)}`,
      );
    });
  }

  it('a bad quoted count, and the line of a field after a quoted newline', async () => {
    const quoted = await failure({ 'input_2020-01-01.csv': `${GOOD}3,N,F,"1.0",1\n` });
    expect(quoted.error.location).toMatchObject({ line: 4, column: 'flag' });
    expect(quoted.error.message).toMatch(/but found "1\.0"$/);
    const multiline = await failure({ 'input_2020-01-01.csv': `${GOOD}3,"North\nEast",F,1,"2\n"\n` });
    expect(multiline.error.location).toMatchObject({ line: 5, column: 'count' });
    expect(multiline.error.message).toMatch(/but found "2\\n"$/);
  });

  it('a count too large to add exactly', async () => {
    const { error } = await failure({ 'input_2020-01-01.csv': `${GOOD}3,N,F,1,99999999999999999999\n` });
    expect(error.location).toMatchObject({ line: 4, column: 'count' });
  });

  it('a missing column, found on line 1 before any data is read, listing the columns the file has', async () => {
    const { error, dir } = await failure({
      // The first file's bad value is never reached: every header is checked first.
      'input_2020-01-01.csv': `${GOOD}3,N,F,bad,1\n`,
      'input_2020-02-01.csv': 'patient_id,region,flag,count\n1,N,1,1\n',
    });
    expect(error.message).toBe(
      `${join(dir, 'input_2020-02-01.csv')}, line 1: has no column "sex", which measure "by_sex" uses; its columns are "patient_id", "region", "flag" and "count"`,
    );
  });

  it('several missing columns, naming the measures that use them', async () => {
    const { error } = await failure({ 'input_2020-01-01.csv': 'patient_id,sex\n1,F\n' });
    expect(error.message).toMatch(/line 1: has no columns "flag", "count" and "region", which measures "rate" and "by_sex" use; its columns are "patient_id" and "sex"$/);
  });

  it('a column named twice in a header', async () => {
    const { error } = await failure({ 'input_2020-01-01.csv': 'region,sex,flag,count,flag\nN,F,1,1,0\n' });
    expect(error.message).toMatch(/line 1: the column "flag" appears more than once in the header/);
  });

  it('a malformed file: a ragged row, an unterminated quote, an empty file', async () => {
    expect((await failure({ 'input_2020-01-01.csv': `${GOOD}3,N,F\n` })).error.message).toMatch(/line 4: expected 5 fields, as in the header, but found 3 \(a ragged row\)/);
    expect((await failure({ 'input_2020-01-01.csv': `${GOOD}3,"N,F,1,1\n` })).error.message).toMatch(/line 4: a quoted field is never closed/);
    expect((await failure({ 'input_2020-01-01.csv': '' })).error.message).toMatch(/line 1: the file is empty/);
  });

  it('two cohort files with one date', async () => {
    const { error, dir } = await failure({ 'input_2020-01-01.csv': GOOD, 'input_2020-01-01.csv.gz': GOOD }, 'input_*');
    expect(error.message).toBe(`--cohort: two cohort files have the date 2020-01-01: ${join(dir, 'input_2020-01-01.csv')} and ${join(dir, 'input_2020-01-01.csv.gz')}`);
  });

  it('a glob matching no dated file, or nothing', async () => {
    expect((await failure({ 'input_ethnicity.csv': GOOD })).error.message).toMatch(/--cohort .*: matches no cohort file with a date in its name/);
    expect((await failure({}, 'nothing_*.csv')).error.message).toMatch(/--cohort .*nothing_\*\.csv: matches no file/);
  });

  it('bad definitions, before any cohort file is read', async () => {
    const dir = tempDir({ 'defs.json': '{"measures": [{"id": "../x", "numerator": "flag", "denominator": "population"}]}', 'input_2020-01-01.csv': 'x\n' });
    await expect(runMeasures({ definitions: join(dir, 'defs.json'), cohort: join(dir, 'input_*.csv'), outputDir: join(dir, 'out'), progress: false })).rejects.toThrow(
      /defs\.json: measures\[0\]\.id: expected an id of letters, digits and underscores .*, got the text "\.\.\/x"$/,
    );
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('an output folder that is a file', async () => {
    const dir = tempDir({ 'defs.json': DEFS, 'input_2020-01-01.csv': GOOD, out: 'a file' });
    await expect(runMeasures({ definitions: join(dir, 'defs.json'), cohort: join(dir, 'input_*.csv'), outputDir: join(dir, 'out'), progress: false })).rejects.toThrow(
      /out: cannot be used as the --output-dir folder: it is a file, not a folder/,
    );
  });

  it('leaves the outputs of an earlier run untouched when a later run fails', async () => {
    const dir = tempDir({ 'defs.json': DEFS, 'input_2020-01-01.csv': GOOD, 'input_2020-02-01.csv': GOOD });
    const options = { definitions: join(dir, 'defs.json'), cohort: join(dir, 'input_*.csv'), outputDir: join(dir, 'out'), jobs: 2, progress: false };
    await runMeasures(options);
    const before = snapshot(dir);
    writeFileSync(join(dir, 'input_2020-02-01.csv'), `${GOOD}3,N,F,1,x\n`);
    delete before['input_2020-02-01.csv'];
    await expect(runMeasures(options)).rejects.toThrow(/input_2020-02-01\.csv, line 4, column "count"/);
    const after = snapshot(dir);
    delete after['input_2020-02-01.csv'];
    expect(after).toEqual(before);
  });
});

describe('analyse measures (CLI)', () => {
  it('prints the files read, skipped files and a summary, and exits 0', async () => {
    const dir = tempDir({ 'defs.json': DEFS, 'input_2020-01-01.csv': GOOD, 'input_ethnicity.csv': 'patient_id\n1\n' });
    const result = cliProcess(['measures', '--definitions', 'defs.json', '--cohort', 'input_*.csv', '--output-dir', 'out'], dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^input_2020-01-01\.csv \(2020-01-01\): 2 rows\ninput_ethnicity\.csv: skipped, no date in its name/);
    expect(result.stdout).toMatch(/\nmeasures: 1 cohort file, 2 rows, 2 measures, 4 files written to out in \d/);
    expect(listFiles(join(dir, 'out'))).toEqual(['measure_by_sex.csv', 'measure_by_sex_2020-01-01.csv', 'measure_rate.csv', 'measure_rate_2020-01-01.csv']);
  });

  it('exits 2 with a one-line message, no stack trace and no file written, for a bad value', () => {
    const dir = tempDir({ 'defs.json': DEFS, 'input_2020-01-01.csv': `${GOOD}3,N,F,2.5,1\n` });
    const result = cliProcess(['measures', '--definitions', 'defs.json', '--cohort', 'input_*.csv', '--output-dir', 'out', '--jobs', '2'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('analyse: error: input_2020-01-01.csv, line 4, column "flag": expected a count (a whole number 0 or more, such as 0 or 1, or an empty cell), but found "2.5"\n');
    expect(result.stdout).toBe('');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('exits 2 for bad definitions and for a missing option', async () => {
    const dir = tempDir({ 'defs.json': '{"measures": [{"id": "a", "numerator": "flag", "denominator": "population", "group_by": ["population", "sex"]}]}', 'input_2020-01-01.csv': GOOD });
    const bad = await cli(['measures', '--definitions', 'defs.json', '--cohort', 'input_*.csv', '--output-dir', 'out'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^analyse: error: defs\.json: measures\[0\]\.group_by: mixes "population"/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const missing = await cli(['measures', '--definitions', 'defs.json', '--cohort', 'input_*.csv'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/required option '--output-dir <dir>' not specified/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('shows help with an example', async () => {
    const result = await cli(['measures', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--definitions <file\.json>/);
    expect(result.stdout).toMatch(/Example:\n {2}analyse measures/);
  });
});
