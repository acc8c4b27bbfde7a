// Finds the combined measure files (`measure_<id>.csv`, one row per group and date) and reads
// one into the series a chart draws. Per-date files (`measure_<id>_<date>.csv`) are skipped.

import { UserError, listNames, quote } from '../errors.js';
import { findCohortFiles, isRealDate } from '../cohort/files.js';
import { readCsvFile } from '../csv/read-file.js';
import { numberOfText } from './column-types.js';

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
}

export interface MeasureSeries extends MeasureFile {
  groupColumns: string[];
  numerator: string;
  denominator: string;
  points: MeasurePoint[];
}

const MEASURE_ID = /^[A-Za-z0-9_]+$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The combined measure files `pattern` matches, in path order; the id is the name without `measure_`. */
export async function findMeasureFiles(pattern: string): Promise<MeasureFile[]> {
  const files = await findCohortFiles(pattern, { option: '--measures' });
  const combined = files.filter((file) => file.date === null);
  if (combined.length === 0) {
    throw new UserError(`--measures ${pattern}: matches only per-date measure files (named _YYYY-MM-DD.csv); expected the combined measure_<id>.csv files`);
  }
  const seen = new Map<string, string>();
  return combined.map((file) => {
    const id = file.stem.replace(/^measure_/, '');
    if (!MEASURE_ID.test(id)) {
      throw new UserError(`the measure id ${quote(id)} taken from the file name must have only letters, digits and underscores`, { file: file.path });
    }
    const other = seen.get(id);
    if (other !== undefined) throw new UserError(`--measures: ${other} and ${file.path} are both the measure ${quote(id)}`);
    seen.set(id, file.path);
    return { id, path: file.path };
  });
}

/** Reads a combined measure file: `<group_by...>,<numerator>,<denominator>,value,date`. */
export async function readMeasureFile(file: MeasureFile): Promise<MeasureSeries> {
  let groupColumns: string[] = [];
  let numerator = '';
  let denominator = '';
  let valueField = 0;
  const points: MeasurePoint[] = [];
  await readCsvFile(file.path, {
    header(names) {
      const n = names.length;
      if (n < 4 || names[n - 2] !== 'value' || names[n - 1] !== 'date') {
        throw new UserError(
          `expected the columns of a combined measure file, <group_by...>,<numerator>,<denominator>,value,date; found ${listNames(names)}`,
          { file: file.path, line: 1 },
        );
      }
      groupColumns = names.slice(0, n - 4);
      [numerator, denominator] = [names[n - 4]!, names[n - 3]!];
      valueField = n - 2;
    },
    row(row) {
      const date = row.text(valueField + 1);
      if (!ISO_DATE.test(date) || !isRealDate(date)) {
        throw new UserError(`${quote(date)} is not a date (expected YYYY-MM-DD)`, { file: file.path, line: row.lineOfField(valueField + 1), column: 'date' });
      }
      const text = row.text(valueField);
      const value = text === '' ? null : numberOfText(text);
      if (text !== '' && value === null) {
        throw new UserError(`${quote(text)} is not a number (expected numerator / denominator, or empty)`, { file: file.path, line: row.lineOfField(valueField), column: 'value' });
      }
      points.push({ group: groupColumns.map((_, i) => row.text(i)), date, value });
    },
  });
  return { ...file, groupColumns, numerator, denominator, points };
}
