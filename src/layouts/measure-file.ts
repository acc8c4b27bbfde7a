// The cohort-extractor measure file layout, written and read here only: `measure_<id>_<date>.csv`
// per date (the group columns, numerator, denominator, `value`, then any interval and
// standardised columns) and `measure_<id>.csv` for every date (the same, then `date`). measures
// writes it; describe and check read it.

import { basename, join } from 'node:path';
import { UserError, listNames, quote } from '../errors.js';
import { isIsoDate } from '../dates.js';
import { findCohortFiles } from '../csv/dated-files.js';
import { formatCsv, type Cell } from '../csv/format.js';
import { readCsvFile } from '../csv/read-file.js';
import { numberOfText } from '../csv/cell-number.js';

/** Every measure file's name starts with this. */
export const MEASURE_FILE_PREFIX = 'measure_';

/** A measure id: it becomes a file name, `measure_<id>.csv`, so only letters, digits and underscores. */
export const MEASURE_ID = /^[A-Za-z0-9_]+$/;

/** The columns every measure file has of its own, after the group columns and counts: no group column may take their names. */
export const VALUE_COLUMN = 'value';
export const DATE_COLUMN = 'date';

/** A 95% interval for `value` (`confidence_interval`). */
export const INTERVAL_COLUMNS = ['lower', 'upper'] as const;
/** The directly standardised rate and its 95% interval (`standardise`). */
export const STANDARDISED_COLUMNS = ['standardised_value', 'standardised_lower', 'standardised_upper'] as const;
/**
 * Numbers worked out from a row's released counts, never counts themselves: after `value` in this
 * layout, after `denominator` in ehrQL's, always in this order, and empty where `value` is.
 */
export const EXTRA_VALUE_COLUMNS: readonly string[] = [...INTERVAL_COLUMNS, ...STANDARDISED_COLUMNS];

export const MEASURE_FILE_COLUMNS: readonly string[] = [VALUE_COLUMN, ...EXTRA_VALUE_COLUMNS, DATE_COLUMN];

/** The extra value columns of a measure with an interval, a standardised rate, or both, in their order. */
export function extraValueColumns({ interval, standardised }: { interval: boolean; standardised: boolean }): string[] {
  return [...(interval ? INTERVAL_COLUMNS : []), ...(standardised ? STANDARDISED_COLUMNS : [])];
}

/** A file's path and the text to write there. */
export interface OutputFile {
  path: string;
  content: string;
}

/** The columns that say what a measure file holds. */
export interface MeasureColumns {
  groupBy: readonly string[];
  numerator: string;
  denominator: string;
  /** Extra value columns (extraValueColumns), whose cells end each row after `value`; none if absent. */
  extras?: readonly string[];
}

/**
 * Columns of a measure file: its group columns, numerator, denominator, `value` and any extra
 * value columns. When the numerator and denominator are the same column its name appears twice,
 * so every measure file has the same layout (the counts are always the two columns before `value`).
 */
export function measureHeader({ groupBy, numerator, denominator, extras = [] }: MeasureColumns): string[] {
  return [...groupBy, numerator, denominator, VALUE_COLUMN, ...extras];
}

/** `measure_<id>_<date>.csv`: one date's rows. */
export function dateFile(id: string, columns: MeasureColumns, date: string, rows: readonly Cell[][], outputDir: string): OutputFile {
  return { path: join(outputDir, `${MEASURE_FILE_PREFIX}${id}_${date}.csv`), content: formatCsv(measureHeader(columns), rows) };
}

/** `measure_<id>.csv`: every date's rows in date order, each with its date last. */
export function combinedFile(id: string, columns: MeasureColumns, dated: ReadonlyArray<{ date: string; rows: readonly Cell[][] }>, outputDir: string): OutputFile {
  const rows = dated.flatMap(({ date, rows }) => rows.map((row) => [...row, date]));
  return { path: join(outputDir, `${MEASURE_FILE_PREFIX}${id}.csv`), content: formatCsv([...measureHeader(columns), DATE_COLUMN], rows) };
}

/** Whether a file name is one a measures run writes. */
export function isMeasureFileName(path: string): boolean {
  return basename(path).startsWith(MEASURE_FILE_PREFIX);
}

/** Columns that may follow `value` in a cohort-extractor measure file. */
const AFTER_VALUE = new Set([...EXTRA_VALUE_COLUMNS, DATE_COLUMN]);

/** Where a measure file's counts and their ratio are, as field indexes. */
export interface MeasureFields {
  numerator: number;
  denominator: number;
  /** `value` (cohort-extractor) or `ratio` (ehrQL): numerator / denominator. */
  value: number;
  /** The extra value columns present: numbers from the counts, empty where `value` is. */
  extras: number[];
}

/** Field indexes of the extra value columns in `header`. */
export function extraFields(header: readonly string[]): number[] {
  return header.flatMap((name, i) => (EXTRA_VALUE_COLUMNS.includes(name) ? [i] : []));
}

/**
 * Where the counts are, if `path` (named `measure_*.csv`) with this header is a cohort-extractor
 * measure file, per date or combined: the two columns before `value`, after which come only
 * interval, standardised and date columns. Null for any other file.
 */
export function measureFields(path: string, header: readonly string[]): MeasureFields | null {
  const name = basename(path);
  if (!isMeasureFileName(name) || !name.toLowerCase().endsWith('.csv')) return null;
  const value = header.lastIndexOf('value');
  if (value < 2 || !header.slice(value + 1).every((column) => AFTER_VALUE.has(column))) return null;
  return { numerator: value - 2, denominator: value - 1, value, extras: extraFields(header.slice(value + 1)).map((i) => value + 1 + i) };
}

export interface MeasureFile {
  id: string;
  path: string;
}

export interface MeasurePoint {
  /** The row's group values, one per group column. */
  group: string[];
  /** YYYY-MM-DD. */
  date: string;
  /** numerator / denominator; null where the measure file leaves it blank. */
  value: number | null;
  /** The count cells as written (a reader checks them against the release patterns). */
  numerator: string;
  denominator: string;
  /** The extra value cells as written, in the order of the series' `extraColumns`. */
  extras: string[];
  /** The line the count cells are on. */
  line: number;
}

export interface MeasureSeries extends MeasureFile {
  groupColumns: string[];
  numerator: string;
  denominator: string;
  /** The extra value columns the file has (intervals, standardised rates), in their order. */
  extraColumns: string[];
  points: MeasurePoint[];
}


/** The combined measure files `pattern` matches, in path order; the id is the name without `measure_`. */
export async function findMeasureFiles(pattern: string): Promise<MeasureFile[]> {
  const files = await findCohortFiles(pattern, { option: '--measures' });
  const combined = files.filter((file) => file.date === null);
  if (combined.length === 0) {
    throw new UserError(`--measures ${pattern}: matches only per-date measure files (named _YYYY-MM-DD.csv); expected the combined measure_<id>.csv files`);
  }
  const seen = new Map<string, string>();
  return combined.map((file) => {
    const id = file.stem.startsWith(MEASURE_FILE_PREFIX) ? file.stem.slice(MEASURE_FILE_PREFIX.length) : file.stem;
    if (!MEASURE_ID.test(id)) {
      throw new UserError(`the measure id ${quote(id)} taken from the file name must have only letters, digits and underscores`, { file: file.path });
    }
    const other = seen.get(id);
    if (other !== undefined) throw new UserError(`--measures: ${other} and ${file.path} are both the measure ${quote(id)}`);
    seen.set(id, file.path);
    return { id, path: file.path };
  });
}

/** Reads a combined measure file: `<group_by...>,<numerator>,<denominator>,value[,<extra value columns>],date`. */
export async function readMeasureFile(file: MeasureFile): Promise<MeasureSeries> {
  let groupColumns: string[] = [];
  let numerator = '';
  let denominator = '';
  let valueField = 0;
  let extraColumns: string[] = [];
  const points: MeasurePoint[] = [];
  await readCsvFile(file.path, {
    header(names) {
      valueField = combinedValueField(names);
      if (valueField < 2) {
        throw new UserError(
          `expected the columns of a combined measure file, <group_by...>,<numerator>,<denominator>,value[,${INTERVAL_COLUMNS.join(',')}][,${STANDARDISED_COLUMNS.join(',')}],date; found ${listNames(names)}`,
          { file: file.path, line: 1 },
        );
      }
      groupColumns = names.slice(0, valueField - 2);
      [numerator, denominator] = [names[valueField - 2]!, names[valueField - 1]!];
      extraColumns = names.slice(valueField + 1, -1);
    },
    row(row) {
      const dateField = valueField + extraColumns.length + 1;
      const date = row.text(dateField);
      if (!isIsoDate(date)) {
        throw new UserError(`${quote(date)} is not a date (expected YYYY-MM-DD)`, { file: file.path, line: row.lineOfField(dateField), column: 'date' });
      }
      const text = row.text(valueField);
      const value = text === '' ? null : numberOfText(text);
      if (text !== '' && value === null) {
        throw new UserError(`${quote(text)} is not a number (expected numerator / denominator, or empty)`, { file: file.path, line: row.lineOfField(valueField), column: 'value' });
      }
      points.push({
        group: groupColumns.map((_, i) => row.text(i)),
        date,
        value,
        numerator: row.text(valueField - 2),
        denominator: row.text(valueField - 1),
        extras: extraColumns.map((_, i) => row.text(valueField + 1 + i)),
        line: row.lineOfField(valueField - 2),
      });
    },
  });
  return { ...file, groupColumns, numerator, denominator, extraColumns, points };
}

/** Where `value` is in the header of a combined measure file (date last, extra value columns in their order before it); -1 if it is not one. */
function combinedValueField(names: readonly string[]): number {
  if (names[names.length - 1] !== DATE_COLUMN) return -1;
  const value = names.lastIndexOf(VALUE_COLUMN);
  const extras = names.slice(value + 1, -1);
  const known = [false, true].flatMap((interval) => [false, true].map((standardised) => extraValueColumns({ interval, standardised }).join(',')));
  return value >= 2 && known.includes(extras.join(',')) ? value : -1;
}
