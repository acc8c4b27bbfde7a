// Small checks for reading a JSON schema, each failing with a UserError that names the file, the
// place in it (such as `variable "sex"`) and the value it got.

import { UserError, listNames, quote } from '../errors.js';
import { dayOfIsoDate } from '../dates.js';

export type JsonObject = Record<string, unknown>;

export class SchemaChecks {
  constructor(readonly file: string) {}

  fail(where: string, why: string): never {
    throw new UserError(`${where}: ${why}`, { file: this.file });
  }

  object(value: unknown, where: string): JsonObject {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(where, `expected an object {...}, got ${shown(value)}`);
    return value as JsonObject;
  }

  /** Fails on a key that is not allowed, so a typo is never silently ignored. */
  keys(object: JsonObject, allowed: readonly string[], where: string): void {
    for (const key of Object.keys(object)) {
      if (!allowed.includes(key)) this.fail(where, `unknown key ${quote(key)}; expected one of ${listNames(allowed)}`);
    }
  }

  number(value: unknown, where: string, { min = -Infinity, max = Infinity, integer = false } = {}): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(where, `expected a number, got ${shown(value)}`);
    const n = value as number;
    if (integer && !Number.isInteger(n)) this.fail(where, `expected a whole number, got ${n}`);
    if (n < min || n > max) {
      const range = max === Infinity ? `of at least ${min}` : min === -Infinity ? `of at most ${max}` : `from ${min} to ${max}`;
      this.fail(where, `expected a number ${range}, got ${n}`);
    }
    return n;
  }

  string(value: unknown, where: string): string {
    if (typeof value !== 'string') this.fail(where, `expected a string, got ${shown(value)}`);
    return value as string;
  }

  stringList(value: unknown, where: string): string[] {
    const single = typeof value === 'string';
    if (!single && !(Array.isArray(value) && value.every((v) => typeof v === 'string'))) {
      this.fail(where, `expected a list of variable names, got ${shown(value)}`);
    }
    return single ? [value as string] : (value as string[]);
  }

  /** A YYYY-MM-DD date as a day number. */
  day(value: unknown, where: string): number {
    const text = this.string(value, where);
    const day = dayOfIsoDate(text);
    if (day === null) this.fail(where, `expected a date YYYY-MM-DD, got ${quote(text)}`);
    return day!;
  }
}

/** A value from the JSON, shortened for a message. */
export function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
