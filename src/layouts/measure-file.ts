// The cohort-extractor measure file layout, written and read here only: `measure_<id>_<date>.csv`
// per date (the group columns, numerator, denominator, `value`, any extra value columns) and
// `measure_<id>.csv` for every date (the same, then `date`). measures writes it; describe and
// check read it.

import { basename, join } from 'node:path';
import { UserError, listNames, quote } from '../errors.js';
import { isIsoDate } from '../dates.js';
import { formatCsv } from '../csv/format.js';
import { readCsvFile } from '../csv/read-file.js';
import { numberOfText } from '../csv/cell-number.js';
import { EXTRA_VALUE_COLUMNS, INTERVAL_COLUMNS, STANDARDISED_COLUMNS, extraFields, isExtraValueColumnList, type MeasureRow, type MeasureSeries, type MeasureSource, type MeasureTable, type OutputFile } from './measure-table.js';

/** Every measure file's name starts with this. */
export const MEASURE_FILE_PREFIX = 'measure_';

/** A measure id: it becomes a file name, `measure_<id>.csv`, so only letters, digits and underscores. */
export const MEASURE_ID = /^[A-Za-z0-9_]+$/;

/** The columns every measure file has of its own, after the group columns and counts: no group column may take their names. */
export const VALUE_COLUMN = 'value';
export const DATE_COLUMN = 'date';

export const MEASURE_FILE_COLUMNS: readonly string[] = [VALUE_COLUMN, ...EXTRA_VALUE_COLUMNS, DATE_COLUMN];

/**
 * Columns of a measure file: its group columns, numerator, denominator, `value` and any extra
 * value columns. When the numerator and denominator are the same column its name appears twice,
 * so every measure file has the same layout (the counts are always the two columns before `value`).
 */
export function measureHeader(table: Pick<MeasureTable, 'groupBy' | 'numerator' | 'denominator' | 'extraColumns'>): string[] {
  return [...table.groupBy, table.numerator, table.denominator, VALUE_COLUMN, ...table.extraColumns];
}

function cells(row: MeasureRow): string[] {
  return [...row.group, row.numerator, row.denominator, row.value, ...row.extra];
}

/** `measure_<id>_<date>.csv`, one per date of the table: that date's rows. */
export function dateFiles(table: MeasureTable, outputDir: string): OutputFile[] {
  const header = measureHeader(table);
  return table.dates.map(({ date, rows }) => ({ path: join(outputDir, `${MEASURE_FILE_PREFIX}${table.id}_${date}.csv`), content: formatCsv(header, rows.map(cells)) }));
}

/** The name of a measure's combined file. */
export function combinedFileName(id: string): string {
  return `${MEASURE_FILE_PREFIX}${id}.csv`;
}

/** `measure_<id>.csv`: every date's rows in date order, each with its date last. */
export function combinedFile(table: MeasureTable, outputDir: string): OutputFile {
  const rows = table.dates.flatMap(({ date, rows }) => rows.map((row) => [...cells(row), date]));
  return { path: join(outputDir, combinedFileName(table.id)), content: formatCsv([...measureHeader(table), DATE_COLUMN], rows) };
}

/** The rows of a table's combined file. */
export function combinedRowCount(table: MeasureTable): number {
  return table.dates.reduce((n, { rows }) => n + rows.length, 0);
}

/** Whether a file name is one a measures run writes in this layout. */
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

/** The counts and `value` in a header ending `<numerator>,<denominator>,value[,extra value columns][,date]`; null otherwise. */
function fieldsOfHeader(header: readonly string[]): MeasureFields | null {
  const value = header.lastIndexOf(VALUE_COLUMN);
  if (value < 2 || !header.slice(value + 1).every((column) => AFTER_VALUE.has(column))) return null;
  return { numerator: value - 2, denominator: value - 1, value, extras: extraFields(header.slice(value + 1)).map((i) => value + 1 + i) };
}

/**
 * Where the counts are, if `path` (named `measure_*.csv`) with this header is a cohort-extractor
 * measure file, per date or combined. Null for any other file.
 */
export function measureFields(path: string, header: readonly string[]): MeasureFields | null {
  const name = basename(path);
  if (!isMeasureFileName(name) || !name.toLowerCase().endsWith('.csv')) return null;
  return fieldsOfHeader(header);
}

/** The measure id a combined file's name gives: the stem without `measure_`. */
export function measureIdOfStem(stem: string): string {
  return stem.startsWith(MEASURE_FILE_PREFIX) ? stem.slice(MEASURE_FILE_PREFIX.length) : stem;
}

/** Reads a combined measure file: `<group_by...>,<numerator>,<denominator>,value[,extra value columns],date`. */
export async function readMeasureFile(file: MeasureSource): Promise<MeasureSeries> {
  let groupColumns: string[] = [];
  let numerator = '';
  let denominator = '';
  let fields: MeasureFields = { numerator: 0, denominator: 0, value: 0, extras: [] };
  let extraColumns: string[] = [];
  let dateField = 0;
  const points: MeasureSeries['points'] = [];
  await readCsvFile(file.path, {
    header(names) {
      const found = fieldsOfHeader(names);
      // Between value and date: the extra value columns of some measure, in the order they are written.
      if (found === null || names[names.length - 1] !== DATE_COLUMN || !isExtraValueColumnList(names.slice(found.value + 1, -1))) {
        throw new UserError(
          `expected the columns of a combined measure file, <group_by...>,<numerator>,<denominator>,value[,${INTERVAL_COLUMNS.join(',')}][,${STANDARDISED_COLUMNS.join(',')}],date ` +
            `(or ehrQL's measure,interval_start,interval_end,ratio,numerator,denominator,...); found ${listNames(names)}`,
          { file: file.path, line: 1 },
        );
      }
      fields = found;
      groupColumns = names.slice(0, found.numerator);
      [numerator, denominator] = [names[found.numerator]!, names[found.denominator]!];
      extraColumns = found.extras.map((field) => names[field]!);
      dateField = names.length - 1;
    },
    row(row) {
      const date = row.text(dateField);
      if (!isIsoDate(date)) {
        throw new UserError(`${quote(date)} is not a date (expected YYYY-MM-DD)`, { file: file.path, line: row.lineOfField(dateField), column: DATE_COLUMN });
      }
      const text = row.text(fields.value);
      const value = text === '' ? null : numberOfText(text);
      if (text !== '' && value === null) {
        throw new UserError(`${quote(text)} is not a number (expected numerator / denominator, or empty)`, { file: file.path, line: row.lineOfField(fields.value), column: VALUE_COLUMN });
      }
      points.push({
        group: groupColumns.map((_, i) => row.text(i)),
        date,
        value,
        numerator: row.text(fields.numerator),
        denominator: row.text(fields.denominator),
        extras: fields.extras.map((field) => row.text(field)),
        line: row.lineOfField(fields.numerator),
      });
    },
  });
  return { ...file, groupColumns, numerator, denominator, extraColumns, points };
}
