import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadSchema, parseSchema } from '../../src/dummy/load-schema.js';
import { UserError } from '../../src/errors.js';
import { ROOT, tempDir, writeFiles } from '../helpers.js';

const FILE = 'analysis/x.json';

function schemaError(variables: unknown, extra: Record<string, unknown> = {}): string {
  try {
    parseSchema(JSON.stringify({ variables, ...extra }), FILE);
  } catch (error) {
    if (error instanceof UserError) return error.message;
    throw error;
  }
  throw new Error('expected the schema to be rejected');
}

describe('parseSchema', () => {
  it('reads the study schemas shipped in analysis/, keeping the column order', async () => {
    const care = await loadSchema(join(ROOT, 'analysis/dummy_study.json'));
    expect(care.variables.map((v) => v.name)).toEqual([
      'care_home_type', 'primis_carehome_pastyear', 'first_pos_test_sgss', 'covid_admission_date', 'antidepressent_ssri',
      'antidepressent_ssri_previous', 'ad_new_initiation', 'antipsychotics_prescribing', 'antipsychotics_prescribing_previous',
      'ap_new_initiation', 'age', 'ageband_narrow', 'sex', 'imd', 'region', 'msoa', 'smr',
    ]);
    expect(care.population).toEqual({ careHome: true, minAge: 65, maxAge: null, registeredBetween: null });
    const control = await loadSchema(join(ROOT, 'analysis/dummy_study_control.json'));
    expect(control.suffix).toBe('_control');
    const ethnicity = await loadSchema(join(ROOT, 'analysis/dummy_study_ethnicity.json'));
    expect([ethnicity.suffix, ethnicity.indexDate, ethnicity.variables.map((v) => v.name)]).toEqual(['_ethnicity', '2021-03-01', ['age', 'ethnicity']]);
  });

  it('names the file and the variable for every mistake', () => {
    expect(schemaError({ sex: { category: { ratios: { M: 0.5, F: 0.4 } } } })).toBe('analysis/x.json: variable "sex": category ratios add up to 0.9, expected 1');
    expect(schemaError({ sex: { category: { ratios: { M: 1 } }, incidense: 0.5 } })).toBe(
      'analysis/x.json: variable "sex": unknown key "incidense"; expected one of "category", "incidence", "rate" and "description"',
    );
    expect(schemaError({ age: {} })).toContain('variable "age": expected exactly one of "category", "int", "code", "date", "bool", "previous", "derived", "bands"');
    expect(schemaError({ age: { int: { distribution: 'population_ages' }, bool: true } })).toContain('got "int" and "bool"');
    expect(schemaError({ age: { int: { distribution: 'gamma' } } })).toContain('variable "age", "int": distribution "gamma": expected "population_ages"');
    expect(schemaError({ flag: { bool: true } })).toBe('analysis/x.json: variable "flag": a 0/1 flag needs an "incidence": the share of 1s');
    expect(schemaError({ flag: { bool: true, incidence: 1.5 } })).toContain('variable "flag", "incidence": expected a number from 0 to 1, got 1.5');
    expect(schemaError({ flag: { bool: true, incidence: { '2020-13-01': 0.1 } } })).toContain('expected a date YYYY-MM-DD, got "2020-13-01"');
    expect(schemaError({ d: { date: { earliest: '2021-01-01', latest: '2020-01-01' } } })).toContain('variable "d": date.earliest is after date.latest');
    expect(schemaError({ d: { date: { earliest: '2020-01-01', latest: 'index_date' }, date_format: 'DD/MM/YYYY' } })).toContain('date_format "DD/MM/YYYY"');
    expect(schemaError({ s: { category: { ratios: { a: 1 } }, rate: 'exponential_increase' } })).toContain('only "universal" (every row has a value) applies here');
    expect(schemaError({ patient_id: { int: { distribution: 'population_ages' } } })).toContain('patient_id is always the first column');
    expect(schemaError({ '1st': { bool: true, incidence: 0.1 } })).toContain('variable "1st": a column name may hold only');
    expect(schemaError({ b: { bool: true, incidence: 0.1 } }, { suffix: '/../x' })).toContain('"suffix": "/../x" may hold only letters');
    expect(schemaError({ b: { bool: true, incidence: 0.1 } }, { population: { care_home: 'yes' } })).toContain('"population.care_home": expected true or false, got "yes"');
    expect(schemaError({ b: { bool: true, incidence: 0.1 } }, { colour: 'red' })).toContain('the schema: unknown key "colour"');
    expect(schemaError([1])).toContain('"variables": expected an object {...}, got [1]');
  });

  it('checks what derived columns refer to, and refuses a definition in terms of itself', () => {
    expect(schemaError({ n: { derived: { all_of: ['missing'] } } })).toBe('analysis/x.json: variable "n": refers to "missing", which is not a variable of this schema');
    expect(schemaError({ s: { category: { ratios: { a: 1 } } }, n: { derived: { all_of: ['s'] } } })).toContain('refers to "s", which is not a 0/1 flag');
    expect(schemaError({ f: { bool: true, incidence: 0.5 }, b: { bands: { of: 'f', bands: { x: [0, 1] } } } })).toContain('refers to "f", which is not an int variable');
    expect(schemaError({ a: { derived: { none_of: ['b'] } }, b: { previous: { of: 'a', months: 3 } } })).toBe(
      'analysis/x.json: variable "a": is defined in terms of itself: a → b → a',
    );
    expect(schemaError({ b: { bands: { of: 'b', bands: { x: [5, 1] } } } })).toContain('band "x": expected a number of at least 5, got 1');
  });

  it('reports a JSON syntax error with its line', async () => {
    const dir = tempDir({ 'bad.json': '{\n  "variables": {\n    "a": 1,\n  }\n}\n' });
    await expect(loadSchema(join(dir, 'bad.json'))).rejects.toThrow(new RegExp(`^${join(dir, 'bad.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, line 4: not valid JSON at column 3: Expected double-quoted property name$`));
    // V8 gives no position for some mistakes and quotes the whole file instead: still one line, with line and column.
    writeFiles(dir, { 'tru.json': '{\n  "suffix": tru\n}\n', 'empty.json': '' });
    await expect(loadSchema(join(dir, 'tru.json'))).rejects.toThrow(/tru\.json, line 2: not valid JSON at column 16: Unexpected token '\\n'$/);
    await expect(loadSchema(join(dir, 'tru.json'))).rejects.not.toThrow(/\n/);
    await expect(loadSchema(join(dir, 'empty.json'))).rejects.toThrow(/empty\.json: the file is empty: expected a JSON object with "variables"$/);
    await expect(loadSchema(join(dir, 'missing.json'))).rejects.toThrow(/missing\.json: file not found$/);
  });
});
