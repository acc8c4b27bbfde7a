// What a measures definitions file may say, checked and normalised, with every mistake explained
// in the researcher's terms: the file, the measure, and what would have been valid.

import { UserError, listNames, quote } from '../errors.js';
import { DISCLOSURE_RULES, type DisclosureRule } from '../release/rules.js';
import { closestName } from './closest-name.js';

/** The special column name meaning "every row counts 1" (as numerator or denominator) or "one group" (as group_by). */
export const POPULATION = 'population';

/** Output columns a group column may not be called. */
const RESERVED_COLUMNS = ['value', 'date'];

const TOP_KEYS = ['$schema', 'disclosure_control', 'measures'];
const MEASURE_KEYS = ['id', 'numerator', 'denominator', 'group_by', 'disclosure_control'];
const ID_PATTERN = /^[A-Za-z0-9_]+$/;
/** Ids become file names (`measure_<id>_<date>.csv`), which file systems limit to 255 bytes. */
export const MAX_ID_LENGTH = 100;

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
}

export interface MeasureDefinitions {
  /** The definitions file, for messages. */
  file: string;
  measures: MeasureDefinition[];
}

/** Checks parsed JSON (from `file`) and returns the measures it defines. */
export function checkDefinitions(json: unknown, file: string): MeasureDefinitions {
  const fail = (reason: string): never => {
    throw new UserError(reason, { file });
  };
  if (!isObject(json)) fail(`expected a JSON object with a "measures" list, but the file holds ${describeJson(json)}`);
  const top = json as Record<string, unknown>;
  checkKeys(top, TOP_KEYS, 'at the top level', fail);
  const defaultRule = checkRule(top.disclosure_control, 'the top-level "disclosure_control"', fail) ?? 'round';
  if (!('measures' in top)) fail('has no "measures" list: expected "measures": [ { "id": ..., "numerator": ..., "denominator": ..., "group_by": [...] }, ... ]');
  if (!Array.isArray(top.measures)) fail(`"measures" must be a list of measures, but it is ${describeJson(top.measures)}`);
  const list = top.measures as unknown[];
  if (list.length === 0) fail('"measures" is empty: define at least one measure');

  const measures: MeasureDefinition[] = [];
  // Keyed in lower case: on a case-insensitive disk "Rate" and "rate" would name the same file.
  const seen = new Map<string, number>();
  list.forEach((entry, index) => {
    const measure = checkMeasure(entry, index, defaultRule, file);
    const first = seen.get(measure.id.toLowerCase());
    if (first !== undefined) {
      const other = measures[first]!.id;
      const what = other === measure.id ? `both have the id ${quote(other)}` : `have the ids ${quote(other)} and ${quote(measure.id)}, which differ only in case`;
      fail(`measures ${first + 1} and ${index + 1} ${what}; ids must be unique (each names an output file)`);
    }
    seen.set(measure.id.toLowerCase(), index);
    measures.push(measure);
  });
  return { file, measures };
}

function checkMeasure(entry: unknown, index: number, defaultRule: DisclosureRule, file: string): MeasureDefinition {
  let name = `measure ${index + 1}`;
  const fail = (reason: string): never => {
    throw new UserError(`${name}: ${reason}`, { file });
  };
  if (!isObject(entry)) fail(`expected an object such as { "id": ..., "numerator": ..., "denominator": ... }, but found ${describeJson(entry)}`);
  const fields = entry as Record<string, unknown>;
  if (typeof fields.id === 'string' && fields.id !== '') name = `measure ${index + 1} (${quote(fields.id)})`;
  checkKeys(fields, MEASURE_KEYS, 'in a measure', fail);

  const id = fields.id;
  if (id === undefined) fail('has no "id": give it one made of letters, digits and underscores (it names the output file)');
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
    fail(`the id ${typeof id === 'string' ? quote(id) : describeJson(id)} is not allowed: use only letters, digits and underscores (it becomes the file name measure_<id>.csv)`);
  }
  if ((id as string).length > MAX_ID_LENGTH) {
    fail(`the id is ${(id as string).length} characters long; ids are at most ${MAX_ID_LENGTH} characters (each becomes a file name)`);
  }
  const numerator = checkColumnName(fields.numerator, 'numerator', fail);
  const denominator = checkColumnName(fields.denominator, 'denominator', fail);
  const groupBy = checkGroupBy(fields.group_by, fail);
  for (const column of groupBy) {
    if (column === numerator) fail(`the column ${quote(column)} is both the numerator and in "group_by"; a count cannot also be a group`);
    if (column === denominator) fail(`the column ${quote(column)} is both the denominator and in "group_by"; a count cannot also be a group`);
  }
  const disclosure = checkRule(fields.disclosure_control, '"disclosure_control"', fail) ?? defaultRule;
  return { id: id as string, numerator, denominator, groupBy, disclosure };
}

function checkColumnName(value: unknown, role: 'numerator' | 'denominator', fail: (reason: string) => never): string {
  const example = role === 'numerator' ? 'a 0/1 column such as "antidepressent_ssri"' : '"population" or a 0/1 column';
  if (value === undefined) fail(`has no "${role}": name ${example}`);
  if (typeof value !== 'string') fail(`the ${role} must be a column name (text), but it is ${describeJson(value)}`);
  const name = value as string;
  if (name.trim() === '') fail(`the ${role} is empty: name ${example}`);
  if (RESERVED_COLUMNS.includes(name)) fail(`the ${role} cannot be a column named ${quote(name)}: the output has its own ${quote(name)} column`);
  return name;
}

/** `group_by` as a list of columns; omitted, `[]`, `"population"` or `["population"]` mean one group. */
function checkGroupBy(value: unknown, fail: (reason: string) => never): string[] {
  if (value === undefined) return [];
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list)) fail(`"group_by" must be a column name or a list of column names, but it is ${describeJson(value)}`);
  const columns = list as unknown[];
  const seen = new Set<string>();
  for (const column of columns) {
    if (typeof column !== 'string') fail(`"group_by" must list column names (text), but it holds ${describeJson(column)}`);
    const name = column as string;
    if (name.trim() === '') fail('"group_by" holds an empty column name');
    if (RESERVED_COLUMNS.includes(name)) fail(`cannot group by a column named ${quote(name)}: the output has its own ${quote(name)} column`);
    if (seen.has(name)) fail(`"group_by" names ${quote(name)} twice`);
    seen.add(name);
  }
  if (seen.has(POPULATION)) {
    if (columns.length > 1) fail(`"group_by" mixes "population" (one group for everyone) with other columns (${listNames((columns as string[]).filter((c) => c !== POPULATION))}); use either "population" or the columns`);
    return [];
  }
  return columns as string[];
}

function checkRule(value: unknown, what: string, fail: (reason: string) => never): DisclosureRule | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && (DISCLOSURE_RULES as readonly string[]).includes(value)) return value as DisclosureRule;
  const shown = typeof value === 'string' ? quote(value) : describeJson(value);
  const hint = typeof value === 'string' ? `; did you mean ${quote(closestName(value, DISCLOSURE_RULES))}?` : '';
  return fail(`${what} is ${shown}, but must be one of ${listNames(DISCLOSURE_RULES)}${hint}`);
}

function checkKeys(fields: Record<string, unknown>, valid: readonly string[], where: string, fail: (reason: string) => never): void {
  for (const key of Object.keys(fields)) {
    if (valid.includes(key)) continue;
    if (key === 'small_number_suppression') {
      fail(`unknown key "small_number_suppression" ${where}: write "disclosure_control": "suppress" (or "round", the default, or "none") instead`);
    }
    const keys = valid.filter((k) => k !== '$schema');
    fail(`unknown key ${quote(key)} ${where}; did you mean ${quote(closestName(key, keys))}? The valid keys are ${listNames(keys)}`);
  }
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short description of a JSON value for messages: `a number (3)`, `a list`, ... */
function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the text ${quote(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value === 'number' ? 'the number' : 'the value'} ${String(value)}`;
  return 'an object';
}
