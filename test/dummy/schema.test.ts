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
      'ap_new_initiation', 'age', 'ageband_narrow', 'sex', 'imd', 'region', 'msoa', 'smr', 'practice',
    ]);
    expect(care.population).toEqual({ careHome: true, minAge: 65, maxAge: null, registeredBetween: null });
    const control = await loadSchema(join(ROOT, 'analysis/dummy_study_control.json'));
    expect(control.suffix).toBe('_control');
    const ethnicity = await loadSchema(join(ROOT, 'analysis/dummy_study_ethnicity.json'));
    expect([ethnicity.suffix, ethnicity.indexDate, ethnicity.variables.map((v) => v.name)]).toEqual(['_ethnicity', '2021-03-01', ['age', 'ethnicity']]);
  });

  it('names the file and the key path for every mistake, quoting the value', () => {
    const B = { b: { bool: true, incidence: 0.1 } };
    const cases: Array<[unknown, Record<string, unknown>, string]> = [
      [{ sex: { category: { ratios: { M: 0.5, F: 0.4 } } } }, {}, 'variables.sex.category.ratios: the ratios add up to 0.9, expected 1'],
      [{ sex: { category: { ratios: { M: 1 } }, incidense: 0.5 } }, {}, 'variables.sex.incidense: unknown key "incidense" (expected one of "category", "incidence", "rate" and "description"); did you mean "incidence"?'],
      [{ age: {} }, {}, 'variables.age: expected exactly one of "category", "int", "code", "date", "bool", "previous", "derived", "bands", "practice" to say what kind of value it is; got none'],
      [{ age: { int: { distribution: 'population_ages' }, bool: true } }, {}, 'variables.age: expected exactly one of "category", "int", "code", "date", "bool", "previous", "derived", "bands", "practice" to say what kind of value it is; got "int" and "bool"'],
      [{ age: { int: { distribution: 'gamma' } } }, {}, 'variables.age.int.distribution: expected one of "population_ages", "normal", "uniform" and "poisson", got the text "gamma"'],
      [{ i: { int: { distribution: 'normal', mean: 1 } } }, {}, 'variables.i.int.stddev: expected a number from 0 to 1000000000, got nothing'],
      [{ i: { int: { distribution: 'uniform', min: 5, max: 1 } } }, {}, 'variables.i.int.max: expected a whole number of at least 5, got the number 1'],
      [{ c: { code: { min: 5, max: 1 } } }, {}, 'variables.c.code.max: expected a whole number of at least 5, got the number 1'],
      [{ flag: { bool: true } }, {}, 'variables.flag.incidence: expected the share of 1s (a 0/1 flag needs one), got nothing'],
      [{ flag: { bool: false, incidence: 0.1 } }, {}, 'variables.flag.bool: expected true, got false'],
      [{ flag: { bool: true, incidence: 1.5 } }, {}, 'variables.flag.incidence: expected a number from 0 to 1, got the number 1.5'],
      [{ flag: { bool: true, incidence: { '2020-13-01': 0.1 } } }, {}, 'variables.flag.incidence.2020-13-01: expected a date YYYY-MM-DD as the key, got "2020-13-01"'],
      [{ flag: { bool: true, rate: 'universal', incidence: 0.5 } }, {}, 'variables.flag: give either rate "universal" or an incidence, not both'],
      [{ d: { date: { earliest: '2021-01-01', latest: '2020-01-01' } } }, {}, 'variables.d.date: earliest is after latest'],
      [{ d: { date: { earliest: '2020-1-1', latest: 'index_date' } } }, {}, 'variables.d.date.earliest: expected a date YYYY-MM-DD or "index_date", got the text "2020-1-1"'],
      [{ d: { date: { earliest: '2020-01-01', latest: 'index_date' }, date_format: 'DD/MM/YYYY' } }, {}, 'variables.d.date_format: expected one of "YYYY", "YYYY-MM" and "YYYY-MM-DD", got the text "DD/MM/YYYY"'],
      [{ s: { category: { ratios: { a: 1 } }, rate: 'exponential_increase' } }, {}, 'variables.s.rate: expected "universal" (every row has a value; only dates take other rates), got the text "exponential_increase"'],
      [{ d: { derived: {} } }, {}, 'variables.d.derived: needs "all_of" or "none_of" (flags that must be 1, or 0)'],
      [{ patient_id: { int: { distribution: 'population_ages' } } }, {}, 'variables.patient_id: patient_id is always the first column and is not listed'],
      [{ '1st': { bool: true, incidence: 0.1 } }, {}, 'variables.1st: a column name may hold only letters, digits and "_", and not start with a digit'],
      [B, { suffix: '/../x' }, 'suffix: expected letters, digits, "_" and "-" only (it becomes part of file names), got the text "/../x"'],
      [B, { index_date: '2020-02-30' }, 'index_date: expected a date YYYY-MM-DD, got the text "2020-02-30"'],
      [B, { population: { care_home: 'yes' } }, 'population.care_home: expected true or false, got the text "yes"'],
      [B, { population: { min_age: 70, max_age: 65 } }, 'population.max_age: expected a whole number of at least 70, got the number 65'],
      // Ranges that can hold nobody, or values that cannot be written as whole numbers.
      [B, { population: { max_age: 64 } }, 'population.max_age: expected a whole number of at least 65 (the simulated population is aged 65 and over), got the number 64'],
      [B, { population: { min_age: 121 } }, 'population.min_age: expected a whole number from 0 to 120, got the number 121'],
      [{ c: { code: { prefix: 'E', min: 1, max: 500, digits: 2 } } }, {}, 'variables.c.code.digits: expected a whole number of at least 3 (the digits of max, 500), got the number 2'],
      [{ i: { int: { distribution: 'uniform', min: 0, max: 1e300 } } }, {}, 'variables.i.int.max: expected a whole number from -999999999999999 to 999999999999999, got the number 1e+300'],
      [{ i: { int: { distribution: 'normal', mean: 1e300, stddev: 1 } } }, {}, 'variables.i.int.mean: expected a number from -1000000000 to 1000000000, got the number 1e+300'],
      [B, { population: { registered_between: ['2021-01-01', '2020-01-01'] } }, 'population.registered_between: the first date is after the second'],
      [B, { colour: 'red' }, 'colour: unknown key "colour" (expected one of "description", "suffix", "index_date", "population" and "variables")'],
      [[1], {}, 'variables: expected an object {...}, got the list [1]'],
    ];
    for (const [variables, extra, message] of cases) expect(schemaError(variables, extra)).toBe(`analysis/x.json: ${message}`);
  });

  it('checks what derived columns refer to, and refuses a definition in terms of itself', () => {
    expect(schemaError({ n: { derived: { all_of: ['missing'] } } })).toBe('analysis/x.json: variables.n.derived.all_of: refers to "missing", which is not a variable of this schema');
    expect(schemaError({ s: { category: { ratios: { a: 1 } } }, n: { derived: { all_of: ['s'] } } })).toBe(
      'analysis/x.json: variables.n.derived.all_of: refers to "s", which is not a 0/1 flag (bool, previous or derived)',
    );
    expect(schemaError({ f: { bool: true, incidence: 0.5 }, b: { bands: { of: 'f', bands: { x: [0, 1] } } } })).toBe('analysis/x.json: variables.b.bands.of: refers to "f", which is not an int variable');
    expect(schemaError({ a: { derived: { none_of: ['b'] } }, b: { previous: { of: 'a', months: 3 } } })).toBe('analysis/x.json: variables.a: is defined in terms of itself: a → b → a');
    expect(schemaError({ f: { bool: true, incidence: 0.5, practice_variation: { of: 'f', sd: 0.5 } } })).toBe(
      'analysis/x.json: variables.f.practice_variation.of: refers to "f", which is not a practice variable',
    );
    expect(schemaError({ p: { practice: { count: 0 } } })).toBe('analysis/x.json: variables.p.practice.count: expected a whole number from 1 to 100000, got the number 0');
    expect(schemaError({ b: { bands: { of: 'b', bands: { x: [5, 1] } } } })).toBe('analysis/x.json: variables.b.bands.bands.x[1]: expected a whole number of at least 5, got the number 1');
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
