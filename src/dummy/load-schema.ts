// Reads and checks a dummy-data schema file. Every problem is a UserError naming the file and the
// variable, found before anything is generated.

import { readInputText } from '../input/read-input.js';
import { parseJson } from '../input/parse-json.js';
import { quote } from '../errors.js';
import { isoDateOfDay } from '../dates.js';
import { parseVariable } from './parse-variable.js';
import { FLAG_KINDS, type DummySchema, type PopulationFilter, type VariableSpec } from './schema.js';
import { SchemaChecks, shown } from './schema-checks.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SUFFIX = /^[A-Za-z0-9_-]*$/;

export async function loadSchema(file: string): Promise<DummySchema> {
  return parseSchema(await readInputText(file, 'schema'), file);
}

export function parseSchema(text: string, file: string): DummySchema {
  const check = new SchemaChecks(file);
  const top = check.object(parseJson(text, file, 'a JSON object with "variables"'), 'the schema');
  check.keys(top, ['description', 'suffix', 'index_date', 'population', 'variables'], 'the schema');
  const suffix = top.suffix === undefined ? '' : check.string(top.suffix, '"suffix"');
  if (!SUFFIX.test(suffix)) check.fail('"suffix"', `${quote(suffix)} may hold only letters, digits, "_" and "-" (it becomes part of file names)`);
  const indexDate = top.index_date === undefined ? null : isoDateOfDay(check.day(top.index_date, '"index_date"'));

  const variablesObject = check.object(top.variables, '"variables"');
  const variables: VariableSpec[] = [];
  for (const [name, spec] of Object.entries(variablesObject)) {
    if (name === 'patient_id') check.fail(`variable ${quote(name)}`, 'patient_id is always the first column and is not listed');
    if (!NAME.test(name)) check.fail(`variable ${quote(name)}`, 'a column name may hold only letters, digits and "_", and not start with a digit');
    variables.push(parseVariable(name, spec, check));
  }
  checkReferences(variables, check);
  return { file, suffix, indexDate, population: parsePopulation(top.population, check), variables };
}

function parsePopulation(value: unknown, check: SchemaChecks): PopulationFilter {
  const filter: PopulationFilter = { careHome: null, minAge: null, maxAge: null, registeredBetween: null };
  if (value === undefined) return filter;
  const population = check.object(value, '"population"');
  check.keys(population, ['care_home', 'min_age', 'max_age', 'registered_between', 'description'], '"population"');
  if (population.care_home !== undefined) {
    if (typeof population.care_home !== 'boolean') check.fail('"population.care_home"', `expected true or false, got ${shown(population.care_home)}`);
    filter.careHome = population.care_home as boolean;
  }
  if (population.min_age !== undefined) filter.minAge = check.number(population.min_age, '"population.min_age"', { integer: true, min: 0 });
  if (population.max_age !== undefined) filter.maxAge = check.number(population.max_age, '"population.max_age"', { integer: true, min: filter.minAge ?? 0 });
  if (population.registered_between !== undefined) {
    const between = population.registered_between;
    if (!Array.isArray(between) || between.length !== 2) check.fail('"population.registered_between"', `expected ["YYYY-MM-DD", "YYYY-MM-DD"], got ${shown(between)}`);
    const [first, last] = (between as unknown[]).map((d) => check.day(d, '"population.registered_between"')) as [number, number];
    if (first > last) check.fail('"population.registered_between"', 'the first date is after the second');
    filter.registeredBetween = [first, last];
  }
  return filter;
}

/** Names referred to must exist and be of a usable kind, without a cycle among flags. */
function checkReferences(variables: readonly VariableSpec[], check: SchemaChecks): void {
  const byName = new Map(variables.map((v) => [v.name, v]));
  const need = (from: VariableSpec, name: string, ok: (v: VariableSpec) => boolean, what: string) => {
    const target = byName.get(name);
    if (!target) check.fail(`variable ${quote(from.name)}`, `refers to ${quote(name)}, which is not a variable of this schema`);
    if (!ok(target!)) check.fail(`variable ${quote(from.name)}`, `refers to ${quote(name)}, which is not ${what}`);
  };
  for (const v of variables) {
    if (v.kind === 'previous') need(v, v.of, (t) => FLAG_KINDS.has(t.kind), 'a 0/1 flag (bool, previous or derived)');
    if (v.kind === 'derived') for (const name of [...v.allOf, ...v.noneOf]) need(v, name, (t) => FLAG_KINDS.has(t.kind), 'a 0/1 flag (bool, previous or derived)');
    if (v.kind === 'bands') need(v, v.of, (t) => t.kind === 'int', 'an int variable');
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (v: VariableSpec, path: string[]): void => {
    if (state.get(v.name) === 'done') return;
    if (state.get(v.name) === 'visiting') check.fail(`variable ${quote(v.name)}`, `is defined in terms of itself: ${[...path, v.name].join(' → ')}`);
    state.set(v.name, 'visiting');
    const refs = v.kind === 'previous' ? [v.of] : v.kind === 'derived' ? [...v.allOf, ...v.noneOf] : [];
    for (const name of refs) visit(byName.get(name)!, [...path, v.name]);
    state.set(v.name, 'done');
  };
  for (const v of variables) visit(v, []);
}
