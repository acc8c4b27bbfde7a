import { describe as group, expect, it } from 'vitest';
import { join } from 'node:path';
import { runDescribe, type DescribeOptions } from '../../src/describe/describe.js';
import { listFiles, readText, snapshot, tempDir, userError } from '../helpers.js';

const COHORT = 'patient_id,sex\n1,F\n';

const MEASURES = {
  // Grouped by care home type, one value blank (suppressed), one group missing a month.
  'measure_ad_prescribing_rate_all.csv':
    'care_home_type,antidepressent_ssri,population,value,date\n' +
    'PC,20,100,0.2,2019-03-01\nPN,30,120,0.25,2019-03-01\nU,0,40,0,2019-03-01\n' +
    'PC,25,100,0.25,2019-04-01\nPN,,125,,2019-04-01\nU,10,40,0.25,2019-04-01\n' +
    'PC,30,100,0.3,2019-05-01\nPN,40,125,0.32,2019-05-01\n',
  'measure_control_ad_prescribing_rate_all.csv':
    'care_home_type,antidepressent_ssri,population,value,date\n' +
    'NC,50,1000,0.05,2019-03-01\nU,10,100,0.1,2019-03-01\nNC,60,1000,0.06,2019-04-01\nU,15,100,0.15,2019-04-01\nNC,70,1000,0.07,2019-05-01\nU,20,100,0.2,2019-05-01\n',
  // The whole population, weekly, rounded ("round"): the 0 of the first week stands for 0 to 7.
  'measure_population_weekly.csv': 'ap_new_initiation,population,value,date\n0,1000,0,2020-01-06\n15,1000,0.015,2020-01-13\n20,1000,0.02,2020-01-20\n',
  // Two group columns, one group value empty.
  'measure_ap_by_region_sex.csv':
    'region,sex,antipsychotics_prescribing,population,value,date\n' +
    'London,F,10,100,0.1,2019-03-01\nLondon,M,20,100,0.2,2019-03-01\n"Yorkshire and the Humber",,30,100,0.3,2019-03-01\n' +
    'London,F,15,100,0.15,2019-04-01\nLondon,M,25,100,0.25,2019-04-01\n"Yorkshire and the Humber",,35,100,0.35,2019-04-01\n',
  // Per-date files are not charted.
  'measure_ad_prescribing_rate_all_2019-03-01.csv': 'care_home_type,antidepressent_ssri,population,value\nPC,20,100,0.2\n',
};

const CONFIG = {
  charts: { ad_prescribing_rate_all: { title: 'Care homes: antidepressants', y_title: 'Patients prescribed (%)' } },
  dashboard: { title: 'Study dashboard', columns: ['Care homes', 'Control'], rows: [{ title: 'Antidepressants', charts: ['ad_prescribing_rate_all', 'control_ad_prescribing_rate_all'] }] },
};

async function run(measures: Record<string, string>, config?: unknown, extra: Partial<DescribeOptions> = {}) {
  const files: Record<string, string> = { 'in/input_2020-01-01.csv': COHORT };
  for (const [name, content] of Object.entries(measures)) files[`m/${name}`] = content;
  if (config !== undefined) files['c.json'] = JSON.stringify(config);
  const dir = tempDir(files);
  const summary = await runDescribe({
    cohort: join(dir, 'in/*.csv'),
    measures: join(dir, 'm/measure_*.csv'),
    tablesDir: join(dir, 'tables'),
    graphsDir: join(dir, 'graphs'),
    config: config === undefined ? undefined : join(dir, 'c.json'),
    jobs: 1,
    progress: false,
    ...extra,
  });
  return { dir, summary, graph: (name: string) => readText(join(dir, 'graphs', name)) };
}

group('describe: graphs', () => {
  it('writes a page, a Vega-Lite spec and a standalone SVG per combined measure file, and the dashboard (specs and SVGs match the golden files)', async () => {
    const { dir, summary, graph } = await run(MEASURES, CONFIG);
    expect(listFiles(join(dir, 'graphs'))).toEqual([
      'ad_prescribing_rate_all.html',
      'ad_prescribing_rate_all.svg',
      'ad_prescribing_rate_all.vl.json',
      'ap_by_region_sex.html',
      'ap_by_region_sex.svg',
      'ap_by_region_sex.vl.json',
      'control_ad_prescribing_rate_all.html',
      'control_ad_prescribing_rate_all.svg',
      'control_ad_prescribing_rate_all.vl.json',
      'dashboard.html',
      'population_weekly.html',
      'population_weekly.svg',
      'population_weekly.vl.json',
    ]);
    expect(summary.charts).toBe(4);
    expect(summary.warnings).toEqual([]);
    for (const id of ['ad_prescribing_rate_all', 'control_ad_prescribing_rate_all', 'population_weekly', 'ap_by_region_sex']) {
      await expect(graph(`${id}.vl.json`)).toMatchFileSnapshot(`./__snapshots__/${id}.vl.json`);
    }
    for (const id of ['ad_prescribing_rate_all', 'population_weekly', 'ap_by_region_sex']) {
      await expect(graph(`${id}.svg`)).toMatchFileSnapshot(`./__snapshots__/${id}.svg`);
    }
  });

  it('writes each chart as a standalone SVG document: the page\'s own rendering, text as text, nothing loaded from outside', async () => {
    const { graph } = await run(MEASURES);
    const svg = graph('ad_prescribing_rate_all.svg');
    const inPage = /<svg [\s\S]*<\/svg>/.exec(graph('ad_prescribing_rate_all.html'))![0];
    expect(svg).toBe(`<?xml version="1.0" encoding="UTF-8"?>\n${inPage}\n`);
    expect(svg).toMatch(/^<\?xml[^>]*>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toMatch(/<text[^>]*>Ad prescribing rate all<\/text>/);
    expect(svg).not.toMatch(/<(image|use|script|foreignObject)\b|href=|url\(|@import/);
  });

  it('draws one line per group as inline SVG; the dashboard tables values, the page counts too', async () => {
    const { graph } = await run(MEASURES);
    const page = graph('ad_prescribing_rate_all.html');
    expect(page.match(/<svg /g)).toHaveLength(1);
    expect(page.match(/aria-roledescription="line mark"/g)).toHaveLength(3);
    expect(page).toContain('<title>PC, March 2019: 20.00%</title>');
    expect(page).toContain(
      '<thead><tr><th scope="col">Date</th><th scope="col">care_home_type</th><th scope="col">antidepressent_ssri</th><th scope="col">population</th><th scope="col">Value (%)</th></tr></thead>',
    );
    expect(page).toContain(
      [
        '<tr><th scope="row">2019-04-01</th><td class="group">PC</td><td>25</td><td>100</td><td>25.00%</td></tr>',
        '<tr><th scope="row">2019-04-01</th><td class="group">PN</td><td></td><td>125</td><td></td></tr>',
        '<tr><th scope="row">2019-04-01</th><td class="group">U</td><td>10</td><td>40</td><td>25.00%</td></tr>',
      ].join('\n'),
    );
    expect(page).toContain('<p class="lead">Measure <code>ad_prescribing_rate_all</code>, drawn from <code>measure_ad_prescribing_rate_all.csv</code>.');
    const dashboard = graph('dashboard.html');
    expect(dashboard).toContain('<tr><th scope="col">Date</th><th scope="col">PC</th><th scope="col">PN</th><th scope="col">U</th></tr>');
    expect(dashboard).toContain('<tr><th scope="row">2019-04-01</th><td>25.00%</td><td></td><td>25.00%</td></tr>');
    expect(dashboard).toContain('<tr><th scope="row">2019-05-01</th><td>30.00%</td><td>32.00%</td><td></td></tr>');
    expect(dashboard).toContain('<figcaption>Measure <a href="ad_prescribing_rate_all.html"><code>ad_prescribing_rate_all</code></a>, from <code>measure_ad_prescribing_rate_all.csv</code></figcaption>');
    expect(graph('ap_by_region_sex.html')).toContain('<td class="group">Yorkshire and the Humber, (missing)</td>');
  });

  it('lays out the dashboard as configured: column headings, a row per entry, unplaced charts after', async () => {
    const { graph } = await run(MEASURES, CONFIG);
    const dashboard = graph('dashboard.html');
    expect(dashboard).toContain('<title>Study dashboard</title>');
    expect(dashboard).toContain('<div class="column-heading">Care homes</div><div class="column-heading">Control</div>');
    const order = ['chart-ad_prescribing_rate_all', 'chart-control_ad_prescribing_rate_all', 'Other charts', 'chart-ap_by_region_sex', 'chart-population_weekly'].map((s) => dashboard.indexOf(s));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(dashboard.match(/<svg /g)).toHaveLength(4);
    expect(dashboard).toContain('<a href="ad_prescribing_rate_all.html">');
  });

  it('shares the y scale and group colours within a dashboard row', async () => {
    const { graph } = await run(MEASURES, CONFIG);
    const left = JSON.parse(graph('ad_prescribing_rate_all.vl.json'));
    const right = JSON.parse(graph('control_ad_prescribing_rate_all.vl.json'));
    expect(left.encoding.y.scale.domain).toEqual([0, 0.32]);
    expect(right.encoding.y.scale.domain).toEqual([0, 0.32]);
    expect(right.encoding.color.scale.domain).toEqual(['PC', 'PN', 'U', 'NC']);
    expect(right.encoding.color.legend.values).toEqual(['NC', 'U']);
    const { graph: alone } = await run(MEASURES);
    expect(JSON.parse(alone('control_ad_prescribing_rate_all.vl.json')).encoding.y.scale).toEqual({ zero: true });
  });

  it('leaves out groups with no denominator above 0 on any date, counting them without naming them, and says when nothing is left', async () => {
    const { summary, graph } = await run({ 'measure_x.csv': 'g,n,population,value,date\na,,,,2020-01-01\na,,,,2020-02-01\nb107,0,0,,2020-01-01\n' });
    expect(summary.warnings).toEqual([expect.stringMatching(/measure_x\.csv: 2 groups with no denominator above 0 on any date left out of the chart$/)]);
    expect(graph('x.html')).toContain('<svg');
    expect(graph('x.html')).toContain('<p class="note">Nothing to chart: the measure file has no rows, or no group with a denominator above 0');
    for (const name of ['x.html', 'x.vl.json', 'dashboard.html']) expect(graph(name)).not.toContain('b107');
    expect(JSON.parse(graph('x.vl.json')).encoding.y.scale.domain).toEqual([0, 1]);
  });

  it('charts groups, group columns, titles and legends named after Object properties ("constructor", "toString")', async () => {
    const measures = {
      'measure_a.csv': 'constructor,n,population,value,date\nvalueOf,10,20,0.5,2020-01-01\nhasOwnProperty,10,40,0.25,2020-01-01\n',
      'measure_b.csv': 'constructor,n,population,value,date\nvalueOf,10,20,0.5,2020-01-01\n',
    };
    // In one row, b's legend lists only its own group, valueOf, among the colours it shares with a.
    const config = { charts: { a: { title: 'toString', y_title: '__proto__' } }, dashboard: { rows: [{ charts: ['a', 'b'] }] } };
    const { graph } = await run(measures, config);
    const svg = (page: string) => graph(page).match(/<svg[\s\S]*?<\/svg>/)![0];
    expect(svg('a.html')).toContain(`aria-label="Symbol legend titled 'constructor' for fill color and stroke color with 2 values: valueOf, hasOwnProperty"`);
    expect(svg('a.html')).toContain(`aria-label="Title text 'toString'"`);
    expect(svg('a.html')).toContain(`aria-label="Y-axis titled '__proto__'`);
    expect(svg('b.html')).toContain(`aria-label="Symbol legend titled 'constructor'`);
    const legendLabels = [...svg('b.html').matchAll(/role-legend-label"[^>]*><text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(legendLabels).toEqual(['valueOf']);
  });

  it('says so on a page for a measure file with no rows (every group left out by min_group_size)', async () => {
    const { summary, graph } = await run({ 'measure_x.csv': 'g,n,population,value,date\n' });
    expect(summary.warnings).toEqual([]);
    expect(graph('x.html')).toContain('<p class="note">Nothing to chart: the measure file has no rows');
  });

  it('draws a measure whose released numerators are all 0 as hollow points only, without a warning from Vega', async () => {
    const { summary, graph } = await run({ 'measure_x.csv': 'g,n,population,value,date\na,0,100,0,2020-01-01\nb,0,40,0,2020-01-01\na,0,100,0,2020-02-01\n' });
    expect(summary.warnings).toEqual([]);
    const spec = JSON.parse(graph('x.vl.json'));
    expect(spec.layer.map((layer: { mark: { type: string; filled?: boolean } }) => [layer.mark.type, layer.mark.filled])).toEqual([['line', undefined], ['point', false]]);
  });

  it('escapes every string from the data and the config', async () => {
    const attack = '<script>alert(1)</script>';
    const measures = {
      'measure_x.csv': `"${attack}",n&d,population,value,date\n"${attack}",10,100,0.1,2020-01-01\n"<img src=x onerror=alert(2)>",10,100,0.1,2020-01-01\n`,
    };
    const config = { charts: { x: { title: '<b>"Title" & </b>', y_title: '<iframe src="https://example.com">' } }, dashboard: { title: '<style>*{}</style>', columns: ['<i>col</i>'], rows: [{ title: '<u>row</u>', charts: ['x'] }] } };
    const { graph } = await run(measures, config);
    for (const page of [graph('x.html'), graph('dashboard.html')]) {
      expect(page).not.toMatch(/<(script|img|iframe|b|i|u)[\s>]/);
      expect(page.match(/<style>/g)).toHaveLength(1);
      expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
    expect(graph('dashboard.html')).toContain('&lt;b&gt;&quot;Title&quot; &amp; &lt;/b&gt;');
    expect(graph('dashboard.html')).toContain('<div class="column-heading">&lt;i&gt;col&lt;/i&gt;</div>');
  });

  it('rejects a measure file with the wrong columns, a bad date or a bad value, naming file, line and column; writes nothing', async () => {
    const cases: Array<[string, RegExp]> = [
      [
        'sex,flag,population,value\nF,1,2,0.5\n',
        /measure_x\.csv, line 1: expected the columns of a combined measure file, <group_by\.\.\.>,<numerator>,<denominator>,value\[,lower,upper\]\[,standardised_value,standardised_lower,standardised_upper\],date \(or ehrQL's measure,interval_start,.*\); found "sex", "flag", "population" and "value"/,
      ],
      // Extra value columns come in their own order, before date.
      ['flag,population,value,upper,lower,date\n1,2,0.5,1,0,2020-01-01\n', /measure_x\.csv, line 1: expected the columns of a combined measure file/],
      ['flag,population,value,date\n1,2,0.5,2020-01-01\n1,2,0.5,2020-02-30\n', /measure_x\.csv, line 3, column "date": "2020-02-30" is not a date/],
      ['flag,population,value,date\n1,2,half,2020-01-01\n', /measure_x\.csv, line 2, column "value": "half" is not a number/],
    ];
    for (const [csv, message] of cases) {
      const dir = tempDir({ 'in/input_2020-01-01.csv': COHORT, 'm/measure_x.csv': csv });
      const before = snapshot(dir);
      const error = await userError(runDescribe({ cohort: join(dir, 'in/*.csv'), measures: join(dir, 'm/*.csv'), tablesDir: join(dir, 't'), graphsDir: join(dir, 'g'), jobs: 1, progress: false }));
      expect(error.message).toMatch(message);
      expect(snapshot(dir)).toEqual(before);
    }
  });

  it('rejects a measures glob matching only per-date files, and a measure that would overwrite the dashboard', async () => {
    const perDate = await userError(run({ 'measure_x_2020-01-01.csv': 'a,b,value\n' }));
    expect(perDate.message).toMatch(/matches only per-date measure files/);
    const dashboard = await userError(run({ 'measure_dashboard.csv': 'flag,population,value,date\n' }));
    expect(dashboard.message).toMatch(/measure id "dashboard" would overwrite dashboard\.html/);
  });
});
