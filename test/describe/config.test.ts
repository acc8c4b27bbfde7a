import { describe as group, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDescribeConfig, parseDescribeConfig } from '../../src/describe/describe-config.js';
import { runDescribe } from '../../src/describe/describe.js';
import { UserError } from '../../src/errors.js';
import { ROOT, tempDir } from '../helpers.js';
import { ONE_MEASURE } from './cohort-text.js';

function configError(json: string): UserError {
  try {
    parseDescribeConfig(json, 'describe.json');
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

group('parseDescribeConfig', () => {
  it('reads types, summary variables, chart titles and dashboard rows, with defaults', () => {
    const config = parseDescribeConfig(
      JSON.stringify({
        variables: { imd: 'categorical', msoa: 'text' },
        summary: ['sex'],
        charts: { a: { title: 'A', y_title: 'Y' } },
        deciles: { p: { by: 'practice' }, q: { by: 'practice', outer_percentiles: true } },
        dashboard: { columns: ['Left', 'Right'], rows: [{ title: 'Row', charts: ['a', null] }, { charts: ['b'], share_y: false }] },
      }),
      'describe.json',
    );
    expect(config).toEqual({
      file: 'describe.json',
      key: 'patient_id',
      variables: new Map([['imd', 'categorical'], ['msoa', 'text']]),
      summary: ['sex'],
      labels: new Map(),
      charts: new Map([['a', { title: 'A', yTitle: 'Y', y: 'percent' }]]),
      deciles: new Map([
        ['p', { by: 'practice', outerPercentiles: false }],
        ['q', { by: 'practice', outerPercentiles: true }],
      ]),
      dashboard: {
        title: null,
        columns: ['Left', 'Right'],
        rows: [
          { title: 'Row', charts: ['a', null], shareY: true },
          { title: null, charts: ['b'], shareY: false },
        ],
      },
    });
  });

  const cases: Array<[string, string, RegExp | string]> = [
    ['JSON that does not parse', '{\n  "variables": {\n    "a" "flag"\n  }\n}', /^describe\.json, line 3: not valid JSON at column 9: Expected ':' after property name$/],
    ['JSON for which V8 quotes the file instead of a position', '{\n  "charts": tru\n}\n', /^describe\.json, line 2: not valid JSON at column 16: Unexpected token '\\n'$/],
    ['an empty file', '', /^describe\.json: the file is empty: expected a JSON object/],
    ['a bad literal far into a long file (V8 quotes a cut-off excerpt)', `{\n  "dashboard": {\n    "rows": [{ "charts": [nul] }]${' '.repeat(40)}\n  }\n}\n`, /^describe\.json, line 3: not valid JSON at column 30: Unexpected token '\]'$/],
    ['an unknown top-level key', '{"colour": 1}', 'colour: unknown key "colour" (expected one of "key", "variables", "summary", "labels", "charts", "deciles" and "dashboard")'],
    ['a mistyped top-level key', '{"sumary": []}', 'sumary: unknown key "sumary" (expected one of "key", "variables", "summary", "labels", "charts", "deciles" and "dashboard"); did you mean "summary"?'],
    ['a type that does not exist', '{"variables": {"age": "integer"}}', 'variables.age: expected one of "flag", "categorical", "numeric", "date", "text" and "ignore", got the text "integer"'],
    ['a mistyped type', '{"variables": {"age": "numerc"}}', 'variables.age: expected one of "flag", "categorical", "numeric", "date", "text" and "ignore", got the text "numerc"; did you mean "numeric"?'],
    ['the key given a type', '{"key": "pid", "variables": {"pid": "numeric"}}', 'variables.pid: is the patient key, which is never described'],
    ['variables as a list', '{"variables": ["age"]}', 'variables: expected an object {...}, got the list ["age"]'],
    ['a summary that is not a list', '{"summary": "sex"}', 'summary: expected a list of column names, got the text "sex"'],
    ['a chart id with a dash', '{"charts": {"a-b": {"title": "x"}}}', 'charts.a-b: a measure id has only letters, digits and underscores'],
    ['an unknown chart setting', '{"charts": {"a": {"colour": "red"}}}', 'charts.a.colour: unknown key "colour" (expected one of "title", "subtitle", "y_title" and "y")'],
    ['an empty title', '{"charts": {"a": {"title": " "}}}', 'charts.a.title: expected a title (non-empty text), got the text " "'],
    ['deciles without "by"', '{"deciles": {"p": {"outer_percentiles": true}}}', 'deciles.p.by: expected a name (non-empty text), got nothing'],
    ['an unknown deciles setting', '{"deciles": {"p": {"by": "practice", "outer": true}}}', 'deciles.p.outer: unknown key "outer" (expected one of "by" and "outer_percentiles")'],
    ['the "by" of deciles given a type', '{"deciles": {"p": {"by": "practice"}}, "variables": {"practice": "numeric"}}', 'variables.practice: is the "by" column of a deciles chart, whose values describe never writes, so it is never described'],
    ['the "by" of deciles in the summary', '{"deciles": {"p": {"by": "practice"}}, "summary": ["sex", "practice"]}', 'summary[1]: "practice" is the "by" column of a deciles chart, whose values describe never writes, so it is never described'],
    ['a y scale that does not exist', '{"charts": {"a": {"y": "per_100"}}}', 'charts.a.y: expected one of "percent", "per_1000", "per_100000" and "ratio", got the text "per_100"; did you mean "per_1000"?'],
    ['labels that are not words', '{"labels": {"flag": 1}}', 'labels.flag: expected a title (non-empty text), got the number 1'],
    ['a dashboard without rows', '{"dashboard": {"title": "x"}}', 'dashboard.rows: expected a list of rows, each {"title": ..., "charts": [measure ids]}, got nothing'],
    ['a row without charts', '{"dashboard": {"rows": [{"title": "x"}]}}', 'dashboard.rows[0].charts: expected a list of measure ids (null for an empty panel), got nothing'],
    ['a chart placed twice', '{"dashboard": {"rows": [{"charts": ["a"]}, {"charts": ["b", "a"]}]}}', 'dashboard.rows[1].charts[1]: "a" is already placed at dashboard.rows[0].charts[0]; each chart appears once'],
    ['share_y not a boolean', '{"dashboard": {"rows": [{"charts": ["a"], "share_y": "yes"}]}}', 'dashboard.rows[0].share_y: expected true or false, got the text "yes"'],
    ['a number as a chart id', '{"dashboard": {"rows": [{"charts": [1]}]}}', 'dashboard.rows[0].charts[0]: expected a measure id (letters, digits and underscores), got the number 1'],
    ['a panel that is not a measure id', '{"dashboard": {"rows": [{"charts": ["a-b"]}]}}', 'dashboard.rows[0].charts[0]: expected a measure id (letters, digits and underscores), got the text "a-b"'],
  ];
  for (const [what, json, message] of cases) {
    it(`rejects ${what}, naming the file and key`, () => {
      const error = configError(json);
      expect(error.location.file).toBe('describe.json');
      if (typeof message === 'string') expect(error.message).toBe(`describe.json: ${message}`);
      else expect(error.message).toMatch(message);
    });
  }

  it('names a missing config file', async () => {
    await expect(loadDescribeConfig('/no/such/describe.json')).rejects.toThrow('/no/such/describe.json: file not found');
  });

  it('accepts the study config: one row per care-home measure with its control beside it, the age-standardised ones among them', async () => {
    const config = await loadDescribeConfig(join(ROOT, 'analysis/describe.json'));
    const rows = config.dashboard!.rows;
    expect(rows).toHaveLength(18);
    for (const row of rows) expect(row.charts).toEqual([row.charts[0], `control_${row.charts[0]}`]);
    expect(rows.filter((row) => row.charts[0]!.endsWith('_std')).map((row) => row.charts[0])).toEqual([
      'ad_prescribing_rate_std',
      'ad_prescribing_new_std',
      'ap_prescribing_rate_std',
      'ap_prescribing_new_std',
    ]);
    expect(config.charts.size).toBe(36);
    // Prescribing by practice, as deciles charts in rows of their own.
    expect([...config.deciles.keys()].sort()).toEqual(['ad_prescribing_rate_practice', 'ap_prescribing_rate_practice', 'control_ad_prescribing_rate_practice', 'control_ap_prescribing_rate_practice']);
    expect(rows.filter((row) => row.charts.every((id) => config.deciles.has(id!)))).toHaveLength(2);
    expect(JSON.parse(readFileSync(join(ROOT, 'analysis/describe.json'), 'utf8')).variables.msoa).toBe('text');
  });
});

group('describe with a config', () => {
  async function run(config: unknown): Promise<UserError> {
    const dir = tempDir({ 'in/input_2020-01-01.csv': 'patient_id,sex\n1,F\n', 'm/measure_sex.csv': ONE_MEASURE, 'c.json': JSON.stringify(config) });
    try {
      await runDescribe({ cohort: join(dir, 'in/*.csv'), measures: join(dir, 'm/*.csv'), tablesDir: join(dir, 't'), graphsDir: join(dir, 'g'), config: join(dir, 'c.json'), jobs: 1, progress: false });
    } catch (error) {
      if (error instanceof UserError) return error;
      throw error;
    }
    throw new Error('expected a UserError');
  }

  it('rejects a variable no cohort file has, listing the columns', async () => {
    const error = await run({ variables: { sexx: 'categorical' } });
    expect(error.message).toMatch(/c\.json: variables\.sexx: no cohort file has a column "sexx"; the columns are "patient_id" and "sex"/);
  });

  it('rejects a dashboard panel naming a measure no file was found for', async () => {
    const error = await run({ dashboard: { rows: [{ charts: ['sex', 'control_sex'] }] } });
    expect(error.message).toMatch(/c\.json: dashboard\.rows\[0\]\.charts\[1\]: no measure file for "control_sex" matched --measures; found "sex"/);
  });
});
