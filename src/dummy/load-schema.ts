// Reads and checks a dummy-data schema file. Every problem is a UserError naming the file and the
// key path, found before anything is generated.

import { readInputText } from '../input/read-input.js';
import { parseJson } from '../input/parse-json.js';
import { quote } from '../errors.js';
import { isoDateOfDay } from '../dates.js';
import { checkInput, convert, isoDay, list, number, object, optional, record, refine, required, text, withDefault, boolean, type Place } from '../input/shapes.js';
import { FLAG_KINDS, type DummySchema, type PopulationFilter, type VariableSpec } from './schema.js';
import { VARIABLE } from './variable-kinds.js';
import { ENTRY_AGE } from './population-model.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Ages no one in the simulated population reaches are an error, not an empty file.
const AGE = number({ integer: true, min: 0, max: 120 });

const POPULATION = convert(
  object({
    care_home: optional(boolean(), 'true: only people in a care home on the index date; false: only people not in one.'),
    min_age: optional(AGE, 'The youngest age on the index date.'),
    max_age: optional(AGE, 'The oldest age on the index date.'),
    registered_between: optional(
      refine(list(isoDay(), { length: 2, expected: '["YYYY-MM-DD", "YYYY-MM-DD"]' }), ([first, last], place) => {
        if (first! > last!) place.fail('the first date is after the second');
      }),
      'Everyone in the population at some time between the dates (inclusive), instead of on the index date.',
    ),
    description: optional(text(), 'Who is in the population, for the reader.'),
  }),
  ({ care_home, min_age, max_age, registered_between }, place): PopulationFilter => {
    if (max_age !== undefined && min_age !== undefined && max_age < min_age) place.at('max_age').expected(`a whole number of at least ${min_age}`, max_age);
    if (max_age !== undefined && max_age < ENTRY_AGE) place.at('max_age').expected(`a whole number of at least ${ENTRY_AGE} (the simulated population is aged ${ENTRY_AGE} and over)`, max_age);
    return { careHome: care_home ?? null, minAge: min_age ?? null, maxAge: max_age ?? null, registeredBetween: registered_between === undefined ? null : [registered_between[0]!, registered_between[1]!] };
  },
);

const SCHEMA = object(
  {
    description: optional(text(), 'What the schema describes, for the reader.'),
    suffix: withDefault(text({ pattern: /^[A-Za-z0-9_-]*$/, expected: 'letters, digits, "_" and "-" only (it becomes part of file names)' }), '', 'Added to "input" in the file names: input<suffix>_<date>.csv.'),
    index_date: optional(isoDay(), 'The date of the single file written without --index-date-range.'),
    population: optional(POPULATION, 'Who is in the file.'),
    variables: required(
      record(VARIABLE, {
        keyProblem: (name) =>
          name === 'patient_id' ? 'patient_id is always the first column and is not listed' : NAME.test(name) ? undefined : 'a column name may hold only letters, digits and "_", and not start with a digit',
      }),
      'The columns after patient_id, in order.',
    ),
  },
  { expected: 'an object with "variables"' },
);

export async function loadSchema(file: string): Promise<DummySchema> {
  return parseSchema(await readInputText(file, 'schema'), file);
}

export function parseSchema(text: string, file: string): DummySchema {
  const schema = checkInput(
    parseJson(text, file, 'a JSON object with "variables"'),
    convert(SCHEMA, (top, place) => {
      const variables = [...top.variables].map(([name, body]) => ({ name, ...body }) as VariableSpec);
      checkReferences(variables, place.at('variables'));
      return { ...top, variables };
    }),
    { file },
  );
  return {
    file,
    suffix: schema.suffix,
    indexDate: schema.index_date === undefined ? null : isoDateOfDay(schema.index_date),
    population: schema.population ?? { careHome: null, minAge: null, maxAge: null, registeredBetween: null },
    variables: schema.variables,
  };
}

/** Names referred to must exist and be of a usable kind, without a cycle among flags. */
function checkReferences(variables: readonly VariableSpec[], place: Place): void {
  const byName = new Map(variables.map((v) => [v.name, v]));
  const need = (at: Place, name: string, ok: (v: VariableSpec) => boolean, what: string) => {
    const target = byName.get(name);
    if (!target) at.fail(`refers to ${quote(name)}, which is not a variable of this schema`);
    if (!ok(target)) at.fail(`refers to ${quote(name)}, which is not ${what}`);
  };
  const isFlag = (t: VariableSpec) => FLAG_KINDS.has(t.kind);
  const FLAG = 'a 0/1 flag (bool, previous or derived)';
  for (const v of variables) {
    const at = (...keys: string[]) => place.at(v.name, ...keys);
    if (v.kind === 'previous') need(at('previous', 'of'), v.of, isFlag, FLAG);
    if (v.kind === 'derived') {
      for (const name of v.allOf) need(at('derived', 'all_of'), name, isFlag, FLAG);
      for (const name of v.noneOf) need(at('derived', 'none_of'), name, isFlag, FLAG);
    }
    if (v.kind === 'bands') need(at('bands', 'of'), v.of, (t) => t.kind === 'int', 'an int variable');
    if (v.kind === 'bool' && v.practiceVariation !== null) need(at('practice_variation', 'of'), v.practiceVariation.of, (t) => t.kind === 'practice', 'a practice variable');
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (v: VariableSpec, path: string[]): void => {
    if (state.get(v.name) === 'done') return;
    if (state.get(v.name) === 'visiting') place.at(v.name).fail(`is defined in terms of itself: ${[...path, v.name].join(' → ')}`);
    state.set(v.name, 'visiting');
    const refs = v.kind === 'previous' ? [v.of] : v.kind === 'derived' ? [...v.allOf, ...v.noneOf] : [];
    for (const name of refs) visit(byName.get(name)!, [...path, v.name]);
    state.set(v.name, 'done');
  };
  for (const v of variables) visit(v, []);
}
