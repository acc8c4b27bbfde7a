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
    expect(result.stdout).toMatch(/^described 2 variables: sex \(categorical\), flag \(flag\)\ndescribe: 1 cohort file -> 2 tables in output\/tables; 1 chart -> 4 files in output\/graphs, in /);
    expect(listFiles(join(dir, 'output'))).toEqual([
      'graphs/dashboard.html',
      'graphs/sex.html',
      'graphs/sex.svg',
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

  it('exits 2 when an option of a pair is missing, or neither pair is given', async () => {
    const cases: Array<[string[], string]> = [
      [['--cohort', 'x.csv'], 'analyse: error: --cohort needs --tables-dir: --cohort with --tables-dir writes the descriptive statistics tables\n'],
      [['--graphs-dir', 'g'], 'analyse: error: --graphs-dir needs --measures: --measures with --graphs-dir writes the graphs\n'],
      [[], 'analyse: error: nothing to do: give --cohort with --tables-dir for the tables, --measures with --graphs-dir for the graphs, or both\n'],
    ];
    for (const [args, message] of cases) {
      const result = await cli(['describe', ...args], workspace());
      expect(result).toEqual({ code: 2, stdout: '', stderr: message });
    }
  });

  it('writes only the tables with --cohort and --tables-dir, only the graphs with --measures and --graphs-dir', async () => {
    const tablesOnly = workspace();
    const tables = await cli(['describe', '--cohort', 'output/inputs/input_*.csv', '--tables-dir', 'output/tables', '--jobs', '1'], tablesOnly);
    expect(tables).toMatchObject({ code: 0, stderr: '' });
    expect(tables.stdout).toMatch(/^described 2 variables: sex \(categorical\), flag \(flag\)\ndescribe: 1 cohort file -> 2 tables in output\/tables, in /);
    expect(listFiles(join(tablesOnly, 'output')).filter((f) => !f.startsWith('inputs/') && !f.startsWith('measures/'))).toEqual([
      'tables/descriptive_statistics_input_2020-01-01.csv',
      'tables/descriptive_statistics_summary.csv',
    ]);
    // The graphs alone need no cohort file at all, and ignore the config's column types.
    const graphsOnly = tempDir({ 'output/measures/measure_sex.csv': ONE_MEASURE, 'c.json': '{"variables": {"imd": "categorical"}}' });
    const graphs = await cli(['describe', '--measures', 'output/measures/measure_*.csv', '--graphs-dir', 'output/graphs', '--config', 'c.json'], graphsOnly);
    expect(graphs).toMatchObject({ code: 0, stderr: '' });
    expect(graphs.stdout).toMatch(/^describe: 1 chart -> 4 files in output\/graphs, in /);
    expect(listFiles(join(graphsOnly, 'output'))).toEqual(['graphs/dashboard.html', 'graphs/sex.html', 'graphs/sex.svg', 'graphs/sex.vl.json', 'measures/measure_sex.csv']);
  });

  it('runs as its own process from the build, as a pipeline action would', () => {
    const dir = workspace();
    const result = cliProcess(ARGS, dir);
    expect(result.code).toBe(0);
    expect(existsSync(join(dir, 'output/graphs/dashboard.html'))).toBe(true);
  });
});
