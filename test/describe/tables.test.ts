import { describe as group, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { runDescribe } from '../../src/describe/describe.js';
import { listFiles, readText, snapshot, tempDir, userError } from '../helpers.js';
import { cohortCsv, ONE_MEASURE } from './cohort-text.js';

/** Runs describe on `files` (cohort files under in/, ONE_MEASURE as the measure) and returns the folder. */
async function run(files: Record<string, string | Buffer>, config?: unknown) {
  const dir = tempDir({ ...files, 'm/measure_sex.csv': ONE_MEASURE, ...(config === undefined ? {} : { 'describe.json': JSON.stringify(config) }) });
  const summary = await runDescribe({
    cohort: join(dir, 'in/*.csv*'),
    measures: join(dir, 'm/measure_*.csv'),
    tablesDir: join(dir, 'out/tables'),
    graphsDir: join(dir, 'out/graphs'),
    config: config === undefined ? undefined : join(dir, 'describe.json'),
    jobs: 1,
    progress: false,
  });
  return { dir, summary, table: (name: string) => readText(join(dir, 'out/tables', name)) };
}

const JANUARY = cohortCsv('flag,sex,bmi,region,smr', [
  ['1,F,27.5,London,2019-05', 20],
  ['0,M,31.2,North East,', 9],
  ['0,,,"Yorkshire and the Humber",2020-01-02', 3],
]);

group('describe: descriptive statistics tables', () => {
  it('describes flags, categories, numbers and dates with rounded counts, blanking counts of 7 or less and leaving out levels as few share', async () => {
    const { table, summary } = await run({ 'in/input_2020-01-01.csv': JANUARY });
    expect(summary.variables).toEqual([
      { name: 'flag', type: 'flag' },
      { name: 'sex', type: 'categorical' },
      { name: 'bmi', type: 'numeric' },
      { name: 'region', type: 'categorical' },
      { name: 'smr', type: 'date' },
    ]);
    expect(table('descriptive_statistics_input_2020-01-01.csv')).toBe(
      [
        'variable,type,level,statistic,value',
        'population,population,,count,30',
        'flag,flag,0,count,10',
        'flag,flag,0,percent,33.3',
        'flag,flag,1,count,20',
        'flag,flag,1,percent,66.7',
        'flag,flag,,missing,',
        'flag,flag,,percent,',
        'sex,categorical,F,count,20',
        'sex,categorical,F,percent,66.7',
        'sex,categorical,M,count,10',
        'sex,categorical,M,percent,33.3',
        'sex,categorical,,missing,',
        'sex,categorical,,percent,',
        'bmi,numeric,,count,30',
        'bmi,numeric,,missing,',
        'bmi,numeric,,mean,',
        'bmi,numeric,,sd,',
        'bmi,numeric,,p25,',
        'bmi,numeric,,median,',
        'bmi,numeric,,p75,',
        'region,categorical,London,count,20',
        'region,categorical,London,percent,66.7',
        'region,categorical,North East,count,10',
        'region,categorical,North East,percent,33.3',
        'region,categorical,,missing,',
        'region,categorical,,percent,',
        'smr,date,,count,25',
        'smr,date,,missing,10',
        'smr,date,2019,count,20',
        'smr,date,2019,percent,66.7',
        '',
      ].join('\n'),
    );
  });

  it('never lists a value fewer than 8 patients share in every month: a note, an id, the year of one early event', async () => {
    const january = cohortCsv('note,code,smr', [
      ...Array.from({ length: 30 }, (_, i) => [`note ${i},${i % 3 ? 'A' : 'B'},${i < 29 ? '2019-05' : '2009-02'}`, 1] as const),
    ]);
    const february = cohortCsv('note,code,smr', [['note 0,A,2019-06', 12], ['note 31,C,2019-06', 5]]);
    const { table, summary } = await run({ 'in/input_2020-01-01.csv': january, 'in/input_2020-02-01.csv': february });
    expect(summary.variables).toEqual([{ name: 'note', type: 'categorical' }, { name: 'code', type: 'categorical' }, { name: 'smr', type: 'date' }]);
    for (const name of ['descriptive_statistics_input_2020-01-01.csv', 'descriptive_statistics_input_2020-02-01.csv', 'descriptive_statistics_summary.csv']) {
      const text = table(name);
      // "note 0" is shared by 12 patients in February; the other notes, code C and the year 2009 by fewer than 8 in every month.
      expect(text.match(/note \d+/g)?.every((note) => note === 'note 0')).toBe(true);
      expect(text).not.toMatch(/,C,|2009/);
      expect(text).toMatch(/,A,count,/);
    }
  });

  it('lists every level shown in some month in every month, blank where a month lacks it, and summarises all dates', async () => {
    const february = cohortCsv('flag,sex,bmi,region,smr', [
      ['1,F,27.6,London,2019-06', 12],
      ['0,F,31.3,London,', 30],
    ]);
    const { table } = await run({ 'in/input_2020-01-01.csv': JANUARY, 'in/input_2020-02-01.csv': february, 'in/input_ethnicity.csv': 'patient_id,ethnicity\n1,2\n' });
    const feb = table('descriptive_statistics_input_2020-02-01.csv');
    expect(feb).toContain('\nsex,categorical,M,count,\nsex,categorical,M,percent,\n');
    expect(feb).toContain('\nregion,categorical,North East,count,\n');
    expect(feb).toContain('\nsmr,date,2019,count,10\n');
    // Three patients in January, none in February: never shown, so never listed.
    expect(feb).not.toContain('Yorkshire');
    expect(feb).not.toContain('2020,count');
    expect(table('descriptive_statistics_summary.csv')).toBe(
      [
        'date,variable,type,level,statistic,value',
        '2020-01-01,population,population,,count,30',
        '2020-01-01,flag,flag,1,count,20',
        '2020-01-01,flag,flag,1,percent,66.7',
        '2020-01-01,sex,categorical,F,count,20',
        '2020-01-01,sex,categorical,F,percent,66.7',
        '2020-01-01,sex,categorical,M,count,10',
        '2020-01-01,sex,categorical,M,percent,33.3',
        '2020-01-01,sex,categorical,,missing,',
        '2020-01-01,sex,categorical,,percent,',
        '2020-01-01,bmi,numeric,,count,30',
        '2020-01-01,bmi,numeric,,missing,',
        '2020-01-01,bmi,numeric,,mean,',
        '2020-01-01,bmi,numeric,,median,',
        '2020-01-01,region,categorical,London,count,20',
        '2020-01-01,region,categorical,London,percent,66.7',
        '2020-01-01,region,categorical,North East,count,10',
        '2020-01-01,region,categorical,North East,percent,33.3',
        '2020-01-01,region,categorical,,missing,',
        '2020-01-01,region,categorical,,percent,',
        '2020-01-01,smr,date,,count,25',
        '2020-01-01,smr,date,,missing,10',
        '2020-02-01,population,population,,count,40',
        '2020-02-01,flag,flag,1,count,10',
        '2020-02-01,flag,flag,1,percent,25.0',
        '2020-02-01,sex,categorical,F,count,40',
        '2020-02-01,sex,categorical,F,percent,100.0',
        '2020-02-01,sex,categorical,M,count,',
        '2020-02-01,sex,categorical,M,percent,',
        '2020-02-01,sex,categorical,,missing,',
        '2020-02-01,sex,categorical,,percent,',
        '2020-02-01,bmi,numeric,,count,40',
        '2020-02-01,bmi,numeric,,missing,',
        '2020-02-01,bmi,numeric,,mean,',
        '2020-02-01,bmi,numeric,,median,',
        '2020-02-01,region,categorical,London,count,40',
        '2020-02-01,region,categorical,London,percent,100.0',
        '2020-02-01,region,categorical,North East,count,',
        '2020-02-01,region,categorical,North East,percent,',
        '2020-02-01,region,categorical,,missing,',
        '2020-02-01,region,categorical,,percent,',
        '2020-02-01,smr,date,,count,10',
        '2020-02-01,smr,date,,missing,30',
        '',
      ].join('\n'),
    );
  });

  it('releases mean and sd once 100 values are counted, and a quartile only when 8 or more patients share its value', async () => {
    // 101 ages: 50 × 70, 40 × 80, 11 × 95 (three whole numbers would be codes but for the config).
    const csv = cohortCsv('age', [['70', 50], ['80', 40], ['95', 11]]);
    const { table } = await run({ 'in/input_2020-01-01.csv': csv }, { variables: { age: 'numeric' } });
    expect(table('descriptive_statistics_input_2020-01-01.csv')).toBe(
      [
        'variable,type,level,statistic,value',
        'population,population,,count,100',
        'age,numeric,,count,100',
        'age,numeric,,missing,',
        'age,numeric,,mean,76.68', // 7745 / 101, to 4 significant figures
        'age,numeric,,sd,7.977',
        'age,numeric,,p25,70',
        'age,numeric,,median,80',
        'age,numeric,,p75,80',
        '',
      ].join('\n'),
    );
  });

  it('holds back mean and sd when one patient\'s value dominates them (the dominance rule), keeping the quartiles', async () => {
    // As above, with one of the 95-year-olds 110 instead: that one value is 15% of the sum of
    // squared deviations, over the 1/8 any value may hold, so mean and sd would point at it.
    const csv = cohortCsv('age', [['70', 50], ['80', 40], ['95', 10], ['110', 1]]);
    const { table } = await run({ 'in/input_2020-01-01.csv': csv }, { variables: { age: 'numeric' } });
    expect(table('descriptive_statistics_input_2020-01-01.csv')).toContain(
      'age,numeric,,count,100\nage,numeric,,missing,\nage,numeric,,mean,\nage,numeric,,sd,\nage,numeric,,p25,70\nage,numeric,,median,80\nage,numeric,,p75,80\n',
    );
  });

  it('blanks quartiles that only one patient holds, even with enough values for a mean', async () => {
    // 120 different values, each held by one patient: the quartiles would each be one person's value.
    const csv = cohortCsv('score', Array.from({ length: 120 }, (_, i) => [String(i * 3), 1] as const));
    const { table } = await run({ 'in/input_2020-01-01.csv': csv });
    const text = table('descriptive_statistics_input_2020-01-01.csv');
    expect(text).toContain('score,numeric,,mean,178.5\n');
    expect(text).toContain('score,numeric,,p25,\nscore,numeric,,median,\nscore,numeric,,p75,\n');
    expect(text).not.toMatch(/min|max/);
  });

  it('never describes patient_id or the configured key; counts many distinct strings without listing them', async () => {
    const csv = cohortCsv('pid,msoa,sex', Array.from({ length: 1200 }, (_, i) => [`${9000 + i},E0200${1000 + i},${i % 2 ? 'F' : 'M'}`, 1] as const));
    const { table, summary } = await run({ 'in/input_2020-01-01.csv': csv }, { key: 'pid' });
    const text = table('descriptive_statistics_input_2020-01-01.csv');
    expect(summary.variables).toEqual([
      { name: 'msoa', type: 'text' },
      { name: 'sex', type: 'categorical' },
    ]);
    expect(text).toBe(
      [
        'variable,type,level,statistic,value',
        'population,population,,count,1200',
        'msoa,text,,count,1200',
        'msoa,text,,missing,',
        'sex,categorical,F,count,600',
        'sex,categorical,F,percent,50.0',
        'sex,categorical,M,count,600',
        'sex,categorical,M,percent,50.0',
        'sex,categorical,,missing,',
        'sex,categorical,,percent,',
        '',
      ].join('\n'),
    );
    expect(text).not.toContain('patient_id');
    expect(text).not.toContain('pid');
  });

  it('takes column types from the config: numeric codes as categories, a few whole numbers as numeric, a column ignored', async () => {
    const csv = cohortCsv('imd,age,note', [['1,70,a', 10], ['2,71,b', 10], [',72,c', 10]]);
    const { table, summary } = await run({ 'in/input_2020-01-01.csv': csv }, { variables: { imd: 'categorical', age: 'numeric', note: 'ignore' } });
    expect(summary.variables).toEqual([
      { name: 'imd', type: 'categorical' },
      { name: 'age', type: 'numeric' },
    ]);
    expect(table('descriptive_statistics_input_2020-01-01.csv')).toContain(
      'imd,categorical,1,count,10\nimd,categorical,1,percent,33.3\nimd,categorical,2,count,10\nimd,categorical,2,percent,33.3\nimd,categorical,,missing,10\nimd,categorical,,percent,33.3\n',
    );
    expect(table('descriptive_statistics_input_2020-01-01.csv')).toContain('age,numeric,,count,30\n');
  });

  it('describes coded columns (whole numbers, at most 12 values, not only 0/1) as categories without a config, never with a mean', async () => {
    // ethnicity 1-5 and imd 1-5 (codes), a flag, and a score of 13 whole numbers (a number).
    const rows = Array.from({ length: 13 }, (_, i) => [`${(i % 5) + 1},${(i % 5) + 1},${i % 2},${40 + i}`, 10] as const);
    const { table, summary } = await run({ 'in/input_2020-01-01.csv': cohortCsv('ethnicity,imd,flag,score', rows) });
    expect(summary.variables).toEqual([
      { name: 'ethnicity', type: 'categorical' },
      { name: 'imd', type: 'categorical' },
      { name: 'flag', type: 'flag' },
      { name: 'score', type: 'numeric' },
    ]);
    const text = table('descriptive_statistics_input_2020-01-01.csv');
    expect(text).toContain('ethnicity,categorical,1,count,30\nethnicity,categorical,1,percent,23.1\nethnicity,categorical,2,count,30\n');
    expect(text).toContain('imd,categorical,5,count,20\nimd,categorical,5,percent,15.4\n');
    expect(text).not.toMatch(/^(ethnicity|imd),.*,(mean|sd|median)/m);
    expect(text).toContain('score,numeric,,mean,46\n');
  });

  it('describes columns named after Object properties like any other, also when the config names them', async () => {
    const csv = cohortCsv('__proto__,constructor,toString,hasOwnProperty', [
      ['1,a,5,x', 10],
      ['0,b,7,y', 10],
    ]);
    const { table, summary } = await run({ 'in/input_2020-01-01.csv': csv }, { variables: { constructor: 'categorical', toString: 'numeric', __proto__: 'flag' } });
    expect(summary.variables).toEqual([
      { name: '__proto__', type: 'flag' },
      { name: 'constructor', type: 'categorical' },
      { name: 'toString', type: 'numeric' },
      { name: 'hasOwnProperty', type: 'categorical' },
    ]);
    const rows = table('descriptive_statistics_input_2020-01-01.csv').split('\n');
    expect(rows).toContain('__proto__,flag,1,count,10');
    expect(rows).toContain('constructor,categorical,a,count,10');
    expect(rows).toContain('toString,numeric,,count,20');
    expect(rows).toContain('hasOwnProperty,categorical,y,count,10');
  });

  it('reads gzip cohorts, quoted fields, CRLF and a byte-order mark; skips files without a date', async () => {
    const csv = `\ufeff${cohortCsv('sex,flag', [['"F",1', 10], ['M,"0"', 10]]).replaceAll('\n', '\r\n')}`;
    const { table, dir } = await run({ 'in/input_2020-01-01.csv.gz': gzipSync(csv), 'in/input_ethnicity.csv': 'patient_id,ethnicity\n1,1\n' });
    expect(table('descriptive_statistics_input_2020-01-01.csv')).toContain('sex,categorical,F,count,10\n');
    expect(table('descriptive_statistics_input_2020-01-01.csv')).toContain('flag,flag,0,count,10\n');
    expect(listFiles(join(dir, 'out/tables'))).toEqual(['descriptive_statistics_input_2020-01-01.csv', 'descriptive_statistics_summary.csv']);
  });

  it('rejects a value that does not fit the configured type, naming file, line, column and value, and writes nothing', async () => {
    const csv = 'patient_id,age\n1,70\n2,"seventy\none"\n3,80\n';
    const dir = tempDir({ 'in/input_2020-01-01.csv': csv, 'm/measure_x.csv': ONE_MEASURE, 'c.json': '{"variables": {"age": "numeric"}}' });
    const before = snapshot(dir);
    const error = await userError(
      runDescribe({ cohort: join(dir, 'in/*.csv'), measures: join(dir, 'm/*.csv'), tablesDir: join(dir, 'out'), graphsDir: join(dir, 'out'), config: join(dir, 'c.json'), jobs: 1, progress: false }),
    );
    expect(error.location).toEqual({ file: join(dir, 'in/input_2020-01-01.csv'), line: 3, column: 'age' });
    expect(error.message).toContain('"seventy\\none" is not a number');
    expect(snapshot(dir)).toEqual(before);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('rejects a cohort glob with no dated file, and two files with one date', async () => {
    const dir = tempDir({ 'in/input.csv': 'patient_id,a\n1,2\n', 'two/a_2020-01-01.csv': 'patient_id\n1\n', 'two/b_2020-01-01.csv.gz': gzipSync('patient_id\n1\n'), 'm/measure_x.csv': ONE_MEASURE });
    const options = { measures: join(dir, 'm/*.csv'), tablesDir: join(dir, 'out'), graphsDir: join(dir, 'out'), jobs: 1, progress: false };
    expect((await userError(runDescribe({ ...options, cohort: join(dir, 'in/*.csv') }))).message).toMatch(/matches no dated cohort file/);
    expect((await userError(runDescribe({ ...options, cohort: join(dir, 'two/*') }))).message).toMatch(/two cohort files have the date 2020-01-01/);
  });

  it('keeps every table within 5,000 lines, leaving out whole variables and saying so', async () => {
    // 120 categorical columns of 21 levels of 8 patients: 120 × 22 levels × 2 rows = 5,280 rows in full.
    const columns = Array.from({ length: 120 }, (_, c) => `c${c}`);
    const rows = Array.from({ length: 21 }, (_, r) => [columns.map((_, c) => `L${(r + c) % 21}`).join(','), 8] as const);
    const { table, summary } = await run({ 'in/input_2020-01-01.csv': cohortCsv(columns.join(','), rows) });
    const lines = table('descriptive_statistics_input_2020-01-01.csv').trimEnd().split('\n');
    expect(lines.length).toBe(1 + 1 + 113 * 44);
    expect(lines.at(-1)).toBe('c112,categorical,,percent,');
    expect(summary.warnings).toEqual([
      expect.stringMatching(/descriptive_statistics_input_2020-01-01\.csv: left out "c113", "c114", .* and "c119" to stay within 5,000 rows$/),
      expect.stringMatching(/descriptive_statistics_summary\.csv: left out "c113", .* and "c119" to stay within 5,000 rows \(choose fewer with "summary" in the config\)$/),
    ]);
  });

  it('profiles files in worker threads with the same result as in this thread', async () => {
    const files = { 'in/input_2020-01-01.csv': JANUARY, 'in/input_2020-02-01.csv': JANUARY.replaceAll('London', 'East') };
    const dir = tempDir({ ...files, 'm/measure_sex.csv': ONE_MEASURE });
    const options = { cohort: join(dir, 'in/*.csv'), measures: join(dir, 'm/*.csv'), graphsDir: join(dir, 'g'), progress: false };
    await runDescribe({ ...options, tablesDir: join(dir, 'one'), jobs: 1 });
    await runDescribe({ ...options, tablesDir: join(dir, 'two'), jobs: 2 });
    expect(snapshot(join(dir, 'two'))).toEqual(snapshot(join(dir, 'one')));
  });
});
