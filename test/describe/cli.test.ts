import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cli, cliProcess, listFiles, tempDir } from '../helpers.js';
import { cohortCsv, ONE_MEASURE } from './cohort-text.js';

function workspace(): string {
  return tempDir({
    'output/inputs/input_2020-01-01.csv': cohortCsv('sex,flag', [['F,1', 10], ['M,0', 12]]),
    'output/measures/measure_sex.csv': ONE_MEASURE,
  });
}

const ARGS = ['describe', '--cohort', 'output/inputs/input_*.csv', '--measures', 'output/measures/measure_*.csv', '--tables-dir', 'output/tables', '--graphs-dir', 'output/graphs'];

describe('analyse describe (CLI)', () => {
  it('writes the tables and graphs and prints what it did, with no patient counts', async () => {
    const dir = workspace();
    const result = await cli([...ARGS, '--jobs', '1'], dir);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^described 2 variables: sex \(categorical\), flag \(flag\)\ndescribe: 1 cohort file -> 2 tables in output\/tables; 1 chart -> 3 files in output\/graphs, in /);
    expect(listFiles(join(dir, 'output'))).toEqual([
      'graphs/dashboard.html',
      'graphs/sex.html',
      'graphs/sex.vl.json',
      'inputs/input_2020-01-01.csv',
      'measures/measure_sex.csv',
      'tables/descriptive_statistics_input_2020-01-01.csv',
      'tables/descriptive_statistics_summary.csv',
    ]);
  });

  it('exits 2 with a one-line message and writes nothing when the config is wrong', async () => {
    const dir = workspace();
    const result = await cli([...ARGS, '--config', 'missing.json'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('analyse: error: missing.json: file not found\n');
    expect(existsSync(join(dir, 'output/tables'))).toBe(false);
  });

  it('exits 2 when a required option is missing', async () => {
    const result = await cli(['describe', '--cohort', 'x.csv'], workspace());
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/required option '--measures <glob>' not specified/);
  });

  it('runs as its own process from the build, as a pipeline action would', () => {
    const dir = workspace();
    const result = cliProcess(ARGS, dir);
    expect(result.code).toBe(0);
    expect(existsSync(join(dir, 'output/graphs/dashboard.html'))).toBe(true);
  });
});
