// What a measures definitions file may say, declared once with each key's default and
// documentation (analysis/measures.schema.json is written from these declarations), checked and
// normalised, with every mistake explained at its key path.

import { listNames, quote } from '../errors.js';
import { boolean, checkInput, convert, either, list, number, object, oneOf, oneOrList, optional, record, refine, required, shape, text, withDefault, type JsonSchema, type Place } from '../input/shapes.js';
import { MEASURE_FILE_COLUMNS, MEASURE_ID } from '../layouts/measure-file.js';
import { DISCLOSURE_RULES, type DisclosureRule } from '../release/rules.js';
import { defaultMinGroupSize } from '../release/group-size.js';
import { POPULATION } from './population.js';

/** Ids become file names (`measure_<id>_<YYYY-MM-DD>.csv`), which file systems limit to 255 bytes. */
export const MAX_ID_LENGTH = 100;

export { POPULATION } from './population.js';

/** One measure, normalised: `groupBy` is empty for one group covering the whole population. */
export interface MeasureDefinition {
  /** Letters, digits and underscores; names the output files `measure_<id>.csv`. */
  id: string;
  /** A cohort column of non-negative integers (usually 0/1 flags), or `population`. */
  numerator: string;
  /** A cohort column of non-negative integers, or `population` (every row counts 1). */
  denominator: string;
  /** Cohort columns to group by, in output order; `[]` for the whole population. */
  groupBy: string[];
  /** The measure's own rule, or the file's default. */
  disclosure: DisclosureRule;
  /** Cohort rows a group needs on some date to be written (0: every group is). */
  minGroupSize: number;
  /** Add a 95% interval for `value` (the columns `lower` and `upper`). */
  confidenceInterval: boolean;
  /** Add the directly standardised rate and its interval over the strata of a column; null for none. */
  standardise: Standardisation | null;
}

/** Direct standardisation of a measure over the levels of one column. */
export interface Standardisation {
  /** The column whose levels are the strata: age bands, say, or whole-number ages with "esp2013". */
  by: string;
  /**
   * The standard population's weight per level of `by`, or "esp2013": `by` holds ages in whole
   * years, put into the bands of the 2013 European Standard Population and weighted by them.
   */
  weights: ReadonlyMap<string, number> | 'esp2013';
}

export interface MeasureDefinitions {
  /** The definitions file, for messages. */
  file: string;
  measures: MeasureDefinition[];
}

/** A cohort column that is not one of the output's own. */
const column = (expected: string) => text({ nonEmpty: true, expected, not: MEASURE_FILE_COLUMNS, notWhy: (name) => `the output has its own ${quote(name)} column` });
const COLUMN = column('a column name');
const RULE = oneOf(DISCLOSURE_RULES);
const WEIGHT = shape('a weight above 0', { type: 'number', exclusiveMinimum: 0 }, (value, place) =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : place.expected('a weight above 0 (a number, such as the standard population of the level)', value),
);
const WEIGHTS = either(
  [
    oneOf(['esp2013'], { expected: '"esp2013"' }),
    record(WEIGHT, { expected: '{"<level>": <weight>, ...}', nonEmpty: true }),
  ],
  { expected: '"esp2013" (the 2013 European Standard Population, over a column of ages) or {"<level>": <weight>, ...} (a weight above 0 for every level of "by")' },
);
const STANDARDISE = object(
  {
    by: required(
      column('a column whose levels are the strata, such as "ageband_narrow" or "age"'),
      'The column whose levels are the strata; not a group_by column. With "weights": "esp2013", a column of ages in whole years.',
    ),
    weights: required(
      WEIGHTS,
      'The standard population: {"<level>": <weight>, ...} with a weight above 0 for every level of "by" found in the data, or "esp2013": the 2013 European Standard Population in its 5-year age bands (0-4, 5-9, ..., 90-94, 95+), "by" holding whole-number ages.',
    ),
  },
  { expected: 'a standardisation {"by": "<column>", "weights": {"<level>": <weight>, ...} or "esp2013"}' },
);
const GROUP_SIZE = number({ integer: true, min: 0, expected: 'a whole number of 0 or more (cohort rows a group needs on some date; 0 keeps every group)' });

/** `group_by` as a list of columns; omitted, `[]`, `"population"` or `["population"]` mean one group. */
const GROUP_BY = convert(oneOrList(COLUMN, { expected: 'a column name or a list of column names' }), (columns, place) => {
  const seen = new Set<string>();
  columns.forEach((column, i) => {
    if (seen.has(column)) place.at(i).fail(`${quote(column)} is named twice`);
    seen.add(column);
  });
  if (!seen.has(POPULATION)) return columns;
  const others = columns.filter((c) => c !== POPULATION);
  if (others.length > 0) place.fail(`mixes "population" (one group for everyone) with other columns (${listNames(others)}); use either "population" or the columns`);
  return [];
});

const MEASURE = refine(
  object(
    {
      id: required(
        text({ pattern: MEASURE_ID, maxLength: MAX_ID_LENGTH, expected: 'an id of letters, digits and underscores (it becomes the file name measure_<id>.csv)' }),
        `Unique; letters, digits and underscores only, at most ${MAX_ID_LENGTH} characters (it becomes the file name measure_<id>.csv).`,
      ),
      numerator: required(
        column('a column of 0/1 flags or counts, such as "antidepressent_ssri", or "population"'),
        'A cohort column of 0/1 flags or non-negative integers, or "population" (every row counts 1). Counted only for rows in the denominator (denominator > 0); an empty cell counts 0.',
      ),
      denominator: required(column('"population" or a column of 0/1 flags or counts'), 'A cohort column of 0/1 flags or non-negative integers, or "population" (every row counts 1). An empty cell counts 0.'),
      group_by: withDefault(
        GROUP_BY,
        [],
        'A cohort column or a list of them (output columns in this order). Omitted, [] or "population": one group for the whole population. Must not name the numerator or denominator.',
      ),
      disclosure_control: optional(RULE, "This measure's rule, overriding the top-level one."),
      min_group_size: optional(GROUP_SIZE, "This measure's group size, overriding the top-level one."),
      confidence_interval: optional(boolean(), "Whether this measure's files get the columns lower and upper (a 95% interval for value), overriding the top-level setting."),
      standardise: optional(
        STANDARDISE,
        'Directly standardise the measure over the strata of a column: the files gain standardised_value, standardised_lower and standardised_upper (a 95% interval by Dobson\'s method), computed from the released counts of each stratum; empty when fewer than 10 events are left.',
      ),
    },
    {
      expected: 'a measure {"id": ..., "numerator": ..., "denominator": ...}',
      advice: { small_number_suppression: 'write "disclosure_control": "suppress" (or "round", the default, "midpoint6" or "none") instead' },
    },
  ),
  ({ numerator, denominator, group_by, standardise }, place) => {
    group_by.forEach((column, i) => {
      for (const [role, count] of [['numerator', numerator], ['denominator', denominator]] as const) {
        if (column === count) place.at('group_by', i).fail(`${quote(column)} is also the ${role}; a count cannot also be a group`);
      }
    });
    if (standardise === undefined) return;
    const by = place.at('standardise', 'by');
    const { by: column } = standardise;
    if (column === POPULATION) by.fail(`"population" is not a column; name the column whose levels are the strata, such as "ageband_narrow"`);
    if (group_by.includes(column)) by.fail(`${quote(column)} is also in group_by; a column cannot be both a group and the strata standardised over (remove it from one)`);
    for (const [role, count] of [['numerator', numerator], ['denominator', denominator]] as const) {
      if (column === count) by.fail(`${quote(column)} is also the ${role}; a count cannot also be the strata`);
    }
  },
);

const DEFINITIONS = object(
  {
    $schema: optional(text(), 'Path or URL of this schema, for editors.'),
    disclosure_control: withDefault(
      RULE,
      'round',
      'Default rule for every measure. "round" (the default): counts of 7 or less become 0, then counts are rounded to the nearest 5. "midpoint6": OpenSAFELY\'s midpoint 6 rounding (0 stays 0; 1-6 become 3, 7-12 become 9, ...). "suppress": cohort-extractor\'s small-number suppression (counts 1-5 blanked, plus the next smallest when they add up to 5 or less). "none": raw counts (not for release).',
    ),
    min_group_size: optional(
      GROUP_SIZE,
      'Default for every measure: a group is written only if at least this many cohort rows have it on at least one date; other groups are left out of all the measure\'s files. Default 8, or 0 under "none"; 0 keeps every group.',
    ),
    confidence_interval: withDefault(
      boolean(),
      false,
      'Default for every measure: true adds the columns lower and upper after value, a 95% interval for value (Wilson\'s when the numerator is a 0/1 flag column or "population", else Byar\'s for a rate of events), computed from the released counts; empty where value is.',
    ),
    measures: required(
      list(MEASURE, { nonEmpty: true, expected: 'a list of one or more measures, [{"id": ..., "numerator": ..., "denominator": ..., "group_by": [...]}, ...]' }),
      'The measures; each writes measure_<id>_<date>.csv per dated cohort file and measure_<id>.csv for all dates.',
    ),
  },
  { expected: 'an object with a "measures" list' },
);

/** analysis/measures.schema.json: the JSON Schema editors use to complete and check a definitions file. */
export function definitionsJsonSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'measures.schema.json',
    title: 'analyse measures definitions',
    description: 'Measures computed by `analyse measures`: for every dated cohort file, numerator and denominator summed per group, and value = numerator / denominator.',
    ...DEFINITIONS.jsonSchema(),
  };
}

/** Checks parsed JSON (from `file`) and returns the measures it defines. */
export function checkDefinitions(json: unknown, file: string): MeasureDefinitions {
  const checked = checkInput(
    json,
    refine(DEFINITIONS, ({ measures }, place) => checkUniqueIds(measures, place.at('measures'))),
    { file },
  );
  const measures = checked.measures.map((m) => {
    const disclosure = m.disclosure_control ?? checked.disclosure_control;
    const minGroupSize = m.min_group_size ?? checked.min_group_size ?? defaultMinGroupSize(disclosure);
    const confidenceInterval = m.confidence_interval ?? checked.confidence_interval;
    const standardise = m.standardise === undefined ? null : { by: m.standardise.by, weights: m.standardise.weights };
    return { id: m.id, numerator: m.numerator, denominator: m.denominator, groupBy: m.group_by, disclosure, minGroupSize, confidenceInterval, standardise };
  });
  return { file, measures };
}

/** Ids name output files: on a case-insensitive disk "Rate" and "rate" would name the same one. */
function checkUniqueIds(measures: ReadonlyArray<{ id: string }>, place: Place): void {
  const seen = new Map<string, number>();
  measures.forEach(({ id }, index) => {
    const first = seen.get(id.toLowerCase());
    if (first !== undefined) {
      const other = measures[first]!.id;
      const same = other === id ? `is also the id of measures[${first}]` : `differs only in case from the id of measures[${first}], ${quote(other)}`;
      place.at(index, 'id').fail(`${quote(id)} ${same}; ids must be unique (each names an output file)`);
    }
    seen.set(id.toLowerCase(), index);
  });
}
