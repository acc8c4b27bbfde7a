import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { cohortFileOf, findCohortFiles } from '../../src/csv/dated-files.js';
import { UserError } from '../../src/errors.js';
import { tempDir, userError } from '../helpers.js';

describe('cohortFileOf(path)', () => {
  it('takes the date from the name, or none', () => {
    expect(cohortFileOf('out/input_2020-02-29.csv.gz')).toEqual({ path: 'out/input_2020-02-29.csv.gz', name: 'input_2020-02-29.csv.gz', stem: 'input_2020-02-29', date: '2020-02-29' });
    expect(cohortFileOf('out/input_ethnicity.csv').date).toBeNull();
  });

  it('refuses a date no calendar has, rather than taking the file for one without a date', () => {
    for (const name of ['input_2020-02-30.csv', 'input_2021-02-29.csv', 'input_2020-13-01.csv.gz', 'input_2020-00-10.csv']) {
      expect(() => cohortFileOf(`in/${name}`), name).toThrow(UserError);
    }
    expect(() => cohortFileOf('in/input_2020-02-30.csv')).toThrow(
      'in/input_2020-02-30.csv: the date 2020-02-30 in the file name is not a real date (expected <anything>_YYYY-MM-DD.csv with a day that exists)',
    );
  });
});

describe('findCohortFiles(pattern)', () => {
  it('refuses a .csv name the glob matches that is not a regular file, instead of skipping it', async () => {
    const dir = tempDir({ 'input_2020-01-01.csv': 'a\n1\n' });
    execFileSync('mkfifo', [join(dir, 'input_2020-02-01.csv')]);
    expect((await userError(findCohortFiles(join(dir, 'input_*.csv'), { option: '--cohort' }))).message).toBe(
      `${join(dir, 'input_2020-02-01.csv')}: is a named pipe (FIFO), not a regular file: it cannot be read as an input (matched by --cohort)`,
    );

    const loops = tempDir({ 'input_2020-01-01.csv': 'a\n1\n' });
    symlinkSync('input_2020-03-01.csv', join(loops, 'input_2020-03-01.csv'));
    expect((await userError(findCohortFiles(join(loops, '*.csv'), { option: '--cohort' }))).message).toBe(
      `${join(loops, 'input_2020-03-01.csv')}: is a loop of symbolic links (a link that leads back to itself) (matched by --cohort)`,
    );

    const folders = tempDir({ 'input_2020-01-01.csv': 'a\n1\n' });
    mkdirSync(join(folders, 'input_2020-04-01.csv'));
    expect((await userError(findCohortFiles(join(folders, '*.csv'), { option: '--cohort' }))).message).toBe(
      `${join(folders, 'input_2020-04-01.csv')}: is a folder, expected a file (matched by --cohort)`,
    );
  });

  it('refuses a named file that is not a regular file, or is missing, in the same words', async () => {
    const dir = tempDir();
    execFileSync('mkfifo', [join(dir, 'input_2020-02-01.csv')]);
    expect((await userError(findCohortFiles(join(dir, 'input_2020-02-01.csv'), { option: '--cohort' }))).message).toBe(
      `${join(dir, 'input_2020-02-01.csv')}: is a named pipe (FIFO), not a regular file: it cannot be read as an input`,
    );
    expect((await userError(findCohortFiles(join(dir, 'nope.csv'), { option: '--cohort' }))).message).toBe(`${join(dir, 'nope.csv')}: file not found (the --cohort file)`);
  });

  it('refuses an empty glob as a usage error, not a crash', async () => {
    expect((await userError(findCohortFiles('', { option: '--cohort' }))).message).toBe('--cohort: expected a file name or glob, got an empty one');
  });

  it('refuses an impossible date among the files it finds', async () => {
    const dir = tempDir({ 'input_2020-01-01.csv': 'a\n1\n', 'input_2020-02-30.csv': 'a\n1\n' });
    expect((await userError(findCohortFiles(join(dir, 'input_*.csv'), { option: '--cohort' }))).message).toMatch(/input_2020-02-30\.csv: the date 2020-02-30 in the file name is not a real date/);
  });
});
