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
        dashboard: { columns: ['Left', 'Right'], rows: [{ title: 'Row', charts: ['a', null] }, { charts: ['b'], share_y: false }] },
      }),
      'describe.json',
    );
    expect(config).toEqual({
      file: 'describe.json',
      key: 'patient_id',
      variables: new Map([
        ['imd', 'categorical'],
        ['msoa', 'text'],
      ]),
      summary: ['sex'],
      charts: new Map([['a', { title: 'A', yTitle: 'Y' }]]),
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

  const cases: Array<[string, string, RegExp]> = [
    ['JSON that does not parse', '{\n  "variables": {\n    "a" "flag"\n  }\n}', /^describe\.json, line 3: not valid JSON at column 9: Expected ':' after property name$/],
    ['JSON for which V8 quotes the file instead of a position', '{\n  "charts": tru\n}\n', /^describe\.json, line 2: not valid JSON at column 16: Unexpected token '\\n'$/],
    ['an empty file', '', /^describe\.json: the file is empty: expected a JSON object/],
    ['a bad literal far into a long file (V8 quotes a cut-off excerpt)', `{\n  "dashboard": {\n    "rows": [{ "charts": [nul] }]${' '.repeat(40)}\n  }\n}\n`, /^describe\.json, line 3: not valid JSON at column 30: Unexpected token '\]'$/],
    ['an unknown top-level key', '{"colour": 1}', /describe\.json: key "colour": unknown key; expected "key", "variables", "summary", "charts" and "dashboard"/],
    ['a type that does not exist', '{"variables": {"age": "integer"}}', /key "variables\.age": expected one of "flag", .* found "integer"/],
    ['the key given a type', '{"key": "pid", "variables": {"pid": "numeric"}}', /key "variables\.pid": is the patient key/],
    ['variables as a list', '{"variables": ["age"]}', /key "variables": expected an object/],
    ['a summary that is not a list', '{"summary": "sex"}', /key "summary": expected a list/],
    ['a chart id with a dash', '{"charts": {"a-b": {"title": "x"}}}', /key "charts\.a-b": a measure id has only letters/],
    ['an unknown chart setting', '{"charts": {"a": {"colour": "red"}}}', /key "charts\.a\.colour": unknown key/],
    ['an empty title', '{"charts": {"a": {"title": " "}}}', /key "charts\.a\.title": must not be empty/],
    ['a dashboard without rows', '{"dashboard": {"title": "x"}}', /key "dashboard": expected "rows"/],
    ['a row without charts', '{"dashboard": {"rows": [{"title": "x"}]}}', /key "dashboard\.rows\[0\]": expected "charts"/],
    ['a chart placed twice', '{"dashboard": {"rows": [{"charts": ["a"]}, {"charts": ["b", "a"]}]}}', /key "dashboard\.rows\[1\]\.charts\[1\]": "a" is already placed at dashboard\.rows\[0\]\.charts\[0\]/],
    ['share_y not a boolean', '{"dashboard": {"rows": [{"charts": ["a"], "share_y": "yes"}]}}', /key "dashboard\.rows\[0\]\.share_y": expected true or false/],
    ['a number as a chart id', '{"dashboard": {"rows": [{"charts": [1]}]}}', /key "dashboard\.rows\[0\]\.charts\[0\]": expected a string, found 1/],
  ];
  for (const [what, json, message] of cases) {
    it(`rejects ${what}, naming the file and key`, () => {
      const error = configError(json);
      expect(error.location.file).toBe('describe.json');
      expect(error.message).toMatch(message);
    });
  }

  it('names a missing config file', async () => {
    await expect(loadDescribeConfig('/no/such/describe.json')).rejects.toThrow('/no/such/describe.json: file not found');
  });

  it('accepts the study config: one row per care-home measure with its control beside it', async () => {
    const config = await loadDescribeConfig(join(ROOT, 'analysis/describe.json'));
    const rows = config.dashboard!.rows;
    expect(rows).toHaveLength(12);
    for (const row of rows) expect(row.charts).toEqual([row.charts[0], `control_${row.charts[0]}`]);
    expect(config.charts.size).toBe(24);
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
    expect(error.message).toMatch(/c\.json: key "variables\.sexx": no cohort file has a column "sexx"; the columns are "patient_id" and "sex"/);
  });

  it('rejects a dashboard panel naming a measure no file was found for', async () => {
    const error = await run({ dashboard: { rows: [{ charts: ['sex', 'control_sex'] }] } });
    expect(error.message).toMatch(/c\.json: key "dashboard\.rows\[0\]\.charts\[1\]": no measure file for "control_sex" matched --measures; found "sex"/);
  });
});
