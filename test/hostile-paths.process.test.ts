// Inputs and output folders that are not what they seem: a named pipe, a device or a folder given
// as an input, a loop of symbolic links, a date that does not exist, an output folder under a
// file, an id too long for a file name. Each is refused at once with exit 2 and a one-line
// message naming the path, nothing is written, and nothing blocks.

import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { cliProcess, snapshot, tempDir, writeFiles } from './helpers.js';

const COHORT = 'patient_id,age,sex\n1,70,F\n2,80,M\n';
const DEFINITIONS = JSON.stringify({ measures: [{ id: 'age_total', numerator: 'age', denominator: 'population' }] });
const MEASURE_FILE = 'age,population,value,date\n150,300,0.5,2020-01-01\n';

function study(): string {
  return tempDir({
    'input/input_2020-01-01.csv': COHORT,
    'input/input_2020-02-01.csv': COHORT,
    'eth.csv': 'patient_id,ethnicity\n1,3\n',
    'defs.json': DEFINITIONS,
    'schema.json': JSON.stringify({ index_date: '2020-01-01', variables: { flag: { bool: true, incidence: 0.3 } } }),
    'm/measure_age_total.csv': MEASURE_FILE,
    'afile.txt': 'a file, not a folder',
  });
}

/** Runs the command (killed if it blocks) and checks the refusal: exit 2, exactly `message`, nothing written. */
function expectRefused(dir: string, args: string[], message: string): void {
  const before = snapshot(dir);
  const result = cliProcess(args, dir, { timeoutMs: 20_000 });
  expect(result.stderr).toBe(`analyse: error: ${message}\n`);
  expect(result.code).toBe(2);
  expect(snapshot(dir)).toEqual(before);
}

const MEASURES = ['measures', '--definitions', 'defs.json', '--cohort', 'input/input_*.csv', '--output-dir', 'out'];
const DESCRIBE = ['describe', '--cohort', 'input/input_*.csv', '--measures', 'm/measure_*.csv', '--tables-dir', 'out/tables', '--graphs-dir', 'out/graphs'];

describe('inputs that are not regular files', () => {
  it('a named pipe as the definitions file (which blocked forever)', () => {
    const dir = study();
    execFileSync('mkfifo', [join(dir, 'fifo.json')]);
    expectRefused(dir, ['measures', ...MEASURES.slice(1).map((a) => (a === 'defs.json' ? 'fifo.json' : a))], 'fifo.json: is a named pipe (FIFO), not a regular file: it cannot be read as an input');
  });

  it('a device, a folder and a loop of links as inputs', () => {
    const dir = study();
    symlinkSync('loop.csv', join(dir, 'loop.csv'));
    expectRefused(dir, ['join-ethnicity', '--cohort', 'input/input_*.csv', '--ethnicity', '/dev/zero'], '/dev/zero: is a device, not a regular file');
    expectRefused(dir, ['generate-dummy', '--schema', 'input', '--output-dir', 'out'], 'input: is a folder, expected a file');
    expectRefused(dir, ['join-ethnicity', '--cohort', 'input/input_*.csv', '--ethnicity', 'loop.csv'], 'loop.csv: is a loop of symbolic links (a link that leads back to itself) (the --ethnicity file)');
  });

  it('a named pipe or a loop of links among the files a cohort glob matches', () => {
    const dir = study();
    execFileSync('mkfifo', [join(dir, 'input', 'input_2020-03-01.csv')]);
    expectRefused(dir, MEASURES, 'input/input_2020-03-01.csv: is a named pipe (FIFO), not a regular file: it cannot be read as an input (matched by --cohort)');
    const loops = study();
    symlinkSync('input_2020-04-01.csv', join(loops, 'input', 'input_2020-04-01.csv'));
    expectRefused(loops, DESCRIBE, 'input/input_2020-04-01.csv: is a loop of symbolic links (a link that leads back to itself) (matched by --cohort)');
  });
});

describe('names and folders', () => {
  it('a cohort file named with a date that does not exist (which was skipped)', () => {
    const dir = tempDir({ 'input/input_2020-01-01.csv': COHORT, 'input/input_2020-02-30.csv': COHORT, 'defs.json': DEFINITIONS });
    expectRefused(dir, MEASURES, 'input/input_2020-02-30.csv: the date 2020-02-30 in the file name is not a real date (expected <anything>_YYYY-MM-DD.csv with a day that exists)');
  });

  it('an output folder under a file, or a loop of links (which were internal errors)', () => {
    const dir = study();
    symlinkSync('loop', join(dir, 'loop'));
    expectRefused(dir, [...MEASURES.slice(0, -1), 'afile.txt/sub'], 'afile.txt/sub: cannot be used as the --output-dir folder: afile.txt is a file, not a folder');
    expectRefused(dir, [...DESCRIBE.slice(0, -3), 'afile.txt', '--graphs-dir', 'out/graphs'], 'afile.txt: cannot be used as the --tables-dir folder: it is a file, not a folder');
    expectRefused(dir, ['generate-dummy', '--schema', 'schema.json', '--output-dir', 'loop/sub'], 'loop/sub: is a loop of symbolic links (a link that leads back to itself) (--output-dir)');
    expectRefused(dir, ['join-ethnicity', '--cohort', 'input/input_*.csv', '--ethnicity', 'eth.csv', '--output-dir', 'afile.txt/joined'], 'afile.txt/joined: cannot be used as the --output-dir folder: afile.txt is a file, not a folder');
  });

  it('a measure id too long for a file name (which was an internal ENAMETOOLONG)', () => {
    const dir = study();
    writeFiles(dir, { 'defs.json': JSON.stringify({ measures: [{ id: 'x'.repeat(210), numerator: 'age', denominator: 'population' }] }) });
    expectRefused(
      dir,
      MEASURES,
      `defs.json: measures[0].id: expected an id of letters, digits and underscores (it becomes the file name measure_<id>.csv), got the text "${'x'.repeat(60)}…"; it is 210 characters long; at most 100 are allowed`,
    );
  });
});
