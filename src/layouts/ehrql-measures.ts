// The ehrQL measures file layout, as `generate-measures` writes it, written and read here only:
// one file, `measure,interval_start,interval_end,ratio,numerator,denominator`, then any extra
// value columns (intervals, standardised rates), then every group column of every measure in
// order of first use, empty where a measure does not use it. Recognised by its header, whatever
// the file is called. measures writes it (--format ehrql); describe and check read it.

import { join } from 'node:path';
import { UserError, quote } from '../errors.js';
import { MS_PER_DAY, addMonths, dayOfIsoDate, isIsoDate, isoDateOfDay } from '../dates.js';
import { formatCsv, type Cell } from '../csv/format.js';
import { readCsvFile } from '../csv/read-file.js';
import { numberOfText } from '../csv/cell-number.js';
import { MEASURE_ID, type MeasureFields } from './measure-file.js';
import { EXTRA_VALUE_COLUMNS, extraColumnsOf, extraFields, type MeasureSeries, type MeasureTable, type OutputFile } from './measure-table.js';

export const EHRQL_MEASURES_COLUMNS = ['measure', 'interval_start', 'interval_end', 'ratio', 'numerator', 'denominator'] as const;

/** The file `measures --format ehrql` writes. */
export const EHRQL_MEASURES_FILE = 'measures.csv';

/** Names the file has of its own: no group column may take one. */
export const EHRQL_OWN_COLUMNS: readonly string[] = [...EHRQL_MEASURES_COLUMNS, ...EXTRA_VALUE_COLUMNS];

/** Field indexes of the file's own columns. */
const [MEASURE, START, , RATIO, NUMERATOR, DENOMINATOR] = [0, 1, 2, 3, 4, 5] as const;

/** Whether a header is that of an ehrQL measures file (it starts with the six columns). */
export function isEhrqlHeader(header: readonly string[]): boolean {
  return EHRQL_MEASURES_COLUMNS.every((name, i) => header[i] === name);
}

/** Where the counts and the ratio are, if the header is that of an ehrQL measures file; null otherwise. */
export function ehrqlMeasureFields(header: readonly string[]): MeasureFields | null {
  if (!isEhrqlHeader(header)) return null;
  const at = (name: (typeof EHRQL_MEASURES_COLUMNS)[number]) => EHRQL_MEASURES_COLUMNS.indexOf(name);
  return { numerator: at('numerator'), denominator: at('denominator'), value: at('ratio'), extras: extraFields(header) };
}

/**
 * The last day of each interval that starts on one of `dates` (YYYY-MM-DD, ascending): the day
 * before the next date; for the last date, an interval as long as the one before it (in whole
 * months when that one was whole months, so a monthly series ends on a month's last day; else
 * in days); a single date is an interval of one day.
 */
export function intervalEnds(dates: readonly string[]): string[] {
  const days = dates.map((date) => {
    const day = dayOfIsoDate(date);
    if (day === null) throw new Error(`bug: ${date} is not a date`);
    return day;
  });
  return days.map((day, i) => {
    const next = days[i + 1];
    if (next !== undefined) return isoDateOfDay(next - 1);
    const previous = days[i - 1];
    if (previous === undefined) return isoDateOfDay(day);
    const months = wholeMonthsBetween(previous, day);
    return isoDateOfDay((months === null ? day + (day - previous) : addMonths(day, months)) - 1);
  });
}

/** The number of months from `from` to `to` when `to` is `from` moved by whole months; null otherwise. */
function wholeMonthsBetween(from: number, to: number): number | null {
  const [a, b] = [new Date(from * MS_PER_DAY), new Date(to * MS_PER_DAY)];
  const months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth();
  return months > 0 && addMonths(from, months) === to ? months : null;
}

/** Every group column of the tables, each once, in order of first use. */
export function groupColumnsOf(tables: readonly MeasureTable[]): string[] {
  return [...new Set(tables.flatMap((table) => table.groupBy))];
}

/** The header of the file holding `tables`. */
export function ehrqlHeader(tables: readonly MeasureTable[]): string[] {
  const header = [...EHRQL_MEASURES_COLUMNS, ...extraColumnsOf(tables), ...groupColumnsOf(tables)];
  const clash = header.find((name, i) => header.indexOf(name) !== i);
  if (clash !== undefined) throw new Error(`bug: the group column ${quote(clash)} has the name of one of the file's own columns`);
  return header;
}

/**
 * `measures.csv`: every table's rows, measure by measure in the given order, then by date (each
 * table's dates are the whole series), each row as the table holds them (group order).
 */
export function ehrqlMeasuresFile(tables: readonly MeasureTable[], outputDir: string): OutputFile {
  const header = ehrqlHeader(tables);
  const extra = extraColumnsOf(tables);
  const groups = groupColumnsOf(tables);
  const rows: Cell[][] = [];
  for (const table of tables) {
    const ends = intervalEnds(table.dates.map(({ date }) => date));
    const extraAt = extra.map((name) => table.extraColumns.indexOf(name));
    const groupAt = groups.map((name) => table.groupBy.indexOf(name));
    table.dates.forEach(({ date, rows: dated }, d) => {
      for (const row of dated) {
        rows.push([
          table.id,
          date,
          ends[d],
          row.value,
          row.numerator,
          row.denominator,
          ...extraAt.map((at) => (at < 0 ? '' : row.extra[at])),
          ...groupAt.map((at) => (at < 0 ? '' : row.group[at])),
        ]);
      }
    });
  }
  return { path: join(outputDir, EHRQL_MEASURES_FILE), content: formatCsv(header, rows) };
}

/** The data rows of the file holding `tables`. */
export function ehrqlRowCount(tables: readonly MeasureTable[]): number {
  return tables.reduce((n, table) => n + table.dates.reduce((m, { rows }) => m + rows.length, 0), 0);
}

/**
 * Reads an ehrQL measures file into one series per measure, in order of first appearance: its id
 * the `measure` value, its date `interval_start`, its group columns those non-empty in some row
 * of that measure (so an unused group column, empty throughout, is no group), and likewise its
 * extra value columns (the file has one set for every measure; a measure without an interval
 * leaves `lower` and `upper` empty).
 */
export async function readEhrqlMeasures(path: string): Promise<MeasureSeries[]> {
  let names: string[] = [];
  let groupFields: number[] = [];
  let extras: number[] = [];
  const byId = new Map<string, { series: MeasureSeries; used: Set<number>; usedExtras: Set<number> }>();
  await readCsvFile(path, {
    header(header) {
      if (!isEhrqlHeader(header)) throw new Error(`bug: ${path} is not an ehrQL measures file`);
      names = header;
      extras = extraFields(header);
      groupFields = header.map((_, i) => i).filter((i) => i >= EHRQL_MEASURES_COLUMNS.length && !extras.includes(i));
    },
    row(row) {
      const where = (field: number) => ({ file: path, line: row.lineOfField(field), column: names[field]! });
      const id = row.text(MEASURE);
      if (!MEASURE_ID.test(id)) throw new UserError(`${quote(id)} is not a measure name (letters, digits and underscores; it names the chart's files)`, where(MEASURE));
      const date = row.text(START);
      if (!isIsoDate(date)) throw new UserError(`${quote(date)} is not a date (expected YYYY-MM-DD)`, where(START));
      const text = row.text(RATIO);
      const value = text === '' ? null : numberOfText(text);
      if (text !== '' && value === null) throw new UserError(`${quote(text)} is not a number (expected numerator / denominator, or empty)`, where(RATIO));
      let entry = byId.get(id);
      if (entry === undefined) {
        entry = { series: { id, path, groupColumns: [], numerator: 'numerator', denominator: 'denominator', extraColumns: [], points: [] }, used: new Set(), usedExtras: new Set() };
        byId.set(id, entry);
      }
      const group = groupFields.map((field) => row.text(field));
      group.forEach((cell, i) => {
        if (cell !== '') entry.used.add(i);
      });
      const extraCells = extras.map((field) => row.text(field));
      extraCells.forEach((cell, i) => {
        if (cell !== '') entry.usedExtras.add(i);
      });
      entry.series.points.push({ group, date, value, numerator: row.text(NUMERATOR), denominator: row.text(DENOMINATOR), extras: extraCells, line: row.lineOfField(NUMERATOR) });
    },
  });
  return [...byId.values()].map(({ series, used, usedExtras }) => {
    const kept = [...used].sort((a, b) => a - b);
    const keptExtras = [...usedExtras].sort((a, b) => a - b);
    return {
      ...series,
      groupColumns: kept.map((i) => names[groupFields[i]!]!),
      extraColumns: keptExtras.map((i) => names[extras[i]!]!),
      points: series.points.map((point) => ({ ...point, group: kept.map((i) => point.group[i]!), extras: keptExtras.map((i) => point.extras[i]!) })),
    };
  });
}
