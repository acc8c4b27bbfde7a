// One variable of a dummy-data schema: exactly one kind key (category, int, code, date, bool,
// previous, derived, bands, practice) says what it holds, and each kind declares the keys it accepts.

import { quote } from '../errors.js';
import {
  convert, isPlainObject, isoDay, list, nullable, number, object, oneOf, oneOrList, optional, record, refine, required, shape, text, withDefault,
  type Fields, type ObjectOf, type Place, type Shape,
} from '../input/shapes.js';
import { INCIDENCE, UNIVERSAL, incidenceOf } from './incidence.js';
import type { DateBound, DateFormat, IntDistribution, VariableKind, VariableSpec } from './schema.js';

/** A variable as the schema gives it; its name is the key it is listed under. */
export type VariableBody = VariableSpec extends infer V ? (V extends unknown ? Omit<V, 'name'> : never) : never;

const KINDS: readonly VariableKind[] = ['category', 'int', 'code', 'date', 'bool', 'previous', 'derived', 'bands', 'practice'];
const DATE_FORMATS: readonly DateFormat[] = ['YYYY', 'YYYY-MM', 'YYYY-MM-DD'];
const DESCRIPTION = optional(text(), 'What the variable is, for the reader.');
// At most 15 digits, so every value is exact and written as digits (1e300 would be neither).
const WHOLE = number({ integer: true, min: -999_999_999_999_999, max: 999_999_999_999_999 });
const NAME = text({ expected: 'a variable name' });
const NAMES = oneOrList(NAME, { expected: 'a list of variable names' });

/** A variable of one kind: its kind key and the keys beside it. */
function kind<F extends Fields>(fields: F, build: (fields: ObjectOf<F>, place: Place) => VariableBody): Shape<VariableBody> {
  return convert(object({ ...fields, description: DESCRIPTION }), build);
}

/** A whole number at least `min` (another key's value), reported at `key`. */
function atLeast(value: number, min: number, place: Place): void {
  if (value < min) place.expected(`a whole number of at least ${min}`, value);
}

const CATEGORY = kind(
  {
    category: required(object({ ratios: required(record(number({ min: 0, max: 1 }), { nonEmpty: true, expected: '{"label": share, ...}' }), 'Each label with its share.') }, { otherKeys: 'ignore' }), 'One of the labels with these shares (adding up to 1); fixed per person.'),
    incidence: INCIDENCE,
    rate: UNIVERSAL,
  },
  ({ category, incidence, rate }, place) => {
    const total = [...category.ratios.values()].reduce((a, b) => a + b, 0);
    if (Math.abs(total - 1) > 1e-6) place.at('category', 'ratios').fail(`the ratios add up to ${Math.round(total * 1e6) / 1e6}, expected 1`);
    return { kind: 'category', labels: [...category.ratios.keys()], ratios: [...category.ratios.values()], incidence: incidenceOf(incidence, rate, place) };
  },
);

const DISTRIBUTIONS: { [D in IntDistribution['distribution']]: Shape<IntDistribution> } = {
  population_ages: object({ distribution: required(oneOf(['population_ages']), "The person's age on the index date.") }),
  normal: object({ distribution: required(oneOf(['normal']), 'Normal.'), mean: required(number({ min: -1e9, max: 1e9 }), 'The mean.'), stddev: required(number({ min: 0, max: 1e9 }), 'The standard deviation.') }),
  uniform: refine(
    object({ distribution: required(oneOf(['uniform']), 'Uniform.'), min: required(WHOLE, 'The lowest value.'), max: required(WHOLE, 'The highest value.') }),
    ({ min, max }, place) => atLeast(max, min, place.at('max')),
  ),
  poisson: object({ distribution: required(oneOf(['poisson']), 'Poisson.'), mean: required(number({ min: 0, max: 1e6 }), 'The mean.') }),
};
const DISTRIBUTION = oneOf(Object.keys(DISTRIBUTIONS) as Array<IntDistribution['distribution']>);

const INT_BODY = shape('{"distribution": ...}', { anyOf: Object.values(DISTRIBUTIONS).map((s) => s.jsonSchema()) }, (value, place): IntDistribution => {
  if (!isPlainObject(value)) return place.expected('{"distribution": ...}', value);
  return DISTRIBUTIONS[DISTRIBUTION.read(value.distribution, place.at('distribution'))].read(value, place);
});

const INT = kind(
  { int: required(INT_BODY, 'population_ages, normal (mean, stddev), uniform (min, max) or poisson (mean); fixed per person.'), incidence: INCIDENCE, rate: UNIVERSAL },
  ({ int, incidence, rate }, place) => ({ kind: 'int', int, incidence: incidenceOf(incidence, rate, place) }),
);

const CODE = kind(
  {
    code: required(
      object({
        prefix: withDefault(text(), '', 'Written before the number, such as "E02".'),
        min: required(number({ integer: true, min: 0 }), 'The lowest number.'),
        max: required(WHOLE, 'The highest number.'),
        digits: optional(number({ integer: true, min: 1, max: 15 }), 'Digits of the number, zero-padded; by default those of max.'),
      }),
      'A code such as E02001234; fixed per person.',
    ),
    incidence: INCIDENCE,
    rate: UNIVERSAL,
  },
  ({ code, incidence, rate }, place) => {
    atLeast(code.max, code.min, place.at('code', 'max'));
    // Fewer digits than max has would write codes of differing lengths.
    const maxDigits = String(code.max).length;
    if (code.digits !== undefined && code.digits < maxDigits) place.at('code', 'digits').expected(`a whole number of at least ${maxDigits} (the digits of max, ${code.max})`, code.digits);
    return { kind: 'code', prefix: code.prefix, min: code.min, max: code.max, digits: code.digits ?? String(code.max).length, incidence: incidenceOf(incidence, rate, place) };
  },
);

const DATE_BOUND = shape<DateBound>('a date YYYY-MM-DD or "index_date"', { anyOf: [isoDay().jsonSchema(), { const: 'index_date' }] }, (value, place) =>
  value === 'index_date' ? 'index_date' : isoDay({ expected: 'a date YYYY-MM-DD or "index_date"' }).read(value, place),
);

const DATE = kind(
  {
    date: required(object({ earliest: required(DATE_BOUND, 'The earliest date.'), latest: required(DATE_BOUND, 'The latest date.') }), 'A date between earliest and latest.'),
    date_format: withDefault(oneOf(DATE_FORMATS), 'YYYY-MM-DD', 'How the date is written.'),
    rate: withDefault(oneOf(['uniform', 'exponential_increase', 'universal']), 'uniform', '"exponential_increase" crowds dates towards latest; "universal": everyone has a value.'),
    incidence: INCIDENCE,
  },
  ({ date: { earliest, latest }, date_format, rate, incidence }, place) => {
    if (typeof earliest === 'number' && typeof latest === 'number' && earliest > latest) place.at('date').fail('earliest is after latest');
    if (earliest === 'index_date' && latest === 'index_date') place.at('date').fail('earliest and latest cannot both be "index_date"');
    return { kind: 'date', earliest, latest, rate: rate === 'exponential_increase' ? rate : 'uniform', format: date_format, incidence: incidenceOf(incidence, rate, place) };
  },
);

const BOOL = kind(
  {
    bool: required(oneOf([true]), 'A 0/1 flag, 1 for a share "incidence" of the people on each date.'),
    incidence: INCIDENCE,
    rate: UNIVERSAL,
    persistence: withDefault(number({ min: 0, max: 1 }), 0.8, "How much a person's flag carries over between dates (0: drawn afresh; 1: fixed)."),
    practice_variation: optional(
      object({
        of: required(NAME, 'A practice variable.'),
        sd: required(number({ min: 0, max: 5 }), "The standard deviation, across practices, of the shift in the flag's log odds."),
      }),
      "The flag's share differs between the practices of the practice variable \"of\": each practice shifts its log odds by sd times a standard normal draw.",
    ),
  },
  ({ incidence, rate, persistence, practice_variation }, place) => {
    if (incidence === undefined && rate !== 'universal') place.at('incidence').expected('the share of 1s (a 0/1 flag needs one)', undefined);
    return { kind: 'bool', incidence: incidenceOf(incidence, rate, place), persistence, practiceVariation: practice_variation ?? null };
  },
);

const PREVIOUS = kind(
  {
    previous: required(
      object({ of: required(NAME, 'A 0/1 flag.'), months: required(oneOrList(number({ integer: true, min: 1, max: 1200 }), { expected: 'a number of months, or a list of them' }), 'Months before the index date.') }),
      '1 if the flag "of" was 1 on any of the dates that many months before the index date.',
    ),
  },
  ({ previous }) => ({ kind: 'previous', of: previous.of, months: previous.months }),
);

const DERIVED = kind(
  {
    derived: required(
      object({ all_of: withDefault(NAMES, [], 'Flags that must be 1.'), none_of: withDefault(NAMES, [], 'Flags that must be 0.') }),
      '1 if every flag in all_of is 1 and none in none_of is.',
    ),
  },
  ({ derived: { all_of, none_of } }, place) => {
    if (all_of.length + none_of.length === 0) place.at('derived').fail('needs "all_of" or "none_of" (flags that must be 1, or 0)');
    return { kind: 'derived', allOf: all_of, noneOf: none_of };
  },
);

const BAND = convert(list(nullable(WHOLE), { length: 2, expected: '[lowest, highest] (highest may be null)' }), ([low, high], place) => {
  if (low === null || low === undefined) return place.at(0).expected('a whole number', low);
  if (high !== null && high !== undefined) atLeast(high, low, place.at(1));
  return { min: low, max: high ?? Infinity };
});

const BANDS = kind(
  {
    bands: required(
      object({
        of: required(NAME, 'An int variable.'),
        bands: required(record(BAND, { nonEmpty: true, expected: '{"label": [lowest, highest], ...}' }), 'Each label with its range.'),
        otherwise: withDefault(text(), '', 'The label outside every band.'),
      }),
      'The label of the band [lowest, highest] holding the int "of", else "otherwise".',
    ),
  },
  ({ bands }) => ({ kind: 'bands', of: bands.of, bands: [...bands.bands].map(([label, range]) => ({ label, ...range })), otherwise: bands.otherwise }),
);

const PRACTICE = kind(
  {
    practice: required(
      object({ count: required(number({ integer: true, min: 1, max: 100_000 }), 'How many practices there are.') }),
      'The id (1 to count) of the practice the person is registered with; fixed per person.',
    ),
  },
  ({ practice }) => ({ kind: 'practice', count: practice.count }),
);

const KIND_SHAPES: { [K in VariableKind]: Shape<VariableBody> } = {
  category: CATEGORY, int: INT, code: CODE, date: DATE, bool: BOOL, previous: PREVIOUS, derived: DERIVED, bands: BANDS, practice: PRACTICE,
};

/** A variable: the one kind key it has decides which keys it may have beside it. */
export const VARIABLE = shape<VariableBody>('a variable {"<kind>": ...}', { anyOf: KINDS.map((k) => KIND_SHAPES[k].jsonSchema()) }, (value, place) => {
  if (!isPlainObject(value)) return place.expected('an object {...}', value);
  const kinds = KINDS.filter((k) => Object.hasOwn(value, k));
  if (kinds.length !== 1) {
    const got = kinds.length === 0 ? 'none' : kinds.map((k) => quote(k)).join(' and ');
    place.fail(`expected exactly one of ${KINDS.map((k) => quote(k)).join(', ')} to say what kind of value it is; got ${got}`);
  }
  return KIND_SHAPES[kinds[0]!].read(value, place);
});
