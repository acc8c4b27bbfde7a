// What kind of variable a cohort column holds, decided from its values (or set by the config),
// and the tests that classify one value. The type decides which statistics describe it.

import { numberOfText } from '../csv/cell-number.js';

/**
 * - `flag`: only 0 and 1 (and empty);
 * - `categorical`: a few distinct values (at most MAX_CATEGORICAL_LEVELS over all files);
 * - `numeric`: numbers;
 * - `date`: YYYY-MM or YYYY-MM-DD;
 * - `text`: anything else (many distinct strings, such as MSOA codes): counted, never listed.
 */
export type ColumnType = 'flag' | 'categorical' | 'numeric' | 'date' | 'text';

/** A type the config may set; `ignore` leaves the column out of the tables. */
export type ConfiguredType = ColumnType | 'ignore';

export const COLUMN_TYPES: readonly ConfiguredType[] = ['flag', 'categorical', 'numeric', 'date', 'text', 'ignore'];

/** Inferred categorical columns have at most this many distinct values over all files. */
export const MAX_CATEGORICAL_LEVELS = 50;

/**
 * A column of whole numbers with at most this many distinct values (not just 0 and 1) holds codes
 * (`imd` 1-5, `ethnicity` 1-5): categorical, since a mean of codes means nothing.
 */
export const MAX_CODED_LEVELS = 12;

const WHOLE_NUMBER = /^[+-]?\d+$/;

export function isWholeNumberText(text: string): boolean {
  return WHOLE_NUMBER.test(text);
}

/**
 * Distinct values a column profile remembers; past this a column can only be numeric, date or
 * text, so memory stays bounded. A column the config calls categorical may have this many.
 */
export const MAX_TRACKED_LEVELS = 1000;

const DATE = /^(\d{4})-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$/;

export function isFlagText(text: string): boolean {
  return text === '0' || text === '1';
}


/** The year of a YYYY-MM or YYYY-MM-DD cell, or null. */
export function yearOfText(text: string): number | null {
  const match = DATE.exec(text);
  return match ? Number(match[1]) : null;
}

/** Whether `text` is a valid value for a column of type `type` (every value is valid for the others). */
export function fitsType(type: ConfiguredType, text: string): boolean {
  switch (type) {
    case 'flag':
      return isFlagText(text);
    case 'numeric':
      return numberOfText(text) !== null;
    case 'date':
      return yearOfText(text) !== null;
    default:
      return true;
  }
}

/** What a value is expected to look like, for error messages. */
export function describeType(type: ConfiguredType): string {
  switch (type) {
    case 'flag':
      return 'a 0/1 flag (0, 1 or empty)';
    case 'numeric':
      return 'a number (or empty)';
    case 'date':
      return 'a date as YYYY-MM or YYYY-MM-DD (or empty)';
    default:
      return `a ${type} value`;
  }
}
