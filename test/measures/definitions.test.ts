import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { checkDefinitions } from '../../src/measures/definitions.js';
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
    expect(defs.measures[0]).toEqual({ id: 'x', numerator: 'flag', denominator: 'flag', groupBy: [], disclosure: 'round' });
  });
});

describe('checkDefinitions explains mistakes, naming the file and the measure', () => {
  it('an unknown key, with the closest valid one', () => {
    expect(problem({ measures: [{ ...ok, numerater: 'x' }] })).toBe(
      'defs.json: measure 1 ("rate"): unknown key "numerater" in a measure; did you mean "numerator"? The valid keys are "id", "numerator", "denominator", "group_by" and "disclosure_control"',
    );
    expect(problem({ measures: [{ ...ok, groupby: 'x' }] })).toMatch(/unknown key "groupby" in a measure; did you mean "group_by"\?/);
    expect(problem({ measure: [ok] })).toMatch(/^defs\.json: unknown key "measure" at the top level; did you mean "measures"\?/);
  });

  it('cohort-extractor\'s small_number_suppression, pointing to disclosure_control', () => {
    expect(problem({ measures: [{ ...ok, small_number_suppression: true }] })).toMatch(/unknown key "small_number_suppression" in a measure: write "disclosure_control": "suppress"/);
  });

  it('a duplicate id, also ignoring case (one file on a case-insensitive disk)', () => {
    expect(problem({ measures: [ok, { ...ok, numerator: 'other' }] })).toBe('defs.json: measures 1 and 2 both have the id "rate"; ids must be unique (each names an output file)');
    expect(problem({ measures: [ok, { ...ok, id: 'other' }, { ...ok, id: 'Rate' }] })).toBe(
      'defs.json: measures 1 and 3 have the ids "rate" and "Rate", which differ only in case; ids must be unique (each names an output file)',
    );
  });

  it('an id that is not letters, digits and underscores (it becomes a file name)', () => {
    for (const id of ['../x', 'a b', 'a-b', 'a.csv', '', 'é']) {
      expect(problem({ measures: [{ ...ok, id }] })).toMatch(/measure 1.*: the id ".*" is not allowed: use only letters, digits and underscores/);
    }
    expect(problem({ measures: [{ ...ok, id: 7 }] })).toMatch(/the id the number 7 is not allowed/);
    expect(problem({ measures: [{ numerator: 'x', denominator: 'population' }] })).toMatch(/measure 1: has no "id"/);
  });

  it('an id longer than 100 characters (a file name has a limit), while 100 are fine', () => {
    const long = 'a'.repeat(210);
    expect(problem({ measures: [{ ...ok, id: long }] })).toBe(
      `defs.json: measure 1 ("${'a'.repeat(60)}…"): the id is 210 characters long; ids are at most 100 characters (each becomes a file name)`,
    );
    expect(checkDefinitions({ measures: [{ ...ok, id: 'b'.repeat(100) }] }, 'defs.json').measures[0]!.id).toHaveLength(100);
  });

  it('an empty or missing numerator or denominator', () => {
    expect(problem({ measures: [{ ...ok, numerator: '' }] })).toBe('defs.json: measure 1 ("rate"): the numerator is empty: name a 0/1 column such as "antidepressent_ssri"');
    expect(problem({ measures: [{ ...ok, numerator: '  ' }] })).toMatch(/the numerator is empty/);
    expect(problem({ measures: [{ id: 'r', denominator: 'population' }] })).toMatch(/measure 1 \("r"\): has no "numerator"/);
    expect(problem({ measures: [{ id: 'r', numerator: 'x' }] })).toMatch(/has no "denominator"/);
    expect(problem({ measures: [{ ...ok, denominator: 3 }] })).toMatch(/the denominator must be a column name \(text\), but it is the number 3/);
  });

  it('"population" mixed with other group_by columns', () => {
    expect(problem({ measures: [{ ...ok, group_by: ['population', 'region'] }] })).toBe(
      'defs.json: measure 1 ("rate"): "group_by" mixes "population" (one group for everyone) with other columns ("region"); use either "population" or the columns',
    );
  });

  it('a group column named value or date', () => {
    expect(problem({ measures: [{ ...ok, group_by: ['region', 'value'] }] })).toMatch(/cannot group by a column named "value": the output has its own "value" column/);
    expect(problem({ measures: [{ ...ok, group_by: 'date' }] })).toMatch(/cannot group by a column named "date"/);
    expect(problem({ measures: [{ ...ok, numerator: 'value' }] })).toMatch(/the numerator cannot be a column named "value"/);
  });

  it('a group_by column that is also the numerator or the denominator', () => {
    expect(problem({ measures: [{ ...ok, group_by: ['region', 'flag'] }] })).toBe(
      'defs.json: measure 1 ("rate"): the column "flag" is both the numerator and in "group_by"; a count cannot also be a group',
    );
    expect(problem({ measures: [{ id: 'r', numerator: 'a', denominator: 'b', group_by: 'b' }] })).toMatch(/"b" is both the denominator and in "group_by"/);
  });

  it('a group_by that is not a name or a list of names, or names a column twice', () => {
    expect(problem({ measures: [{ ...ok, group_by: { region: 1 } }] })).toMatch(/"group_by" must be a column name or a list of column names, but it is an object/);
    expect(problem({ measures: [{ ...ok, group_by: ['region', 3] }] })).toMatch(/"group_by" must list column names \(text\), but it holds the number 3/);
    expect(problem({ measures: [{ ...ok, group_by: ['region', 'region'] }] })).toMatch(/"group_by" names "region" twice/);
    expect(problem({ measures: [{ ...ok, group_by: [''] }] })).toMatch(/"group_by" holds an empty column name/);
  });

  it('a bad disclosure_control value, top-level or per measure', () => {
    expect(problem({ disclosure_control: 'rounded', measures: [ok] })).toBe(
      'defs.json: the top-level "disclosure_control" is "rounded", but must be one of "round", "suppress" and "none"; did you mean "round"?',
    );
    expect(problem({ measures: [{ ...ok, disclosure_control: true }] })).toMatch(/measure 1 \("rate"\): "disclosure_control" is the value true, but must be one of/);
  });

  it('a file that is not an object with a non-empty measures list', () => {
    expect(problem([ok])).toMatch(/^defs\.json: expected a JSON object with a "measures" list, but the file holds a list/);
    expect(problem({})).toMatch(/has no "measures" list/);
    expect(problem({ measures: {} })).toMatch(/"measures" must be a list of measures, but it is an object/);
    expect(problem({ measures: [] })).toMatch(/"measures" is empty/);
    expect(problem({ measures: ['rate'] })).toMatch(/measure 1: expected an object .* but found the text "rate"/);
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

  for (const [file, prefix] of [['measures.json', ''], ['measures_control.json', 'control_']] as const) {
    it(`analysis/${file} declares the 12 measures of the study, prefixed "${prefix}"`, async () => {
      const { measures } = await loadDefinitions(join(ROOT, 'analysis', file));
      const expected = Object.entries(numerators).flatMap(([stem, numerator]) =>
        Object.entries(groups).map(([suffix, group]) => ({ id: `${prefix}${stem}_${suffix}`, numerator, denominator: 'population', groupBy: [group], disclosure: 'round' })),
      );
      expect(measures).toEqual(expected);
    });
  }

  it('the schema names the same keys as the loader accepts', () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'analysis', 'measures.schema.json'), 'utf8'));
    expect(Object.keys(schema.properties)).toEqual(['$schema', 'disclosure_control', 'measures']);
    expect(Object.keys(schema.definitions.measure.properties)).toEqual(['id', 'numerator', 'denominator', 'group_by', 'disclosure_control']);
    expect(schema.definitions.disclosure_control.enum).toEqual(['round', 'suppress', 'none']);
  });
});
