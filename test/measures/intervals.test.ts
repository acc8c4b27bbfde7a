import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runMeasures } from '../../src/measures/run-measures.js';
import { planMeasures } from '../../src/measures/plan.js';
import { checkDefinitions } from '../../src/measures/definitions.js';
import { listFiles, readText, tempDir, userError } from '../helpers.js';

type Definitions = Record<string, unknown> & { measures: Array<Record<string, unknown>> };

async function measure(files: Record<string, string>, definitions: Definitions) {
  const dir = tempDir({ ...files, 'defs.json': JSON.stringify(definitions) });
  await runMeasures({ definitions: join(dir, 'defs.json'), cohort: join(dir, 'input_*.csv'), outputDir: join(dir, 'out'), jobs: 1, progress: false });
  return Object.fromEntries(listFiles(join(dir, 'out')).map((name) => [name, readText(join(dir, 'out', name))]));
}

/** `line` `n` times, each ending in a newline. */
function times(n: number, line: string): string {
  return `${line}\n`.repeat(n);
}

/** A CSV's rows as maps of column to cell. */
function table(csv: string): Array<Map<string, string>> {
  const [header, ...rows] = csv.trimEnd().split('\n').map((line) => line.split(','));
  return rows.map((row) => new Map(header!.map((name, i) => [name, row[i]!])));
}

/** The number in a cell, to compare with a value worked out elsewhere. */
function num(cell: string | undefined): number {
  expect(cell).toMatch(/^[0-9.e-]+$/);
  return Number(cell);
}

const raw = { disclosure_control: 'none', min_group_size: 0 };

describe('measures with confidence_interval', () => {
  it('adds lower and upper after value: Wilson for a 0/1 flag numerator, Byar for a count numerator', async () => {
    const outputs = await measure(
      { 'input_2020-01-01.csv': 'g,flag,events\na,1,2\na,1,0\na,0,3\na,1,2\nb,0,0\nb,1,0\n' },
      {
        ...raw,
        confidence_interval: true,
        measures: [
          { id: 'flags', numerator: 'flag', denominator: 'population', group_by: 'g' },
          { id: 'events', numerator: 'events', denominator: 'population', group_by: 'g' },
        ],
      },
    );
    expect(outputs['measure_flags_2020-01-01.csv']!.split('\n')[0]).toBe('g,flag,population,value,lower,upper');
    expect(outputs['measure_flags.csv']!.split('\n')[0]).toBe('g,flag,population,value,lower,upper,date');
    const [a, b] = table(outputs['measure_flags.csv']!);
    // Wilson for 3 / 4 and 1 / 2, worked out independently (Python, z = 1.959963984540054).
    expect([num(a!.get('lower')), num(a!.get('upper'))]).toEqual([expect.closeTo(0.30064184258240184, 14), expect.closeTo(0.9544127391902995, 14)]);
    expect([num(b!.get('lower')), num(b!.get('upper'))]).toEqual([expect.closeTo(0.09453120573423074, 14), expect.closeTo(0.9054687942657693, 14)]);
    expect(a!.get('date')).toBe('2020-01-01');
    // Byar for 7 events among 4 patients: (2.8044… to 14.4232…) / 4.
    const [events] = table(outputs['measure_events.csv']!);
    expect(events!.get('value')).toBe('1.75');
    expect(num(events!.get('lower'))).toBeCloseTo(2.804430685075066 / 4, 14);
    expect(num(events!.get('upper'))).toBeCloseTo(14.423262559939054 / 4, 14);
  });

  it('uses Wilson for a population numerator, and decides "flag" from every value of every file', async () => {
    const outputs = await measure(
      {
        'input_2020-01-01.csv': 'flag,den\n1,1\n1,1\n0,1\n',
        // One value of 2 on another date makes the column a count, so Byar's interval on every date.
        'input_2020-02-01.csv': 'flag,den\n2,1\n0,1\n0,1\n',
      },
      {
        ...raw,
        measures: [
          { id: 'm', numerator: 'flag', denominator: 'population', confidence_interval: true },
          { id: 'p', numerator: 'population', denominator: 'den', confidence_interval: true },
        ],
      },
    );
    const [january] = table(outputs['measure_m.csv']!);
    expect(january!.get('value')).toBe('0.6666666666666666');
    // Byar for 2 events among 3: 0.2246… / 3 to 7.2209… / 3, not Wilson's 0.2077 to 0.9385.
    expect(num(january!.get('lower'))).toBeCloseTo(0.2246252113499827 / 3, 14);
    expect(num(january!.get('upper'))).toBeCloseTo(7.220869000857794 / 3, 14);
    const [population] = table(outputs['measure_p.csv']!);
    expect([population!.get('value'), population!.get('upper')]).toEqual(['1', '1']);
  });

  it('works the interval out from the released counts, and leaves it empty where value is', async () => {
    const outputs = await measure(
      {
        // 12 of 103 patients: released under "round" as 10 of 105. Group b has no denominator.
        'input_2020-01-01.csv': `g,flag,den\n${times(12, 'a,1,1')}${times(91, 'a,0,1')}${times(9, 'b,1,0')}`,
      },
      { min_group_size: 0, confidence_interval: true, measures: [{ id: 'm', numerator: 'flag', denominator: 'den', group_by: 'g' }] },
    );
    const [a, b] = table(outputs['measure_m_2020-01-01.csv']!);
    expect([a!.get('flag'), a!.get('den')]).toEqual(['10', '105']);
    expect(num(a!.get('lower'))).toBeCloseTo(0.0525563098634332, 14);
    expect(num(a!.get('upper'))).toBeCloseTo(0.1664912762220367, 14);
    expect([...b!.values()]).toEqual(['b', '0', '0', '', '', '']);
  });

  it('leaves the interval empty where "suppress" blanks a count', async () => {
    const outputs = await measure(
      { 'input_2020-01-01.csv': `g,flag\n${times(3, 'a,1')}${times(20, 'a,0')}${times(10, 'b,1')}${times(10, 'b,0')}` },
      { disclosure_control: 'suppress', min_group_size: 0, confidence_interval: true, measures: [{ id: 'm', numerator: 'flag', denominator: 'population', group_by: 'g' }] },
    );
    expect(outputs['measure_m_2020-01-01.csv']).toMatch(/^g,flag,population,value,lower,upper\na,,23,,,\nb,,20,,,\n$/);
  });
});

describe('measures with standardise', () => {
  const strata = `g,band,flag\n${times(4, 'A,x,1')}${times(16, 'A,x,0')}${times(9, 'A,y,1')}${times(21, 'A,y,0')}${times(1, 'B,x,1')}${times(9, 'B,x,0')}${times(2, 'B,y,1')}${times(8, 'B,y,0')}`;

  it('adds the directly standardised rate and its Dobson interval after value (after lower and upper with both), empty under 10 events', async () => {
    const outputs = await measure(
      { 'input_2020-01-01.csv': strata },
      { ...raw, measures: [{ id: 'm', numerator: 'flag', denominator: 'population', group_by: 'g', confidence_interval: true, standardise: { by: 'band', weights: { x: 1, y: 3 } } }] },
    );
    expect(outputs['measure_m.csv']!.split('\n')[0]).toBe('g,flag,population,value,lower,upper,standardised_value,standardised_lower,standardised_upper,date');
    const [a, b] = table(outputs['measure_m.csv']!);
    // A: (1 × 4/20 + 3 × 9/30) / 4 = 0.275; 13 events, Dobson with Byar's limits for 13.
    expect(num(a!.get('standardised_value'))).toBeCloseTo(0.275, 15);
    expect(num(a!.get('standardised_lower'))).toBeCloseTo(0.14158283187408835, 13);
    expect(num(a!.get('standardised_upper'))).toBeCloseTo(0.4774190051423059, 13);
    expect(num(a!.get('lower'))).toBeCloseTo(0.15871527493552393, 14);
    // B: 3 events, under 10: nothing standardised, but its crude value and interval are written.
    expect([b!.get('value'), b!.get('standardised_value'), b!.get('standardised_lower'), b!.get('standardised_upper')]).toEqual(['0.15', '', '', '']);
    expect(b!.get('lower')).not.toBe('');
  });

  it('releases each stratum count by the measure\'s rule before standardising', async () => {
    const rounded = `g,band,flag\n${times(9, 'A,x,1')}${times(14, 'A,x,0')}${times(12, 'A,y,1')}${times(19, 'A,y,0')}`;
    const outputs = await measure(
      { 'input_2020-01-01.csv': rounded },
      { min_group_size: 0, measures: [{ id: 'm', numerator: 'flag', denominator: 'population', standardise: { by: 'band', weights: { x: 1, y: 3 } } }] },
    );
    // Strata released as 10 of 25 and 10 of 30: (1 × 0.4 + 3 × 1/3) / 4 = 0.35 (raw counts would give 0.3880…).
    const [row] = table(outputs['measure_m.csv']!);
    expect([row!.get('flag'), row!.get('population'), row!.get('value')]).toEqual(['20', '55', '0.36363636363636365']);
    expect(num(row!.get('standardised_value'))).toBeCloseTo(0.35, 15);
    expect(num(row!.get('standardised_lower'))).toBeCloseTo(0.20171002296885251, 13);
    expect(num(row!.get('standardised_upper'))).toBeCloseTo(0.5573371451045157, 13);
  });

  it('with "esp2013", puts ages into their 5-year bands and sums them before the rule, weighting each band by ESP 2013', async () => {
    // Ages 66 and 68 are both 65-69 (weight 5500): 5 + 5 patients, 3 + 3 events. Released apart,
    // each 5 would round to 0; summed into the band, 10 patients and 6 events survive as 10 and 0.
    // 90 and 97 are 90-94 (800) and 95+ (200): 10 events of 20 and 10 of 10.
    const ages = `age,flag\n${times(3, '66,1')}${times(2, '66,0')}${times(3, '68,1')}${times(2, '68,0')}${times(10, '90,1')}${times(10, '90,0')}${times(10, '97,1')}`;
    const outputs = await measure({ 'input_2020-01-01.csv': ages }, { min_group_size: 0, measures: [{ id: 'm', numerator: 'flag', denominator: 'population', standardise: { by: 'age', weights: 'esp2013' } }] });
    const [row] = table(outputs['measure_m.csv']!);
    // Bands released: 65-69 0 of 10, 90-94 10 of 20, 95+ 10 of 10: (5500 × 0 + 800 × 0.5 + 200 × 1) / 6500.
    expect(num(row!.get('standardised_value'))).toBeCloseTo(600 / 6500, 15);
  });

  it('leaves out a group\'s strata shared by fewer than min_group_size rows on every date, as it leaves out groups', async () => {
    const small = `band,flag\n${times(6, 'x,1')}${times(4, 'x,0')}${times(3, 'y,1')}${times(20, 'z,1')}${times(10, 'z,0')}`;
    const definitions = (minGroupSize: number) => ({
      disclosure_control: 'none',
      min_group_size: minGroupSize,
      measures: [{ id: 'm', numerator: 'flag', denominator: 'population', standardise: { by: 'band', weights: { x: 1, y: 1, z: 1 } } }],
    });
    const [kept] = table((await measure({ 'input_2020-01-01.csv': small }, definitions(0)))['measure_m.csv']!);
    expect(num(kept!.get('standardised_value'))).toBeCloseTo((0.6 + 1 + 2 / 3) / 3, 15);
    // Stratum y (3 rows) is left out under min_group_size 8; x and z keep their own weights.
    const [left] = table((await measure({ 'input_2020-01-01.csv': small }, definitions(8)))['measure_m.csv']!);
    expect(num(left!.get('standardised_value'))).toBeCloseTo((0.6 + 2 / 3) / 2, 15);
    expect(left!.get('population')).toBe('43');
  });

  it('counts group and strata in one pass: the plan adds one grouping, the groups and the stratum column', () => {
    const { measures } = checkDefinitions(
      { measures: [{ id: 'm', numerator: 'flag', denominator: 'population', group_by: 'region', standardise: { by: 'age', weights: 'esp2013' } }] },
      'defs.json',
    );
    const plan = planMeasures(measures);
    expect(plan.groupColumns).toEqual(['region', 'age']);
    expect(plan.groupings).toEqual([[0], [0, 1]]);
    expect(plan.measures.map((m) => [m.grouping, m.strata])).toEqual([
      [0, 1],
      [1, null],
    ]);
  });
});

describe('measures with standardise: errors in the data', () => {
  async function failure(csv: string, standardise: unknown): Promise<string> {
    const dir = tempDir({ 'input_2020-01-01.csv': csv, 'defs.json': JSON.stringify({ measures: [{ id: 'm', numerator: 'flag', denominator: 'population', standardise }] }) });
    const error = await userError(runMeasures({ definitions: join(dir, 'defs.json'), cohort: join(dir, 'input_*.csv'), outputDir: join(dir, 'out'), jobs: 1, progress: false }));
    expect(listFiles(dir)).toEqual(['defs.json', 'input_2020-01-01.csv']);
    return error.message.replace(`${dir}/`, '');
  }

  it('names a level of by that has no weight, with the file, its first line and the column', async () => {
    expect(await failure('band,flag\nx,1\n"y",0\nx,1\ny,0\n', { by: 'band', weights: { x: 1 } })).toBe(
      'input_2020-01-01.csv, line 3, column "band": "y" has no weight in standardise.weights, which gives weights for "x"; give every level of "band" a weight (measure "m" is standardised over it)',
    );
  });

  it('names an age that is not a whole number with "esp2013"', async () => {
    const expected = (age: string, line: number) =>
      `input_2020-01-01.csv, line ${line}, column "age": "${age}" is not an age in whole years (such as 67), which "weights": "esp2013" needs to find its band of the 2013 European Standard Population (measure "m" is standardised over it)`;
    expect(await failure('age,flag\n70,1\n71.5,0\n', { by: 'age', weights: 'esp2013' })).toBe(expected('71.5', 3));
    expect(await failure('age,flag\n70,1\n-1,0\n', { by: 'age', weights: 'esp2013' })).toBe(expected('-1', 3));
    expect(await failure('age,flag\n70,1\n70,0\n,1\n', { by: 'age', weights: 'esp2013' })).toBe(expected('', 4));
  });

  it('names the measure using a standardise column a cohort file lacks', async () => {
    expect(await failure('agex,flag\n70,1\n', { by: 'age', weights: 'esp2013' })).toBe('input_2020-01-01.csv, line 1: has no column "age", which measure "m" uses; its columns are "agex" and "flag"');
  });
});
