import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import {
  boolean, checkInput, convert, either, formatKeyPath, isoDay, list, nullable, number, object, oneOf, oneOrList, optional, record, refine, required, showValue, text, withDefault,
  type CheckOptions, type Shape,
} from '../../src/input/shapes.js';

/** The message checkInput gives for `value`, which must be a UserError. */
function problem(value: unknown, shape: Shape<unknown>, options: Partial<CheckOptions> = {}): string {
  try {
    checkInput(value, shape, { file: 'in.json', ...options });
  } catch (error) {
    if (error instanceof UserError) return error.message;
    throw error;
  }
  throw new Error('expected a UserError');
}

const COLUMN = text({ nonEmpty: true, not: ['value'], expected: 'a column name' });
const MEASURE = object({
  id: required(text({ pattern: /^\w+$/, expected: 'letters, digits and underscores' }), 'The id.'),
  group_by: withDefault(oneOrList(COLUMN, { expected: 'a column name or a list of column names' }), [], 'Groups.'),
  share: optional(boolean(), 'Whether to share.'),
});
const FILE = object({ rule: withDefault(oneOf(['round', 'suppress', 'none']), 'round', 'The rule.'), measures: required(list(MEASURE, { nonEmpty: true }), 'The measures.') });

describe('showValue(value)', () => {
  it('names the kind of value and quotes it, shortened', () => {
    expect([3, 'abc', true, null, undefined, [1, 'a'], { a: 1 }].map(showValue)).toEqual([
      'the number 3', 'the text "abc"', 'true', 'null', 'nothing', 'the list [1,"a"]', 'the object {"a":1}',
    ]);
    expect(showValue('x'.repeat(100))).toBe(`the text "${'x'.repeat(60)}…"`);
    expect(showValue(Array(100).fill(1))).toBe(`the list [${'1,'.repeat(29)}1…`);
  });
});

describe('formatKeyPath(path)', () => {
  it('writes keys with dots, indexes in brackets, and quotes keys that are not plain', () => {
    expect(formatKeyPath(['measures', 2, 'group_by', 0])).toBe('measures[2].group_by[0]');
    expect(formatKeyPath(['variables', 'a b', 'incidence', '2020-01-01'])).toBe('variables["a b"].incidence.2020-01-01');
    expect(formatKeyPath([])).toBe('');
  });
});

describe('checkInput(value, shape)', () => {
  it('returns the value with defaults filled in and single names as lists', () => {
    expect(checkInput({ measures: [{ id: 'a' }, { id: 'b', group_by: 'sex', share: false }] }, FILE, { file: 'in.json' })).toEqual({
      rule: 'round',
      measures: [{ id: 'a', group_by: [], share: undefined }, { id: 'b', group_by: ['sex'], share: false }],
    });
  });

  it('names the file and the key path, says what was expected and quotes what it got', () => {
    expect(problem({ measures: [{ id: 'a' }, { id: 'b' }, { id: 'c', group_by: 3 }] }, FILE)).toBe(
      'in.json: measures[2].group_by: expected a column name or a list of column names, got the number 3',
    );
    expect(problem({ measures: [{ id: 'c', group_by: ['sex', 'value'] }] }, FILE)).toBe('in.json: measures[0].group_by[1]: expected a column name, got the text "value"');
    expect(problem({ measures: [{ id: 'a b' }] }, FILE)).toBe('in.json: measures[0].id: expected letters, digits and underscores, got the text "a b"');
    expect(problem({ measures: [] }, FILE)).toBe('in.json: measures: expected a list [...], got the list []');
    expect(problem([], FILE)).toBe('in.json: expected an object {...}, got the list []');
  });

  it('reports a missing key as "got nothing"', () => {
    expect(problem({}, FILE)).toBe('in.json: measures: expected a list [...], got nothing');
  });

  it('refuses an unknown key, suggesting the declared key it was probably meant to be', () => {
    expect(problem({ measures: [{ id: 'a', groupby: 'x' }] }, FILE)).toBe(
      'in.json: measures[0].groupby: unknown key "groupby" (expected one of "id", "group_by" and "share"); did you mean "group_by"?',
    );
    expect(problem({ colour: 1, measures: [{ id: 'a' }] }, FILE)).toBe('in.json: colour: unknown key "colour" (expected one of "rule" and "measures")');
    const withAdvice = object({ a: optional(text(), 'A.') }, { advice: { b: 'write "a" instead' }, keyNoun: 'setting' });
    expect(problem({ b: 1 }, withAdvice)).toBe('in.json: b: unknown setting "b": write "a" instead');
    expect(checkInput({ a: 'x', version: 3 }, object({ a: optional(text(), 'A.') }, { otherKeys: 'ignore' }), { file: 'f' })).toEqual({ a: 'x' });
  });

  it('suggests the closest of a few names for a mistyped one', () => {
    expect(problem({ rule: 'rounded', measures: [{ id: 'a' }] }, FILE)).toBe(
      'in.json: rule: expected one of "round", "suppress" and "none", got the text "rounded"; did you mean "round"?',
    );
    expect(problem({ rule: 'zzz', measures: [{ id: 'a' }] }, FILE)).toBe('in.json: rule: expected one of "round", "suppress" and "none", got the text "zzz"');
  });

  it('reads numbers, dates, null and keyed objects', () => {
    expect(problem(1.5, number({ integer: true, min: 0 }))).toBe('in.json: expected a whole number of at least 0, got the number 1.5');
    expect(problem(2, number({ min: 0, max: 1 }))).toBe('in.json: expected a number from 0 to 1, got the number 2');
    expect(problem('12', number({ integer: true }))).toBe('in.json: expected a whole number, got the text "12"');
    expect(checkInput(' 12', number({ integer: true, digitsAsText: true }), { file: 'f' })).toBe(12);
    expect(problem('1e3', number({ integer: true, digitsAsText: true }))).toBe('in.json: expected a whole number, got the text "1e3"');
    expect(checkInput('1970-01-02', isoDay(), { file: 'f' })).toBe(1);
    expect(problem('2021-02-29', isoDay())).toBe('in.json: expected a date YYYY-MM-DD, got the text "2021-02-29"');
    expect(checkInput([null, 'a'], list(nullable(text())), { file: 'f' })).toEqual([null, 'a']);
    expect(checkInput({ b: 1, a: 2 }, record(number()), { file: 'f' })).toEqual(new Map([['b', 1], ['a', 2]]));
    const keyed = record(number(), { keyProblem: (key) => (key.includes('-') ? 'a name has no "-"' : undefined) });
    expect(problem({ ok: 1, 'a-b': 2 }, keyed)).toBe('in.json: a-b: a name has no "-"');
  });

  it('tells the shapes of either apart by JSON type', () => {
    const weights = either([oneOf(['esp2013']), record(number({ min: 0 }))], { expected: '"esp2013" or {"<level>": <weight>, ...}' });
    expect(checkInput('esp2013', weights, { file: 'f' })).toBe('esp2013');
    expect(checkInput({ a: 1 }, weights, { file: 'f' })).toEqual(new Map([['a', 1]]));
    expect(problem('esp', weights)).toBe('in.json: expected "esp2013", got the text "esp"');
    expect(problem({ a: -1 }, weights)).toBe('in.json: a: expected a number of at least 0, got the number -1');
    expect(problem(3, weights)).toBe('in.json: expected "esp2013" or {"<level>": <weight>, ...}, got the number 3');
  });

  it('runs a refinement after the shape, and converts', () => {
    const range = refine(object({ min: required(number(), 'Low.'), max: required(number(), 'High.') }), ({ min, max }, place) => {
      if (max < min) place.at('max').expected(`a number of at least ${min}`, max);
    });
    expect(problem({ min: 5, max: 1 }, range)).toBe('in.json: max: expected a number of at least 5, got the number 1');
    expect(checkInput('a,b', convert(text(), (t) => t.split(',')), { file: 'f' })).toEqual(['a', 'b']);
  });

  it('gives each caller its own copy of a default', () => {
    const shape = object({ list: withDefault(list(text()), [] as string[], 'A list.') });
    checkInput({}, shape, { file: 'f' }).list.push('changed');
    expect(checkInput({}, shape, { file: 'f' }).list).toEqual([]);
  });

  it('collects every problem, with its line, when asked; absent and null keys then mean the same', () => {
    const lineOf = (path: readonly unknown[]) => path.length + 1;
    const shape = object({ a: required(number(), 'A.'), b: withDefault(list(number()), [], 'B.'), c: optional(text(), 'C.') });
    expect(checkInput({ a: 1, b: null }, shape, { file: 'f', collect: true, nullIsAbsent: true })).toEqual({ a: 1, b: [], c: undefined });
    expect(problem({ a: 'x', b: [1, 'y', 'z'], d: 1 }, shape, { file: 'p.yaml', collect: true, lineOf, outcome: 'nothing was run' })).toBe(
      'p.yaml: 4 problems; nothing was run:\n' +
        '  line 2: d: unknown key "d" (expected one of "a", "b" and "c")\n' +
        '  line 2: a: expected a number, got the text "x"\n' +
        '  line 3: b[1]: expected a number, got the text "y"\n' +
        '  line 3: b[2]: expected a number, got the text "z"',
    );
    expect(problem({ a: 'x' }, shape, { file: 'p.yaml', collect: true, lineOf, outcome: 'nothing was run' })).toBe('p.yaml, line 2: a: expected a number, got the text "x"; nothing was run');
  });

  it('describes the accepted input as a JSON Schema, with each key\'s documentation and default', () => {
    expect(MEASURE.jsonSchema()).toEqual({
      type: 'object',
      additionalProperties: false,
      required: ['id'],
      properties: {
        id: { type: 'string', pattern: '^\\w+$', description: 'The id.' },
        group_by: {
          anyOf: [
            { type: 'string', minLength: 1, not: { enum: ['value'] } },
            { type: 'array', items: { type: 'string', minLength: 1, not: { enum: ['value'] } } },
          ],
          description: 'Groups.',
          default: [],
        },
        share: { type: 'boolean', description: 'Whether to share.' },
      },
    });
  });
});
