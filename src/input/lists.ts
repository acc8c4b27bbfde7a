// Shapes for lists and for objects keyed by data (variable names, measure ids, labels), whose
// keys are not known in advance; objects with declared keys are in object.ts.

import { readEach, type JsonSchema, type Shape } from './checker.js';
import { hasJsonType } from './values.js';

export interface ListOptions {
  /** Default "a list [...]". */
  expected?: string;
  /** An empty list is rejected. */
  nonEmpty?: boolean;
  /** The list must have exactly this many items. */
  length?: number;
}

export function list<T>(item: Shape<T>, { expected = 'a list [...]', nonEmpty = false, length }: ListOptions = {}): Shape<T[]> {
  return {
    expected,
    read(value, place) {
      if (!Array.isArray(value) || (nonEmpty && value.length === 0) || (length !== undefined && value.length !== length)) return place.expected(expected, value);
      return readEach(value.entries(), ([i, v]) => item.read(v, place.at(i)));
    },
    jsonSchema() {
      const schema: JsonSchema = { type: 'array', items: item.jsonSchema() };
      if (nonEmpty) schema.minItems = 1;
      if (length !== undefined) Object.assign(schema, { minItems: length, maxItems: length });
      return schema;
    },
  };
}

/** One item, or a list of them: `"region"` means `["region"]`. */
export function oneOrList<T>(item: Shape<T>, { expected = `${item.expected}, or a list of them` } = {}): Shape<T[]> {
  const many = list(item, { expected });
  return {
    expected,
    read(value, place) {
      if (Array.isArray(value)) return many.read(value, place);
      // A single value of the wrong kind is reported as not fitting either form.
      if (!hasJsonType(value, item.jsonSchema())) place.expected(expected, value);
      return [item.read(value, place)];
    },
    jsonSchema: () => ({ anyOf: [item.jsonSchema(), many.jsonSchema()] }),
  };
}

export interface RecordOptions {
  /** Default "an object {...}". */
  expected?: string;
  /** An object without keys is rejected. */
  nonEmpty?: boolean;
  /** Why a key is not allowed (reported at that key), or undefined when it is fine. */
  keyProblem?: (key: string) => string | undefined;
}

/** An object keyed by data: every value has the shape `value`. Keys keep the file's order. */
export function record<T>(value: Shape<T>, { expected = 'an object {...}', nonEmpty = false, keyProblem }: RecordOptions = {}): Shape<Map<string, T>> {
  return {
    expected,
    read(input, place) {
      if (!isPlainObject(input) || (nonEmpty && Object.keys(input).length === 0)) return place.expected(expected, input);
      const entries = readEach(Object.entries(input), ([key, v]): [string, T] => {
        const problem = keyProblem?.(key);
        if (problem !== undefined) place.at(key).fail(problem);
        return [key, value.read(v, place.at(key))];
      });
      return new Map(entries);
    },
    jsonSchema() {
      const schema: JsonSchema = { type: 'object', additionalProperties: value.jsonSchema() };
      if (nonEmpty) schema.minProperties = 1;
      return schema;
    },
  };
}

/** An object as JSON and YAML write one: not null, not a list. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
