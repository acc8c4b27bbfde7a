import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { checkDefinitions, definitionsJsonSchema } from '../../src/measures/definitions.js';
import { loadDefinitions } from '../../src/measures/load-definitions.js';
import { UserError } from '../../src/errors.js';
import { ROOT, tempDir } from '../helpers.js';

const ok = { id: 'rate', numerator: 'flag', denominator: 'population' };

/** The message checkDefinitions gives for `json`, which must be a UserError. */
function problem(json: unknown): string {
  try {
    checkDefinitions(json, 'defs.json');
  } catch (error) {
    if (error instanceof UserError) return error.message;
    throw error;
  }
  throw new Error('expected a UserError');
}

async function loadProblem(text: string): Promise<string> {
  const dir = tempDir({ 'defs.json': text });
  try {
    await loadDefinitions(join(dir, 'defs.json'));
  } catch (error) {
    if (error instanceof UserError) return error.message.replace(`${dir}/`, '');
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('checkDefinitions normalises', () => {
  it('group_by: omitted, [], "population" and ["population"] all mean one group; a name means one column', () => {
    const groupBys = [undefined, [], 'population', ['population'], 'region', ['region', 'sex']];
    const measures = groupBys.map((group_by, i) => ({ ...ok, id: `m${i}`, ...(group_by === undefined ? {} : { group_by }) }));
    expect(checkDefinitions({ measures }, 'defs.json').measures.map((m) => m.groupBy)).toEqual([[], [], [], [], ['region'], ['region', 'sex']]);
  });

  it('disclosure_control: "round" by default, the top-level value for every measure, a measure\'s own value over it', () => {
    expect(checkDefinitions({ measures: [ok] }, 'd').measures[0]!.disclosure).toBe('round');
    const defs = checkDefinitions({ disclosure_control: 'suppress', measures: [ok, { ...ok, id: 'raw', disclosure_control: 'none' }] }, 'd');
    expect(defs.measures.map((m) => m.disclosure)).toEqual(['suppress', 'none']);
  });

  it('allows the numerator to equal the denominator, and "$schema" at the top', () => {
    const defs = checkDefinitions({ $schema: './measures.schema.json', measures: [{ id: 'x', numerator: 'flag', denominator: 'flag' }] }, 'd');
    expect(defs.measures[0]).toEqual({ id: 'x', numerator: 'flag', denominator: 'flag', groupBy: [], disclosure: 'round', minGroupSize: 8, confidenceInterval: false, standardise: null });
  });

  it('min_group_size: 8 by default, 0 under "none", the top-level value for every measure, a measure\'s own value over it', () => {
    const rules = (defs: unknown) => checkDefinitions(defs, 'd').measures.map((m) => [m.disclosure, m.minGroupSize]);
    expect(rules({ measures: [ok, { ...ok, id: 'raw', disclosure_control: 'none' }, { ...ok, id: 'm6', disclosure_control: 'midpoint6' }] })).toEqual([
      ['round', 8],
      ['none', 0],
      ['midpoint6', 8],
    ]);
    expect(rules({ disclosure_control: 'none', measures: [ok, { ...ok, id: 'r', disclosure_control: 'round' }] })).toEqual([['none', 0], ['round', 8]]);
    expect(rules({ min_group_size: 3, measures: [ok, { ...ok, id: 'own', min_group_size: 0 }, { ...ok, id: 'raw', disclosure_control: 'none' }] })).toEqual([
      ['round', 3],
      ['round', 0],
      ['none', 3],
    ]);
  });
});

describe('checkDefinitions: confidence_interval and standardise', () => {
  it('confidence_interval: false by default, the top-level value for every measure, a measure\'s own value over it', () => {
    const intervals = (defs: unknown) => checkDefinitions(defs, 'd').measures.map((m) => m.confidenceInterval);
    expect(intervals({ measures: [ok] })).toEqual([false]);
    expect(intervals({ confidence_interval: true, measures: [ok, { ...ok, id: 'own', confidence_interval: false }] })).toEqual([true, false]);
    expect(intervals({ measures: [ok, { ...ok, id: 'own', confidence_interval: true }] })).toEqual([false, true]);
  });

  it('standardise: the column and a weight per level (in a Map, in the file\'s order), or "esp2013"; none by default', () => {
    const [plain, banded, ages] = checkDefinitions(
      {
        measures: [
          ok,
          { ...ok, id: 'banded', group_by: 'region', standardise: { by: 'ageband_narrow', weights: { '65-74': 10500, '75-79': 4000, '': 0.5 } } },
          { ...ok, id: 'ages', standardise: { by: 'age', weights: 'esp2013' } },
        ],
      },
      'd',
    ).measures;
    expect(plain!.standardise).toBeNull();
    expect(banded!.standardise).toEqual({ by: 'ageband_narrow', weights: new Map([['65-74', 10500], ['75-79', 4000], ['', 0.5]]) });
    expect(ages!.standardise).toEqual({ by: 'age', weights: 'esp2013' });
  });

  const WEIGHTS = 'expected "esp2013" (the 2013 European Standard Population, over a column of ages) or {"<level>": <weight>, ...} (a weight above 0 for every level of "by")';
  const WEIGHT = 'expected a weight above 0 (a number, such as the standard population of the level)';

  it('explains a standardise column that is also a group, a count or "population"', () => {
    const weights = { a: 1 };
    expect(problem({ measures: [{ ...ok, group_by: ['region', 'age'], standardise: { by: 'age', weights } }] })).toBe(
      'defs.json: measures[0].standardise.by: "age" is also in group_by; a column cannot be both a group and the strata standardised over (remove it from one)',
    );
    expect(problem({ measures: [{ ...ok, standardise: { by: 'flag', weights } }] })).toBe('defs.json: measures[0].standardise.by: "flag" is also the numerator; a count cannot also be the strata');
    expect(problem({ measures: [{ ...ok, standardise: { by: 'population', weights } }] })).toBe(
      'defs.json: measures[0].standardise.by: "population" is not a column; name the column whose levels are the strata, such as "ageband_narrow"',
    );
    expect(problem({ measures: [{ ...ok, standardise: { by: 'lower', weights } }] })).toBe(
      'defs.json: measures[0].standardise.by: expected a column whose levels are the strata, such as "ageband_narrow" or "age", got the text "lower"; the output has its own "lower" column',
    );
  });

  it('explains weights that are not positive numbers, an empty or misspelt standard, and missing keys', () => {
    const standardise = (s: unknown) => problem({ measures: [{ ...ok, standardise: s }] });
    expect(standardise({ by: 'age', weights: { '65-74': 0 } })).toBe(`defs.json: measures[0].standardise.weights.65-74: ${WEIGHT}, got the number 0`);
    expect(standardise({ by: 'age', weights: { a: 1, b: -2 } })).toBe(`defs.json: measures[0].standardise.weights.b: ${WEIGHT}, got the number -2`);
    expect(standardise({ by: 'age', weights: { a: '5500' } })).toBe(`defs.json: measures[0].standardise.weights.a: ${WEIGHT}, got the text "5500"`);
    expect(standardise({ by: 'age', weights: {} })).toBe('defs.json: measures[0].standardise.weights: expected {"<level>": <weight>, ...}, got the object {}');
    expect(standardise({ by: 'age', weights: 'esp2012' })).toBe('defs.json: measures[0].standardise.weights: expected "esp2013", got the text "esp2012"; did you mean "esp2013"?');
    expect(standardise({ by: 'age', weights: [5000, 5500] })).toBe(`defs.json: measures[0].standardise.weights: ${WEIGHTS}, got the list [5000,5500]`);
    expect(standardise({ by: 'age' })).toBe(`defs.json: measures[0].standardise.weights: ${WEIGHTS}, got nothing`);
    expect(standardise('age')).toBe('defs.json: measures[0].standardise: expected a standardisation {"by": "<column>", "weights": {"<level>": <weight>, ...} or "esp2013"}, got the text "age"');
    expect(problem({ measures: [{ ...ok, confidence_interval: 'yes' }] })).toBe('defs.json: measures[0].confidence_interval: expected true or false, got the text "yes"');
  });
});

describe('checkDefinitions explains mistakes, naming the file and the key path and quoting the value', () => {
  const KEYS = '"id", "numerator", "denominator", "group_by", "disclosure_control", "min_group_size", "confidence_interval" and "standardise"';
  const NUMERATOR = 'a column of 0/1 flags or counts, such as "antidepressent_ssri", or "population"';

  it('an unknown key, with the closest valid one', () => {
    expect(problem({ measures: [{ ...ok, numerater: 'x' }] })).toBe(`defs.json: measures[0].numerater: unknown key "numerater" (expected one of ${KEYS}); did you mean "numerator"?`);
    expect(problem({ measures: [{ ...ok, groupby: 'x' }] })).toBe(`defs.json: measures[0].groupby: unknown key "groupby" (expected one of ${KEYS}); did you mean "group_by"?`);
    expect(problem({ measure: [ok] })).toBe('defs.json: measure: unknown key "measure" (expected one of "disclosure_control", "min_group_size", "confidence_interval" and "measures"); did you mean "measures"?');
  });

  it('cohort-extractor\'s small_number_suppression, pointing to disclosure_control', () => {
    expect(problem({ measures: [{ ...ok, small_number_suppression: true }] })).toBe(
      'defs.json: measures[0].small_number_suppression: unknown key "small_number_suppression": write "disclosure_control": "suppress" (or "round", the default, "midpoint6" or "none") instead',
    );
  });

  it('a duplicate id, also ignoring case (one file on a case-insensitive disk)', () => {
    expect(problem({ measures: [ok, { ...ok, numerator: 'other' }] })).toBe('defs.json: measures[1].id: "rate" is also the id of measures[0]; ids must be unique (each names an output file)');
    expect(problem({ measures: [ok, { ...ok, id: 'other' }, { ...ok, id: 'Rate' }] })).toBe(
      'defs.json: measures[2].id: "Rate" differs only in case from the id of measures[0], "rate"; ids must be unique (each names an output file)',
    );
  });

  it('an id that is not letters, digits and underscores (it becomes a file name)', () => {
    const expected = 'defs.json: measures[0].id: expected an id of letters, digits and underscores (it becomes the file name measure_<id>.csv), got';
    for (const id of ['../x', 'a b', 'a-b', 'a.csv', '', 'é']) {
      expect(problem({ measures: [{ ...ok, id }] })).toBe(`${expected} the text ${JSON.stringify(id)}`);
    }
    expect(problem({ measures: [{ ...ok, id: 7 }] })).toBe(`${expected} the number 7`);
    expect(problem({ measures: [{ numerator: 'x', denominator: 'population' }] })).toBe(`${expected} nothing`);
  });

  it('an id longer than 100 characters (a file name has a limit), while 100 are fine', () => {
    const long = 'a'.repeat(210);
    expect(problem({ measures: [{ ...ok, id: long }] })).toBe(
      `defs.json: measures[0].id: expected an id of letters, digits and underscores (it becomes the file name measure_<id>.csv), got the text "${'a'.repeat(60)}…"; it is 210 characters long; at most 100 are allowed`,
    );
    expect(checkDefinitions({ measures: [{ ...ok, id: 'b'.repeat(100) }] }, 'defs.json').measures[0]!.id).toHaveLength(100);
  });

  it('an empty or missing numerator or denominator', () => {
    expect(problem({ measures: [{ ...ok, numerator: '' }] })).toBe(`defs.json: measures[0].numerator: expected ${NUMERATOR}, got the text ""`);
    expect(problem({ measures: [{ ...ok, numerator: '  ' }] })).toBe(`defs.json: measures[0].numerator: expected ${NUMERATOR}, got the text "  "`);
    expect(problem({ measures: [{ id: 'r', denominator: 'population' }] })).toBe(`defs.json: measures[0].numerator: expected ${NUMERATOR}, got nothing`);
    expect(problem({ measures: [{ id: 'r', numerator: 'x' }] })).toBe('defs.json: measures[0].denominator: expected "population" or a column of 0/1 flags or counts, got nothing');
    expect(problem({ measures: [{ ...ok, denominator: 3 }] })).toBe('defs.json: measures[0].denominator: expected "population" or a column of 0/1 flags or counts, got the number 3');
  });

  it('"population" mixed with other group_by columns', () => {
    expect(problem({ measures: [{ ...ok, group_by: ['population', 'region'] }] })).toBe(
      'defs.json: measures[0].group_by: mixes "population" (one group for everyone) with other columns ("region"); use either "population" or the columns',
    );
  });

  it('a group column named value or date, or as an interval or standardised column', () => {
    for (const name of ['lower', 'upper', 'standardised_value', 'standardised_lower', 'standardised_upper']) {
      expect(problem({ measures: [{ ...ok, group_by: name }] })).toBe(`defs.json: measures[0].group_by: expected a column name, got the text "${name}"; the output has its own "${name}" column`);
    }
    expect(problem({ measures: [{ ...ok, group_by: ['region', 'value'] }] })).toBe('defs.json: measures[0].group_by[1]: expected a column name, got the text "value"; the output has its own "value" column');
    expect(problem({ measures: [{ ...ok, group_by: 'date' }] })).toBe('defs.json: measures[0].group_by: expected a column name, got the text "date"; the output has its own "date" column');
    expect(problem({ measures: [{ ...ok, numerator: 'value' }] })).toBe(`defs.json: measures[0].numerator: expected ${NUMERATOR}, got the text "value"; the output has its own "value" column`);
  });

  it('a group_by column that is also the numerator or the denominator', () => {
    expect(problem({ measures: [{ ...ok, group_by: ['region', 'flag'] }] })).toBe('defs.json: measures[0].group_by[1]: "flag" is also the numerator; a count cannot also be a group');
    expect(problem({ measures: [{ id: 'r', numerator: 'a', denominator: 'b', group_by: 'b' }] })).toBe('defs.json: measures[0].group_by[0]: "b" is also the denominator; a count cannot also be a group');
  });

  it('a group_by that is not a name or a list of names, or names a column twice', () => {
    expect(problem({ measures: [ok, ok, { ...ok, id: 'c', group_by: 3 }] })).toBe('defs.json: measures[2].group_by: expected a column name or a list of column names, got the number 3');
    expect(problem({ measures: [{ ...ok, group_by: { region: 1 } }] })).toBe('defs.json: measures[0].group_by: expected a column name or a list of column names, got the object {"region":1}');
    expect(problem({ measures: [{ ...ok, group_by: ['region', 3] }] })).toBe('defs.json: measures[0].group_by[1]: expected a column name, got the number 3');
    expect(problem({ measures: [{ ...ok, group_by: ['region', 'region'] }] })).toBe('defs.json: measures[0].group_by[1]: "region" is named twice');
    expect(problem({ measures: [{ ...ok, group_by: [''] }] })).toBe('defs.json: measures[0].group_by[0]: expected a column name, got the text ""');
  });

  it('a bad disclosure_control value, top-level or per measure', () => {
    expect(problem({ disclosure_control: 'rounded', measures: [ok] })).toBe(
      'defs.json: disclosure_control: expected one of "round", "midpoint6", "suppress" and "none", got the text "rounded"; did you mean "round"?',
    );
    expect(problem({ measures: [{ ...ok, disclosure_control: true }] })).toBe('defs.json: measures[0].disclosure_control: expected one of "round", "midpoint6", "suppress" and "none", got true');
    expect(problem({ measures: [{ ...ok, disclosure_control: 'midpoint' }] })).toMatch(/did you mean "midpoint6"\?$/);
  });

  it('a min_group_size that is not a whole number of 0 or more, top-level or per measure', () => {
    const expected = 'expected a whole number of 0 or more (cohort rows a group needs on some date; 0 keeps every group)';
    expect(problem({ min_group_size: -1, measures: [ok] })).toBe(`defs.json: min_group_size: ${expected}, got the number -1`);
    expect(problem({ measures: [{ ...ok, min_group_size: 2.5 }] })).toBe(`defs.json: measures[0].min_group_size: ${expected}, got the number 2.5`);
    expect(problem({ measures: [{ ...ok, min_group_size: '8' }] })).toBe(`defs.json: measures[0].min_group_size: ${expected}, got the text "8"`);
  });

  it('a file that is not an object with a non-empty measures list', () => {
    const list = 'a list of one or more measures, [{"id": ..., "numerator": ..., "denominator": ..., "group_by": [...]}, ...]';
    expect(problem([ok])).toMatch(/^defs\.json: expected an object with a "measures" list, got the list \[\{"id":"rate",/);
    expect(problem({})).toBe(`defs.json: measures: expected ${list}, got nothing`);
    expect(problem({ measures: {} })).toBe(`defs.json: measures: expected ${list}, got the object {}`);
    expect(problem({ measures: [] })).toBe(`defs.json: measures: expected ${list}, got the list []`);
    expect(problem({ measures: ['rate'] })).toBe('defs.json: measures[0]: expected a measure {"id": ..., "numerator": ..., "denominator": ...}, got the text "rate"');
  });
});

describe('loadDefinitions', () => {
  it('reports a JSON syntax error with its line and column', async () => {
    expect(await loadProblem('{\n  "measures": [\n    { "id": "a", }\n  ]\n}\n')).toBe(
      'defs.json, line 3: not valid JSON at column 18: Expected double-quoted property name',
    );
    expect(await loadProblem('{\n  "measures": [\n    { "id": "a" "numerator": "x" }\n  ]\n}\n')).toMatch(/^defs\.json, line 3: not valid JSON at column 17: /);
    expect(await loadProblem('{\n  "measures": [\n    { "id": tru }\n  ]\n}\n')).toMatch(/^defs\.json, line 3: not valid JSON at column 16: Unexpected token . .$/);
    expect(await loadProblem('{ "measures": [')).toMatch(/^defs\.json, line 1: not valid JSON at column 16: Unexpected end of JSON input/);
    expect(await loadProblem('{} x')).toMatch(/^defs\.json, line 1: not valid JSON at column 4: Unexpected non-whitespace character after JSON/);
  });

  it('reports an empty or missing file', async () => {
    expect(await loadProblem('  \n')).toBe('defs.json: the file is empty: expected a JSON object with a "measures" list');
    await expect(loadDefinitions(join(tempDir(), 'nope.json'))).rejects.toThrow(/nope\.json: file not found$/);
  });

  it('accepts a byte-order mark', async () => {
    const dir = tempDir({ 'defs.json': `\ufeff${JSON.stringify({ measures: [ok] })}` });
    expect((await loadDefinitions(join(dir, 'defs.json'))).measures).toHaveLength(1);
  });
});

describe('the study definitions', () => {
  const numerators: Record<string, string> = {
    ad_prescribing_rate: 'antidepressent_ssri',
    ad_prescribing_new: 'ad_new_initiation',
    ap_prescribing_rate: 'antipsychotics_prescribing',
    ap_prescribing_new: 'ap_new_initiation',
  };
  const groups: Record<string, string> = { all: 'care_home_type', age: 'ageband_narrow', region: 'region' };

  // The ESP 2013 weights summed into the bands of ageband_narrow: 65-69 and 70-74, 90-94 and 95+.
  const ESP_BANDS = new Map([['65-74', 5500 + 5000], ['75-79', 4000], ['80-84', 2500], ['85-89', 1500], ['90+', 800 + 200]]);

  for (const [file, prefix] of [['measures.json', ''], ['measures_control.json', 'control_']] as const) {
    it(`analysis/${file} declares the 12 measures of the study and 4 age-standardised ones, prefixed "${prefix}"`, async () => {
      const { measures } = await loadDefinitions(join(ROOT, 'analysis', file));
      const expected = Object.entries(numerators).flatMap(([stem, numerator]) => [
        ...Object.entries(groups).map(([suffix, group]) => ({
          id: `${prefix}${stem}_${suffix}`,
          numerator,
          denominator: 'population',
          groupBy: [group],
          disclosure: 'round',
          minGroupSize: 8,
          confidenceInterval: false,
          standardise: null,
        })),
        {
          id: `${prefix}${stem}_std`,
          numerator,
          denominator: 'population',
          groupBy: [],
          disclosure: 'round',
          minGroupSize: 8,
          confidenceInterval: true,
          standardise: { by: 'ageband_narrow', weights: ESP_BANDS },
        },
      ]);
      expect(measures).toEqual(expected);
    });
  }

  it('analysis/measures.schema.json is written from the declarations the loader checks (npm run schemas)', () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'analysis', 'measures.schema.json'), 'utf8'));
    expect(schema).toEqual(definitionsJsonSchema());
    expect(Object.keys(schema.properties)).toEqual(['$schema', 'disclosure_control', 'min_group_size', 'confidence_interval', 'measures']);
    expect(Object.keys(schema.properties.measures.items.properties)).toEqual([
      'id',
      'numerator',
      'denominator',
      'group_by',
      'disclosure_control',
      'min_group_size',
      'confidence_interval',
      'standardise',
    ]);
    expect(schema.properties.measures.items.properties.standardise.properties.weights).toEqual({
      description: expect.stringContaining('esp2013'),
      anyOf: [{ enum: ['esp2013'] }, { type: 'object', additionalProperties: { type: 'number', exclusiveMinimum: 0 }, minProperties: 1 }],
    });
    expect(schema.properties.disclosure_control.enum).toEqual(['round', 'midpoint6', 'suppress', 'none']);
  });
});
