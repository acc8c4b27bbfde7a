import { describe as group, expect, it } from 'vitest';
import { join } from 'node:path';
import { runDescribe } from '../../src/describe/describe.js';
import { runMeasures } from '../../src/measures/run-measures.js';
import { checkPaths } from '../../src/release/check/check-paths.js';
import { readText, tempDir, userError } from '../helpers.js';

const COHORT = 'patient_id,sex\n1,F\n';

// Wilson's limits of 10/100 and 20/100, and Byar's of 10/100, as measures writes them.
const WILSON = {
  'measure_rate.csv':
    'region,flag,population,value,lower,upper,date\n' +
    'London,10,100,0.1,0.0552291370606751,0.17436566150491345,2020-01-01\n' +
    'Isles,0,0,,,,2020-01-01\n' +
    'London,20,100,0.2,0.1333669333310325,0.28882916559315885,2020-02-01\n' +
    'Isles,20,40,0.5,0.35199526933465386,0.6480047306653461,2020-02-01\n',
};
const BYAR = 'events,population,value,lower,upper,date\n10,100,0.1,0.04787449913967565,0.18391458605756472,2020-01-01\n';

async function describeFiles(measures: Record<string, string>, notForRelease = false, config?: object) {
  const files: Record<string, string> = { 'in/input_2020-01-01.csv': COHORT };
  for (const [name, content] of Object.entries(measures)) files[`m/${name}`] = content;
  if (config !== undefined) files['config.json'] = JSON.stringify(config);
  const dir = tempDir(files);
  const graphs = join(dir, 'g');
  const summary = await runDescribe({
    cohort: join(dir, 'in/*.csv'),
    measures: join(dir, 'm/measure_*.csv'),
    tablesDir: join(dir, 't'),
    graphsDir: graphs,
    ...(config === undefined ? {} : { config: join(dir, 'config.json') }),
    jobs: 1,
    progress: false,
    notForRelease,
  });
  const spec = (id: string) => JSON.parse(readText(join(graphs, `${id}.vl.json`)));
  return { dir, summary, spec, graph: (name: string) => readText(join(graphs, name)) };
}

group('describe: 95% intervals as bands', () => {
  it('draws the interval as a band beneath each line, from the released counts (the spec matches its golden file)', async () => {
    const { spec, graph } = await describeFiles(WILSON);
    await expect(graph('rate.vl.json')).toMatchFileSnapshot('./__snapshots__/rate_with_interval.vl.json');
    const chart = spec('rate');
    expect(chart.layer[0]).toEqual({ mark: { type: 'area', opacity: 0.2 }, encoding: { y: { field: 'yLower', type: 'quantitative' }, y2: { field: 'yUpper' } } });
    expect(chart.layer[1].mark.type).toBe('line');
    expect(chart.title.subtitle).toBe('flag per population, by region; shaded: 95% interval');
    expect(chart.data.values.map((d: { lower: number | null; upper: number | null }) => [d.lower, d.upper])).toEqual([
      [0.0552291370606751, 0.17436566150491345],
      [null, null],
      [0.1333669333310325, 0.28882916559315885],
      [0.35199526933465386, 0.6480047306653461],
    ]);
    expect(chart.data.values[0].label).toBe('London, January 2020: 10.00% (95% interval 5.52% to 17.44%)');
    expect(graph('rate.html')).toContain('<td>10</td><td>100</td><td>10.00% <span class="interval">(5.52% to 17.44%)</span></td>');
    expect(graph('rate.html')).toContain('the released counts and value by region, with its 95% interval in brackets, from measure_rate.csv;');
    expect(graph('dashboard.html')).toContain('<td>10.00% <span class="interval">(5.52% to 17.44%)</span></td>');
    expect(graph('dashboard.html')).toContain('value (%) by region, with its 95% interval in brackets;');
    expect(graph('rate.html')).toMatch(/aria-roledescription="area mark"/);
  });

  it('scales the band with the line on the chart\'s y scale ("per_1000"), in the tooltip and the tables too', async () => {
    const { spec, graph } = await describeFiles(WILSON, false, { charts: { rate: { y: 'per_1000' } } });
    const chart = spec('rate');
    expect(chart.encoding.y.field).toBe('y');
    expect(chart.layer[0].encoding).toEqual({ y: { field: 'yLower', type: 'quantitative' }, y2: { field: 'yUpper' } });
    const [london] = chart.data.values;
    expect([london.y, london.yLower, london.yUpper]).toEqual([0.1 * 1000, 0.0552291370606751 * 1000, 0.17436566150491345 * 1000]);
    expect([london.value, london.lower, london.upper]).toEqual([0.1, 0.0552291370606751, 0.17436566150491345]);
    expect(london.label).toBe('London, January 2020: 100.00 (95% interval 55.23 to 174.37)');
    expect(graph('rate.html')).toContain('<td>10</td><td>100</td><td>100.00 <span class="interval">(55.23 to 174.37)</span></td>');
    expect(graph('dashboard.html')).toContain('value (per 1,000) by region, with its 95% interval in brackets;');
  });

  it("recognises Byar's interval of a rate of events", async () => {
    const { spec } = await describeFiles({ 'measure_events.csv': BYAR });
    const [point] = spec('events').data.values;
    expect([point.lower, point.upper]).toEqual([0.04787449913967565, 0.18391458605756472]);
  });

  it('refuses limits that are not the interval of the released counts, naming file, line and column; --not-for-release draws them as written', async () => {
    // Limits of 12 / 103 (raw counts), beside counts released as 10 / 105.
    const raw = 'flag,population,value,lower,upper,date\n10,105,0.09523809523809523,0.0525563098634332,0.1664912762220367,2020-01-01\n20,100,0.2,0.07,0.19,2020-02-01\n';
    const error = await userError(describeFiles({ 'measure_raw.csv': raw }));
    expect(error.message).toMatch(/m\/measure_raw\.csv, line 3, column "lower": lower and upper are not the 95% interval \(Wilson's or Byar's\) of the released numerator and denominator/);
    const { spec } = await describeFiles({ 'measure_raw.csv': raw }, true);
    expect(spec('raw').data.values.map((d: { lower: number }) => d.lower)).toEqual([0.0525563098634332, 0.07]);
  });

  it('takes the band into the y range a dashboard row shares', async () => {
    const { spec } = await describeFiles({ 'measure_events.csv': BYAR });
    expect(spec('events').encoding.y.scale).toEqual({ zero: true });
    const files: Record<string, string> = { 'in/input_2020-01-01.csv': COHORT, 'm/measure_events.csv': BYAR, 'm/measure_other.csv': 'flag,population,value,date\n10,100,0.1,2020-01-01\n' };
    files['c.json'] = JSON.stringify({ dashboard: { rows: [{ charts: ['events', 'other'] }] } });
    const dir = tempDir(files);
    await runDescribe({ cohort: join(dir, 'in/*.csv'), measures: join(dir, 'm/measure_*.csv'), tablesDir: join(dir, 't'), graphsDir: join(dir, 'g'), config: join(dir, 'c.json'), jobs: 1, progress: false });
    const other = JSON.parse(readText(join(dir, 'g/other.vl.json')));
    expect(other.encoding.y.scale.domain).toEqual([0, 0.18391458605756472]);
  });
});

group('describe: standardised measures', () => {
  const STANDARDISED =
    'g,flag,population,value,standardised_value,standardised_lower,standardised_upper,date\n' +
    'A,20,100,0.2,0.25,0.15,0.4,2020-01-01\n' +
    // Under 10 events after release: the standardised rate is blank, a gap.
    'B,10,40,0.25,,,,2020-01-01\n' +
    // No value from the released counts: nothing is charted, whatever the file says.
    'C,0,0,,0.3,0.1,0.5,2020-01-01\n' +
    'C,10,100,0.1,0.12,0.05,0.2,2020-02-01\n';

  it('charts the standardised rate with its band, says so in the subtitle, and leaves a gap where the value is blank', async () => {
    const { spec, graph } = await describeFiles({ 'measure_std.csv': STANDARDISED });
    const chart = spec('std');
    expect(chart.title.subtitle).toBe('flag per population, by g; directly standardised rate; shaded: 95% interval');
    expect(chart.data.values.map((d: { group: string; value: number | null; lower: number | null; upper: number | null }) => [d.group, d.value, d.lower, d.upper])).toEqual([
      ['A', 0.25, 0.15, 0.4],
      ['B', null, null, null],
      ['C', null, null, null],
      ['C', 0.12, 0.05, 0.2],
    ]);
    expect(graph('dashboard.html')).toContain('directly standardised rate (%) by g, with its 95% interval in brackets');
    expect(graph('std.html')).toContain('the released counts and directly standardised rate by g, with its 95% interval in brackets');
    expect(graph('std.html')).toContain('<th scope="col">Directly standardised rate (%)</th>');
    expect(graph('std.html')).toContain('Drawn: the directly standardised rate');
  });

  it('refuses a standardised cell that is not a number, naming file, line and column', async () => {
    const error = await userError(describeFiles({ 'measure_std.csv': 'flag,population,value,standardised_value,standardised_lower,standardised_upper,date\n20,100,0.2,high,0.1,0.3,2020-01-01\n' }));
    expect(error.message).toMatch(/m\/measure_std\.csv, line 2, column "standardised_value": "high" is not a number/);
  });
});

group('measures, describe and check end to end with intervals and standardisation', () => {
  it('charts what measures wrote, in both panels, and every output passes analyse check', async () => {
    const rows = (age: number, band: string, flags: number, others: number) => `${age},${band},1\n`.repeat(flags) + `${age},${band},0\n`.repeat(others);
    const cohort = `age,ageband,flag\n${rows(67, '65-74', 12, 40)}${rows(78, '75-79', 9, 30)}${rows(91, '90+', 15, 15)}`;
    const dir = tempDir({
      'in/input_2020-01-01.csv': cohort,
      'in/input_2020-02-01.csv': cohort,
      'defs.json': JSON.stringify({
        confidence_interval: true,
        measures: [
          { id: 'crude', numerator: 'flag', denominator: 'population' },
          { id: 'std_age', numerator: 'flag', denominator: 'population', standardise: { by: 'age', weights: 'esp2013' } },
          { id: 'std_band', numerator: 'flag', denominator: 'population', standardise: { by: 'ageband', weights: { '65-74': 10500, '75-79': 4000, '90+': 1000 } } },
        ],
      }),
    });
    await runMeasures({ definitions: join(dir, 'defs.json'), cohort: join(dir, 'in/input_*.csv'), outputDir: join(dir, 'm'), jobs: 1, progress: false });
    await runDescribe({ cohort: join(dir, 'in/*.csv'), measures: join(dir, 'm/measure_*.csv'), tablesDir: join(dir, 't'), graphsDir: join(dir, 'g'), jobs: 1, progress: false });
    const spec = (id: string) => JSON.parse(readText(join(dir, 'g', `${id}.vl.json`)));
    // Bands released: 10 of 50, 10 of 40, 15 of 30; with ESP 2013 weights over 65-74 and 75-79 in
    // whole years: 65-69 (5500) and 75-79 (4000) and 90-94 (800), the same bands as weighted here.
    const byBand = (10500 * (10 / 50) + 4000 * (10 / 40) + 1000 * (15 / 30)) / 15500;
    const byAge = (5500 * (10 / 50) + 4000 * (10 / 40) + 800 * (15 / 30)) / 10300;
    expect(spec('std_band').data.values[0].value).toBeCloseTo(byBand, 15);
    expect(spec('std_age').data.values[0].value).toBeCloseTo(byAge, 15);
    expect(spec('crude').data.values[0].value).toBeCloseTo(35 / 120, 15);
    for (const id of ['crude', 'std_age', 'std_band']) expect(spec(id).layer[0].mark.type).toBe('area');
    const report = await checkPaths([join(dir, 'm'), join(dir, 'g'), join(dir, 't')], { rule: 'round' });
    expect(report.files.flatMap((f) => f.problems)).toEqual([]);
  });
});
