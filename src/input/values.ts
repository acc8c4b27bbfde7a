// Shapes for single values of a hand-written input: text, numbers, true/false, a choice of
// names, dates, and the two ways to build on a shape (refine it with a check of its own, allow
// null). Each says what it expects in the words a message will use.

import { listNames, quote } from '../errors.js';
import { dayOfIsoDate } from '../dates.js';
import { suggestName } from './closest-name.js';
import type { JsonSchema, Place, Shape } from './checker.js';

/** A shape from its three parts, for shapes that no combinator here builds. */
export function shape<T>(expected: string, jsonSchema: JsonSchema, read: (value: unknown, place: Place) => T): Shape<T> {
  return { expected, read, jsonSchema: () => jsonSchema };
}

export interface TextOptions {
  /** Default "text", or "non-empty text" with `nonEmpty`. */
  expected?: string;
  /** Blank text (only spaces) is rejected. */
  nonEmpty?: boolean;
  /** The whole text must match. */
  pattern?: RegExp;
  /** At most this many characters (an id that becomes a file name). */
  maxLength?: number;
  /** Texts that are not allowed, such as reserved column names. */
  not?: readonly string[];
  /** Why they are not, added to the message: 'the output has its own "value" column'. */
  notWhy?: (value: string) => string;
}

export function text({ expected, nonEmpty = false, pattern, maxLength, not = [], notWhy }: TextOptions = {}): Shape<string> {
  const what = expected ?? (nonEmpty ? 'non-empty text' : 'text');
  const schema: JsonSchema = { type: 'string' };
  if (nonEmpty) schema.minLength = 1;
  if (maxLength !== undefined) schema.maxLength = maxLength;
  if (pattern !== undefined) schema.pattern = pattern.source;
  if (not.length > 0) schema.not = { enum: [...not] };
  return shape(what, schema, (value, place) => {
    if (typeof value !== 'string' || (nonEmpty && value.trim() === '') || (pattern !== undefined && !pattern.test(value))) return place.expected(what, value);
    if (not.includes(value)) return place.expected(what, value, notWhy?.(value));
    if (maxLength !== undefined && value.length > maxLength) return place.expected(what, value, `it is ${value.length} characters long; at most ${maxLength} are allowed`);
    return value;
  });
}

export function boolean({ expected = 'true or false' } = {}): Shape<boolean> {
  return shape(expected, { type: 'boolean' }, (value, place) => (typeof value === 'boolean' ? value : place.expected(expected, value)));
}

export interface NumberOptions {
  /** Default from the other options: "a whole number from 0 to 1". */
  expected?: string;
  integer?: boolean;
  min?: number;
  max?: number;
  /** Digits written as text (YAML's `"1000"`) count as the number. */
  digitsAsText?: boolean;
}

export function number({ expected, integer = false, min = -Infinity, max = Infinity, digitsAsText = false }: NumberOptions = {}): Shape<number> {
  const range = max === Infinity ? (min === -Infinity ? '' : ` of at least ${min}`) : min === -Infinity ? ` of at most ${max}` : ` from ${min} to ${max}`;
  const what = expected ?? `${integer ? 'a whole number' : 'a number'}${range}`;
  const schema: JsonSchema = { type: integer ? 'integer' : 'number' };
  if (min !== -Infinity) schema.minimum = min;
  if (max !== Infinity) schema.maximum = max;
  return shape(what, schema, (value, place) => {
    const n = digitsAsText && typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) return place.expected(what, value);
    return n;
  });
}

/** One of a few names (or other literals); a mistyped name gets a "did you mean". */
export function oneOf<const V extends string | number | boolean>(values: readonly V[], { expected }: { expected?: string } = {}): Shape<V> {
  const what = expected ?? (values.length === 1 ? JSON.stringify(values[0]) : `one of ${listNames(values.map(String))}`);
  return shape(what, { enum: [...values] }, (value, place) => {
    if (values.includes(value as V)) return value as V;
    const names = values.filter((v): v is V & string => typeof v === 'string');
    const guess = typeof value === 'string' ? suggestName(value, names) : null;
    return place.expected(what, value, guess === null ? undefined : `did you mean ${quote(guess)}?`);
  });
}

/** A date YYYY-MM-DD that exists, as its day number (days since 1970-01-01). */
export function isoDay({ expected = 'a date YYYY-MM-DD' } = {}): Shape<number> {
  return shape(expected, { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' }, (value, place) => {
    const day = typeof value === 'string' ? dayOfIsoDate(value) : null;
    return day === null ? place.expected(expected, value) : day;
  });
}

/** `null`, or a value of `inner`. */
export function nullable<T>(inner: Shape<T>): Shape<T | null> {
  return {
    expected: `${inner.expected}, or null`,
    read: (value, place) => (value === null ? null : inner.read(value, place)),
    jsonSchema: () => ({ anyOf: [inner.jsonSchema(), { type: 'null' }] }),
  };
}

/** `inner` followed by a check of its own, reported through `place`: the rules that involve more than one value, such as "max is at least min". */
export function refine<T>(inner: Shape<T>, check: (value: T, place: Place) => void): Shape<T> {
  return convert(inner, (value, place) => {
    check(value, place);
    return value;
  });
}

/** `inner`, then converted (and perhaps checked further) into what the program works with. */
export function convert<T, U>(inner: Shape<T>, to: (value: T, place: Place) => U, { expected = inner.expected } = {}): Shape<U> {
  return { expected, read: (value, place) => to(inner.read(value, place), place), jsonSchema: () => inner.jsonSchema() };
}

/**
 * A value of one of several shapes, told apart by JSON type: `"esp2013"` or `{"65-69": 5500, ...}`.
 * The first shape whose type fits reads it; a value no shape fits is reported with `expected`.
 */
export function either<const S extends ReadonlyArray<Shape<unknown>>>(shapes: S, { expected = shapes.map((s) => s.expected).join(', or ') } = {}): Shape<ValueOf<S[number]>> {
  return shape(expected, { anyOf: shapes.map((s) => s.jsonSchema()) }, (value, place) => {
    const fitting = shapes.find((s) => hasJsonType(value, s.jsonSchema()));
    return (fitting === undefined ? place.expected(expected, value) : fitting.read(value, place)) as ValueOf<S[number]>;
  });
}

/** The value a shape reads. */
export type ValueOf<S> = S extends Shape<infer T> ? T : never;

/** Whether `value` is of a JSON type the schema allows (its type, enum or alternatives), looking no further. */
export function hasJsonType(value: unknown, schema: JsonSchema): boolean {
  if (Array.isArray(schema.anyOf)) return schema.anyOf.some((s: JsonSchema) => hasJsonType(value, s));
  if (Array.isArray(schema.enum)) return schema.enum.some((v) => jsonType(v) === jsonType(value));
  if (schema.const !== undefined) return jsonType(schema.const) === jsonType(value);
  if (typeof schema.type !== 'string') return true;
  return schema.type === jsonType(value) || (schema.type === 'integer' && jsonType(value) === 'number');
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
