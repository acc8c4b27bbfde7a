// Objects with declared keys. Each key is one declaration: its shape, whether it must be given or
// its default, and its documentation (which becomes the JSON Schema's description), so adding a
// setting is one line. Unknown keys are refused with a "did you mean", so a typo is never ignored.

import { listNames, quote } from '../errors.js';
import { readEach, type JsonSchema, type Place, type Shape } from './checker.js';
import { suggestName } from './closest-name.js';
import { isPlainObject } from './lists.js';

/** One declared key: how it is read when present and what it is when absent. */
export interface Field<T> {
  readonly shape: Shape<unknown>;
  /** What the key means, for the researcher. */
  readonly doc: string;
  readonly required: boolean;
  /** The default, for the schema; undefined when there is none. */
  readonly default: unknown;
  /** The key's value (undefined when absent). */
  read(value: unknown, place: Place): T;
}

/** A key that must be given. */
export function required<T>(shape: Shape<T>, doc: string): Field<T> {
  return { shape, doc, required: true, default: undefined, read: (value, place) => (value === undefined ? place.expected(shape.expected, value) : shape.read(value, place)) };
}

/** A key that may be left out, leaving undefined. */
export function optional<T>(shape: Shape<T>, doc: string): Field<T | undefined> {
  return { shape, doc, required: false, default: undefined, read: (value, place) => (value === undefined ? undefined : shape.read(value, place)) };
}

/** A key that may be left out, meaning `fallback`. */
export function withDefault<T>(shape: Shape<T>, fallback: T, doc: string): Field<T> {
  // A copy each time, so that no caller can change the default another one gets.
  return { shape, doc, required: false, default: fallback, read: (value, place) => (value === undefined ? structuredClone(fallback) : shape.read(value, place)) };
}

export type Fields = Readonly<Record<string, Field<unknown>>>;

/** The object a shape with these fields reads: each declared key with its value's type. */
export type ObjectOf<F extends Fields> = { [K in keyof F]: F[K] extends Field<infer T> ? T : never };

export interface ObjectOptions {
  /** Default "an object {...}"; say more where it helps: 'a mapping with "run", "needs" and "outputs"'. */
  expected?: string;
  /** Keys that are not declared are ignored, as project.yaml allows ("version" and others). */
  otherKeys?: 'ignore';
  /** What a key is called in messages: "unknown privacy level "public"". Default "key". */
  keyNoun?: string;
  /** Advice for known keys that are not valid here, such as cohort-extractor's names. */
  advice?: Readonly<Record<string, string>>;
}

export function object<F extends Fields>(fields: F, { expected = 'an object {...}', otherKeys, keyNoun = 'key', advice = {} }: ObjectOptions = {}): Shape<ObjectOf<F>> {
  const declared = Object.keys(fields);
  // "$schema" and the like are for editors: accepted, but not suggested.
  const listed = declared.filter((key) => !key.startsWith('$'));
  return {
    expected,
    read(value, place) {
      if (!isPlainObject(value)) return place.expected(expected, value);
      if (otherKeys !== 'ignore') {
        for (const key of Object.keys(value)) {
          if (Object.hasOwn(fields, key)) continue;
          const guess = suggestName(key, listed);
          const known = `unknown ${keyNoun} ${quote(key)} (expected ${listed.length === 1 ? '' : 'one of '}${listNames(listed)})`;
          const advised = advice[key];
          place.at(key).report(advised !== undefined ? `unknown ${keyNoun} ${quote(key)}: ${advised}` : `${known}${guess === null ? '' : `; did you mean ${quote(guess)}?`}`);
        }
      }
      const nullIsAbsent = place.checker.options.nullIsAbsent === true;
      const entries = readEach(Object.entries(fields), ([key, field]) => {
        const given = Object.hasOwn(value, key) ? value[key] : undefined;
        return [key, field.read(nullIsAbsent && given === null ? undefined : given, place.at(key))] as const;
      });
      return Object.fromEntries(entries) as ObjectOf<F>;
    },
    jsonSchema() {
      const properties: Record<string, JsonSchema> = {};
      for (const [key, field] of Object.entries(fields)) {
        properties[key] = { ...field.shape.jsonSchema(), description: field.doc, ...(field.default === undefined ? {} : { default: toJson(field.default) }) };
      }
      const required = declared.filter((key) => fields[key]!.required);
      return { type: 'object', ...(otherKeys === 'ignore' ? {} : { additionalProperties: false }), ...(required.length > 0 ? { required } : {}), properties };
    },
  };
}

/** A default as JSON writes it (a Map is an object). */
function toJson(value: unknown): unknown {
  return value instanceof Map ? Object.fromEntries(value) : value;
}
