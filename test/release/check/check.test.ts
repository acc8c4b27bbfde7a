import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { checkPaths } from '../../../src/release/check/check-paths.js';
import { cli, readText, tempDir } from '../../helpers.js';

const LIMIT = 16 * 1024 * 1024;
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

/** Outputs as measures, describe and other tools write them, all releasable under "round". */
const CLEAN: Record<string, string | Buffer> = {
  'measures/measure_rate.csv': 'region,flag,population,value,date\nLondon,0,120,0,2020-01-01\nNorth East,15,40,0.375,2020-01-01\nLondon,10,125,0.08,2020-02-01\n',
  'measures/measure_rate_2020-01-01.csv': 'region,flag,population,value\nLondon,0,120,0\n"North East",15,40,0.375\n',
  'measures/measure_ci.csv': 'flag,population,value,lower,upper,date\n20,100,0.2,0.13,0.29,2020-01-01\n',
  'ehrql/measures.csv':
    'measure,interval_start,interval_end,ratio,numerator,denominator,region\nrate,2020-01-01,2020-01-31,0.25,10,40,London\nrate,2020-01-01,2020-01-31,,0,0,East\n',
  'tables/descriptive_statistics_input_2020-01-01.csv':
    'variable,type,level,statistic,value\npopulation,population,,count,100\nsex,categorical,F,count,55\nsex,categorical,F,percent,55.0\nsex,categorical,,missing,\nage,numeric,,mean,80.12\nage,numeric,,median,80\n',
  'tables/descriptive_statistics_summary.csv': 'date,variable,type,level,statistic,value\n2020-01-01,population,population,,count,100\n',
  // Percentiles 1 to 9 would be small whole numbers in any other CSV: here they are percentiles, not counts.
  'graphs/deciles_table_rate.csv': 'date,percentile,value\n2020-01-01,1,0.05\n2020-01-01,5,0.0625\n2020-01-01,10,0.07\n2020-01-01,50,0.125\n2020-01-01,99,0.3\n',
  'graphs/rate.html': '<!doctype html><html><head><style>svg{display:block}</style></head><body><a href="dashboard.html">all</a><svg><path clip-path="url(#c)"/></svg></body></html>',
  'graphs/rate.vl.json': '{"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "mark": "line"}',
  'graphs/rate.svg': '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><g fill="none"><path d="M0,0L1,1"/></g></svg>',
  'graphs/rate.svgz': gzipSync('<svg xmlns="http://www.w3.org/2000/svg"><path d="M0,0"/></svg>'),
  'other/rates_by_region.csv': 'region,rate,patients\nLondon,0.125,1235\nEast,0.2,40\n',
  'other/figure.png': PNG,
  'other/notes.md': '# Notes\nRates per region.\n',
  'other/run.log': 'done\n',
};

async function check(files: Record<string, string | Buffer>, rule: 'round' | 'midpoint6' = 'round') {
  const dir = tempDir(files);
  const report = await checkPaths([dir], { rule });
  const strip = (path: string) => path.slice(dir.length + 1);
  return {
    dir,
    report,
    problems: report.files.flatMap((f) => f.problems.map((p) => `${strip(f.path)}: ${p}`)),
    warnings: report.files.flatMap((f) => f.warnings.map((w) => `${strip(f.path)}: ${w}`)),
  };
}

describe('analyse check: a corpus of folders', () => {
  it('passes clean outputs of measures, describe, ehrQL and other tools, with no warnings', async () => {
    const { report, problems, warnings } = await check(CLEAN);
    expect(problems).toEqual([]);
    expect(warnings).toEqual([]);
    expect(report.files).toHaveLength(Object.keys(CLEAN).length);
  });

  it('finds each planted problem, with its line and column', async () => {
    const planted: Record<string, string | Buffer> = {
      'a/model.rds': 'x',
      'a/README': 'x',
      'b/big.txt': 'x'.repeat(LIMIT + 1),
      'c/patients.csv': 'Patient_ID,age\n1,70\n',
      'c/long.csv': `group,rate\n${'a,0.5\n'.repeat(5001)}`,
      'd/measure_rate.csv': 'region,flag,population,value,date\nLondon,10,120,0.08333333333333333,2020-01-01\nIsles,1234,1,1234,2020-01-01\nEast,7,40,0.175,2020-01-01\n',
      'd/measures.csv': 'measure,interval_start,interval_end,ratio,numerator,denominator,region\nrate,2020-01-01,2020-01-31,0.25,10,40,London\nrate,2020-01-01,2020-01-31,1,3,3,Isles\n',
      'd/descriptive_statistics_summary.csv':
        'date,variable,type,level,statistic,value\n2020-01-01,population,population,,count,100\n2020-01-01,age,numeric,,count,12\n2020-01-01,age,numeric,,max,107\n2020-01-01,age,numeric,,missing,3\n',
      'e/chart.html': '<!doctype html>\n<html><body>\n<script src="https://cdn.plot.ly/plotly-2.js"></script>\n</body></html>',
      'e/chart.svg': '<svg xmlns="http://www.w3.org/2000/svg">\n<image href="file:///home/me/secret.png"/>\n</svg>',
      'e/chart.svgz': gzipSync('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'),
      'e/raw.vl.json': '{\n  "usermeta": {\n    "release": "NOT FOR RELEASE: counts not disclosure-controlled"\n  }\n}',
      'e/broken.csv': 'a,b\n1,2\n3\n',
      'e/records.json': '{"data": {"values": [{"patient_id": 1, "age": 107}]}}',
      'f/measure_leaky.csv': 'g,n,population,value,date\na,,100,0.03,2020-01-01\nb,10,100,0.1234,2020-01-01\nc,0,0,0.5,2020-01-01\n',
      'f/descriptive_statistics_x.csv': 'variable,type,level,statistic,value\nsex,categorical,F,count,\nsex,categorical,F,percent,3.2\nsex,categorical,M,count,\nsex,categorical,M,percent,\n',
      'g/deciles_table_rate.csv': 'date,percentile,value\n2020-01-01,0,0.01\n2020-01-01,50,0.2\n2020-01-01,100,0.9\n2020-01-01,12.5,0.3\n',
    };
    const { problems, warnings } = await check(planted);
    expect(problems).toEqual([
      'a/README: a file without an extension cannot be released (only .csv .html .json .txt .md .log .png .jpg .jpeg .svg .svgz)',
      'a/model.rds: ".rds" files cannot be released (only .csv .html .json .txt .md .log .png .jpg .jpeg .svg .svgz)',
      'b/big.txt: it is 16.00 MiB, over the 16 MiB limit',
      'c/long.csv: it has 5,001 data rows, over the 5,000-row limit',
      'c/patients.csv: line 1, column "Patient_ID": a patient_id column holds patient-level data',
      'd/descriptive_statistics_summary.csv: line 3, column "value": "12" is not a count released under "round" (0, or a multiple of 5 above 7)',
      'd/descriptive_statistics_summary.csv: line 4, column "statistic": "max" is not a statistic that may be released (count, missing, percent, mean, sd, p25, median, p75)',
      'd/descriptive_statistics_summary.csv: line 5, column "value": "3" is not a count released under "round" (0, or a multiple of 5 above 7)',
      'd/measure_rate.csv: line 3, column "flag": "1234" is not a count released under "round" (0, or a multiple of 5 above 7)',
      'd/measure_rate.csv: line 3, column "population": "1" is not a count released under "round" (0, or a multiple of 5 above 7)',
      'd/measure_rate.csv: line 4, column "flag": "7" is not a count released under "round" (0, or a multiple of 5 above 7)',
      'd/measures.csv: line 3, column "numerator": "3" is not a count released under "round" (0, or a multiple of 5 above 7)',
      'd/measures.csv: line 3, column "denominator": "3" is not a count released under "round" (0, or a multiple of 5 above 7)',
      'e/broken.csv: line 3: not a CSV file that can be checked: expected 2 fields, as in the header, but found 1 (a ragged row)',
      'e/chart.html: line 3: runs script: a <script> element: <script src="https://cdn.plot.ly/plotly-2.js">',
      'e/chart.html: line 3: loads "https://cdn.plot.ly/plotly-2.js" from outside the page (src= on <script>)',
      'e/chart.svg: line 2: loads "file:///home/me/secret.png" from outside the page (href= on <image>)',
      'e/chart.svgz: line 1: runs script: an onload= attribute on <svg>',
      'e/raw.vl.json: line 3: marked NOT FOR RELEASE',
      'e/records.json: a patient_id field holds patient-level data',
      'f/descriptive_statistics_x.csv: line 3, column "value": the percent "3.2" is given where its count is blank, so it gives the count back',
      'f/measure_leaky.csv: line 2, column "value": "0.03" is given where a count is blank or the denominator is 0, so it could give a hidden count away',
      'f/measure_leaky.csv: line 4, column "value": "0.5" is given where a count is blank or the denominator is 0, so it could give a hidden count away',
      'g/deciles_table_rate.csv: line 2, column "percentile": "0" is not a whole percentile from 1 to 99 (the 0th and 100th are the lowest and highest group\'s own value)',
      'g/deciles_table_rate.csv: line 4, column "percentile": "100" is not a whole percentile from 1 to 99 (the 0th and 100th are the lowest and highest group\'s own value)',
      'g/deciles_table_rate.csv: line 5, column "percentile": "12.5" is not a whole percentile from 1 to 99 (the 0th and 100th are the lowest and highest group\'s own value)',
    ]);
    expect(warnings).toEqual(['f/measure_leaky.csv: line 3, column "value": "0.1234" is not numerator / denominator (0.1), so it may come from counts that were not released']);
  });

  it('checks counts against --rule midpoint6: 0, or 3 more than a multiple of 6', async () => {
    const files = {
      'measure_m6.csv': 'g,n,population,value,date\na,0,99,0,2020-01-01\nb,3,9,0.3333333333333333,2020-01-01\n',
      'measure_round.csv': 'g,n,population,value,date\na,0,100,0,2020-01-01\n',
    };
    expect((await check(files, 'midpoint6')).problems).toEqual(['measure_round.csv: line 2, column "population": "100" is not a count released under "midpoint6" (0, or 3 more than a multiple of 6)']);
    expect((await check(files, 'round')).problems).toEqual([
      'measure_m6.csv: line 2, column "population": "99" is not a count released under "round" (0, or a multiple of 5 above 7)',
      'measure_m6.csv: line 3, column "n": "3" is not a count released under "round" (0, or a multiple of 5 above 7)',
      'measure_m6.csv: line 3, column "population": "9" is not a count released under "round" (0, or a multiple of 5 above 7)',
    ]);
  });

  it('reads interval and standardised columns as numbers from the counts, never counts, in both measure layouts', async () => {
    const { problems, warnings } = await check({
      'measure_std.csv':
        'g,n,population,value,lower,upper,standardised_value,standardised_lower,standardised_upper,date\n' +
        'a,20,100,0.2,0.13,0.29,0.21,0.12,0.33,2020-01-01\n' +
        'b,10,40,0.25,0.14,0.41,,,,2020-01-01\n' +
        'c,,40,,,,,,,2020-01-01\n',
      'measures.csv':
        'measure,interval_start,interval_end,ratio,numerator,denominator,lower,upper,standardised_value,standardised_lower,standardised_upper,region\n' +
        'rate,2020-01-01,2020-01-31,0.25,10,40,0.14,0.41,0.3,0.2,0.4,London\n' +
        'rate,2020-01-01,2020-01-31,,0,0,,,,,,East\n',
    });
    expect(problems).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('finds an interval or standardised number where the value is blank, and one that is not a number', async () => {
    const { problems } = await check({
      'measure_std.csv': 'g,n,population,value,lower,upper,standardised_value,date\na,,100,,0.01,0.07,,2020-01-01\nb,0,0,,,,0.5,2020-01-01\nc,10,40,0.25,0.14,high,0.2,2020-01-01\n',
      'measures.csv': 'measure,interval_start,interval_end,ratio,numerator,denominator,lower,upper,region\nrate,2020-01-01,2020-01-31,,,40,0.02,0.1,London\n',
    });
    expect(problems).toEqual([
      'measure_std.csv: line 2, column "lower": "0.01" is given where the value is blank, so it could give a hidden count away',
      'measure_std.csv: line 2, column "upper": "0.07" is given where the value is blank, so it could give a hidden count away',
      'measure_std.csv: line 3, column "standardised_value": "0.5" is given where the value is blank, so it could give a hidden count away',
      'measure_std.csv: line 4, column "upper": "high" is not a number (an interval or standardised rate, worked out from the counts)',
      'measures.csv: line 2, column "lower": "0.02" is given where the value is blank, so it could give a hidden count away',
      'measures.csv: line 2, column "upper": "0.1" is given where the value is blank, so it could give a hidden count away',
    ]);
  });

  it('never calls an empty count cell a problem', async () => {
    const { problems } = await check({ 'measure_s.csv': 'g,n,population,value\na,,100,\nb,,,\n' });
    expect(problems).toEqual([]);
  });

  it('reports a count once when the numerator and denominator are one column (population / population)', async () => {
    const { problems } = await check({ 'measure_p.csv': 'population,population,value,date\n12,12,1,2020-01-01\n' });
    expect(problems).toEqual(['measure_p.csv: line 2, column "population": "12" is not a count released under "round" (0, or a multiple of 5 above 7)']);
  });

  it('passes an empty CSV: no bytes hold nothing to release', async () => {
    const { problems, warnings } = await check({ 'empty.csv': '' });
    expect(problems).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('warns about other CSVs: small whole numbers, numbers that fit no pattern, identifiers, formulas', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => `E0200${1000 + i},${i % 3 === 0 ? 2 : 10},patient ${i},${1000 + i}`);
    const { problems, warnings } = await check({
      'by_msoa.csv': `msoa,patients,note,person_id\n${ids.join('\n')}\n`,
      'changes.csv': 'region,change,when\nLondon,-12,2020-01-01\nEast,15,2020-02-01\n',
      'sheet.csv': 'label,value\n=HYPERLINK("http://x"),0.5\n@SUM(A1),0.25\n+1,0.1\n-1,0.2\n',
    });
    expect(problems).toEqual([]);
    expect(warnings).toEqual([
      'by_msoa.csv: column "msoa": 30 of its 30 values are distinct, as an identifier\'s would be',
      'by_msoa.csv: column "patients": whole numbers from 1 to 7, such as "2" on line 2: a count this small can identify patients',
      'by_msoa.csv: column "note": 30 of its 30 values are distinct, as an identifier\'s would be',
      'by_msoa.csv: column "person_id": 30 of its 30 values are distinct, as an identifier\'s would be',
      'changes.csv: column "change": whole numbers that fit no released pattern, such as "-12" on line 2',
      'sheet.csv: line 2, column "label": "=HYPERLINK(\\"http://x\\")" starts with "=", so a spreadsheet would run it as a formula',
      'sheet.csv: line 3, column "label": "@SUM(A1)" starts with "@", so a spreadsheet would run it as a formula',
      'sheet.csv: line 4, column "label": "+1" starts with "+", so a spreadsheet would run it as a formula',
    ]);
  });
});

describe('analyse check (CLI)', () => {
  it('prints one line per problem and warning, then a summary; exit 1 when a file is not releasable', async () => {
    const dir = tempDir({ 'out/measure_x.csv': 'g,n,population,value\na,12,100,0.12\n', 'out/small.csv': 'g,n\na,3\n', 'out/ok.csv': 'g,rate\na,0.5\n' });
    const result = await cli(['check', 'out'], dir);
    expect(result).toEqual({
      code: 1,
      stdout:
        'out/measure_x.csv: line 2, column "n": "12" is not a count released under "round" (0, or a multiple of 5 above 7)\n' +
        'out/small.csv: warning: column "n": whole numbers from 1 to 7, such as "3" on line 2: a count this small can identify patients\n' +
        'check: 3 files, 1 problem in 1 file, 1 warning: not releasable\n',
      stderr: '',
    });
  });

  it('exits 0 when every file is releasable, warnings or not', async () => {
    const dir = tempDir({ 'out/a.csv': 'g,n\na,3\n', 'b.html': '<p>x</p>' });
    const result = await cli(['check', 'out', 'b.html'], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\ncheck: 2 files, no problems, 1 warning: releasable\n$/);
  });

  it('prints the exact JSON object with --json', async () => {
    const dir = tempDir({ 'out/measure_x.csv': 'g,n,population,value\na,12,100,0.12\n', 'out/small.csv': 'g,n\na,3\n', 'out/ok.csv': 'g,rate\na,0.5\n' });
    const result = await cli(['check', 'out', '--json'], dir);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      files: [
        { path: 'out/measure_x.csv', problems: ['line 2, column "n": "12" is not a count released under "round" (0, or a multiple of 5 above 7)'], warnings: [] },
        { path: 'out/ok.csv', problems: [], warnings: [] },
        { path: 'out/small.csv', problems: [], warnings: ['column "n": whole numbers from 1 to 7, such as "3" on line 2: a count this small can identify patients'] },
      ],
      problems: 1,
      warnings: 1,
    });
  });

  it('writes the report it prints to --output too, whole, releasable or not', async () => {
    const dir = tempDir({ 'out/measure_x.csv': 'g,n,population,value\na,12,100,0.12\n' });
    const result = await cli(['check', 'out', '--json', '--output', 'reports/check.json'], dir);
    expect(result.code).toBe(1);
    expect(readText(join(dir, 'reports/check.json'))).toBe(result.stdout);
    expect(JSON.parse(result.stdout).problems).toBe(1);
    const lines = await cli(['check', 'out', '--output', 'check.txt'], dir);
    expect(readText(join(dir, 'check.txt'))).toBe(lines.stdout);
    expect(lines.stdout).toMatch(/^out\/measure_x\.csv: line 2, column "n": /);
  });

  it('exits 2 for a path that does not exist, or a rule it does not know', async () => {
    const dir = tempDir({ 'a.csv': 'x\n1\n' });
    expect(await cli(['check', 'a.csv', 'missing'], dir)).toEqual({ code: 2, stdout: '', stderr: 'analyse: error: missing: no such file or folder\n' });
    const rule = await cli(['check', 'a.csv', '--rule', 'suppress'], dir);
    expect(rule.code).toBe(2);
    expect(rule.stderr).toMatch(/argument 'suppress' is invalid. Allowed choices are round, midpoint6/);
  });

  it('takes --rule midpoint6', async () => {
    const dir = tempDir({ 'measure_x.csv': 'g,n,population,value\na,3,9,0.3333333333333333\n' });
    expect((await cli(['check', '.', '--rule', 'midpoint6'], dir)).code).toBe(0);
    expect((await cli(['check', '.'], dir)).code).toBe(1);
  });
});

describe('analyse check on the folder as given', () => {
  it('names files under a folder by joining the folder as the user wrote it', async () => {
    const dir = tempDir({ 'x/y/a.csv': 'g\na\n' });
    const report = await checkPaths([join(dir, 'x')], { rule: 'round' });
    expect(report.files.map((f) => f.path)).toEqual([join(dir, 'x/y/a.csv')]);
  });
});
