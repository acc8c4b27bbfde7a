import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ehrqlMeasuresFile, intervalEnds, readEhrqlMeasures } from '../../src/layouts/ehrql-measures.js';
import type { MeasureRow, MeasureTable } from '../../src/layouts/measure-table.js';
import { tempDir, userError } from '../helpers.js';

/** A row: group values, numerator, denominator, value. */
const row = (group: string[], numerator: string, denominator: string, value: string, extra: string[] = []): MeasureRow => ({ group, numerator, denominator, value, extra });

const BY_SEX: MeasureTable = {
  id: 'by_sex',
  groupBy: ['sex'],
  numerator: 'flag',
  denominator: 'population',
  extraColumns: [],
  dates: [
    { date: '2022-01-01', rows: [row(['F'], '10', '40', '0.25'), row(['M'], '0', '0', '')] },
    { date: '2022-02-01', rows: [row(['F'], '15', '50', '0.3')] },
  ],
};
const BY_AGE_AND_SEX: MeasureTable = {
  id: 'by_age_and_sex',
  groupBy: ['age_band', 'sex'],
  numerator: 'flag',
  denominator: 'population',
  extraColumns: [],
  dates: [
    { date: '2022-01-01', rows: [row(['0-19', 'F'], '20', '100', '0.2')] },
    { date: '2022-02-01', rows: [] },
  ],
};
const OVERALL: MeasureTable = {
  id: 'overall',
  groupBy: [],
  numerator: 'items',
  denominator: 'population',
  extraColumns: [],
  dates: [
    { date: '2022-01-01', rows: [row([], '60', '50', '1.2')] },
    { date: '2022-02-01', rows: [row([], '', '55', '')] },
  ],
};

describe('ehrqlMeasuresFile(tables, dir): measures.csv as ehrQL writes it', () => {
  it('writes measure, interval, ratio and counts, then every group column in order of first use, empty where a measure does not use it', () => {
    const file = ehrqlMeasuresFile([BY_SEX, BY_AGE_AND_SEX, OVERALL], 'out');
    expect(file.path).toBe(join('out', 'measures.csv'));
    expect(file.content).toBe(
      [
        'measure,interval_start,interval_end,ratio,numerator,denominator,sex,age_band',
        'by_sex,2022-01-01,2022-01-31,0.25,10,40,F,',
        'by_sex,2022-01-01,2022-01-31,,0,0,M,',
        'by_sex,2022-02-01,2022-02-28,0.3,15,50,F,',
        'by_age_and_sex,2022-01-01,2022-01-31,0.2,20,100,F,0-19',
        'overall,2022-01-01,2022-01-31,1.2,60,50,,',
        'overall,2022-02-01,2022-02-28,,,55,,',
        '',
      ].join('\n'),
    );
  });

  it('puts extra value columns (intervals, standardised rates) right after denominator, in their fixed order, empty where a measure has none', () => {
    const withInterval: MeasureTable = {
      ...BY_SEX,
      extraColumns: ['lower', 'upper'],
      dates: [{ date: '2022-01-01', rows: [row(['F'], '10', '40', '0.25', ['0.14', '0.4'])] }],
    };
    const standardised: MeasureTable = { ...OVERALL, extraColumns: ['standardised_value'], dates: [{ date: '2022-01-01', rows: [row([], '60', '50', '1.2', ['1.1'])] }] };
    expect(ehrqlMeasuresFile([standardised, withInterval], 'out').content).toBe(
      [
        'measure,interval_start,interval_end,ratio,numerator,denominator,lower,upper,standardised_value,sex',
        'overall,2022-01-01,2022-01-01,1.2,60,50,,,1.1,',
        'by_sex,2022-01-01,2022-01-01,0.25,10,40,0.14,0.4,,F',
        '',
      ].join('\n'),
    );
  });

  it('quotes cells as CSV needs: a group value with a comma, a quote or a newline', () => {
    const table: MeasureTable = { ...BY_SEX, dates: [{ date: '2022-01-01', rows: [row(['North, East'], '10', '40', '0.25'), row(['say "hi"\nthere'], '10', '40', '0.25')] }] };
    expect(ehrqlMeasuresFile([table], 'out').content).toBe(
      'measure,interval_start,interval_end,ratio,numerator,denominator,sex\nby_sex,2022-01-01,2022-01-01,0.25,10,40,"North, East"\nby_sex,2022-01-01,2022-01-01,0.25,10,40,"say ""hi""\nthere"\n',
    );
  });
});

describe('intervalEnds(dates): the day before the next date; the last interval as long as the one before', () => {
  it('ends monthly intervals on the last day of each month, the last one too', () => {
    expect(intervalEnds(['2020-12-01', '2021-01-01', '2021-02-01', '2021-03-01'])).toEqual(['2020-12-31', '2021-01-31', '2021-02-28', '2021-03-31']);
    expect(intervalEnds(['2020-01-01', '2020-02-01'])).toEqual(['2020-01-31', '2020-02-29']);
  });

  it('keeps whole months for a series starting mid-month, and for quarters', () => {
    expect(intervalEnds(['2020-01-15', '2020-02-15'])).toEqual(['2020-02-14', '2020-03-14']);
    expect(intervalEnds(['2020-01-01', '2020-04-01'])).toEqual(['2020-03-31', '2020-06-30']);
  });

  it('ends weekly intervals 6 days after they start, the last one too', () => {
    expect(intervalEnds(['2020-01-06', '2020-01-13', '2020-01-20'])).toEqual(['2020-01-12', '2020-01-19', '2020-01-26']);
  });

  it('gives a single date an interval of one day', () => {
    expect(intervalEnds(['2020-01-01'])).toEqual(['2020-01-01']);
    expect(intervalEnds([])).toEqual([]);
  });

  it('counts days when the step is not whole months', () => {
    expect(intervalEnds(['2020-01-01', '2020-01-11', '2020-02-01'])).toEqual(['2020-01-10', '2020-01-31', '2020-02-21']);
  });
});

// The example of ehrQL's documentation ("Writing measure outputs to separate files"), with two
// measures: each uses one of the two group columns and leaves the other empty.
const DOCUMENTED =
  'measure,interval_start,interval_end,ratio,numerator,denominator,sex,age_band\n' +
  'atorva_80,2022-01-01,2022-01-31,0.23,4,17,male,\n' +
  'atorva_80,2022-01-01,2022-01-31,0.08,1,12,female,\n' +
  'atorva_80_by_age,2022-01-01,2022-01-31,0.15,3,19,,0-19\n' +
  'atorva_80_by_age,2022-01-01,2022-01-31,0,0,3,,40-59\n';

describe('readEhrqlMeasures(path): one series per measure', () => {
  it('reads the documented layout: id from measure, date from interval_start, group columns those non-empty for the measure', async () => {
    const dir = tempDir({ 'measures.csv': DOCUMENTED });
    const path = join(dir, 'measures.csv');
    expect(await readEhrqlMeasures(path)).toEqual([
      {
        id: 'atorva_80',
        path,
        groupColumns: ['sex'],
        numerator: 'numerator',
        denominator: 'denominator',
        extraColumns: [],
        points: [
          { group: ['male'], date: '2022-01-01', value: 0.23, numerator: '4', denominator: '17', extras: [], line: 2 },
          { group: ['female'], date: '2022-01-01', value: 0.08, numerator: '1', denominator: '12', extras: [], line: 3 },
        ],
      },
      {
        id: 'atorva_80_by_age',
        path,
        groupColumns: ['age_band'],
        numerator: 'numerator',
        denominator: 'denominator',
        extraColumns: [],
        points: [
          { group: ['0-19'], date: '2022-01-01', value: 0.15, numerator: '3', denominator: '19', extras: [], line: 4 },
          { group: ['40-59'], date: '2022-01-01', value: 0, numerator: '0', denominator: '3', extras: [], line: 5 },
        ],
      },
    ]);
  });

  it('reads back what the writer wrote, each measure with the extra value columns non-empty for it', async () => {
    const withInterval: MeasureTable = { ...BY_SEX, extraColumns: ['lower', 'upper'], dates: [{ date: '2022-01-01', rows: [row(['F'], '10', '40', '0.25', ['0.14', '0.4'])] }] };
    const dir = tempDir({ 'measures.csv': ehrqlMeasuresFile([withInterval, OVERALL], '.').content });
    const series = await readEhrqlMeasures(join(dir, 'measures.csv'));
    expect(series.map((s) => [s.id, s.groupColumns, s.extraColumns, s.points.map((p) => [p.group, p.date, p.value, p.numerator, p.denominator, p.extras])])).toEqual([
      ['by_sex', ['sex'], ['lower', 'upper'], [[['F'], '2022-01-01', 0.25, '10', '40', ['0.14', '0.4']]]],
      // The file has lower and upper for every measure; this one leaves them empty, so it has none.
      ['overall', [], [], [[[], '2022-01-01', 1.2, '60', '50', []], [[], '2022-02-01', null, '', '55', []]]],
    ]);
  });

  it('names the file, line and column of a bad measure name, date or ratio', async () => {
    const header = 'measure,interval_start,interval_end,ratio,numerator,denominator,sex\n';
    const cases: Array<[string, string]> = [
      ['bad-name,2022-01-01,2022-01-31,0.5,1,2,F\n', 'line 2, column "measure": "bad-name" is not a measure name'],
      ['m,2022-02-30,2022-03-01,0.5,1,2,F\n', 'line 2, column "interval_start": "2022-02-30" is not a date (expected YYYY-MM-DD)'],
      ['m,2022-01-01,2022-01-31,half,1,2,F\n', 'line 2, column "ratio": "half" is not a number'],
    ];
    for (const [line, message] of cases) {
      const dir = tempDir({ 'measures.csv': header + line });
      expect((await userError(readEhrqlMeasures(join(dir, 'measures.csv')))).message).toContain(`measures.csv, ${message}`);
    }
  });
});
