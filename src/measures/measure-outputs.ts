// The files a measures run writes, in the format asked for: cohort-extractor's files per measure
// (per date and combined, or combined only) or ehrQL's one measures.csv; and a warning for each
// file the job runner would not release for its length, with what to do instead.

import { basename } from 'node:path';
import { UserError, quote } from '../errors.js';
import { inputError } from '../input/shapes.js';
import { formatCount } from '../progress.js';
import { MAX_RELEASE_CSV_ROWS } from '../release/limits.js';
import { combinedFile, combinedRowCount, dateFiles } from '../layouts/measure-file.js';
import { EHRQL_MEASURES_FILE, EHRQL_OWN_COLUMNS, ehrqlMeasuresFile, ehrqlRowCount } from '../layouts/ehrql-measures.js';
import type { MeasureTable, OutputFile } from '../layouts/measure-table.js';
import type { MeasureDefinitions } from './definitions.js';

/** `cohort-extractor`: files per measure, as generate_measures writes them; `ehrql`: one measures.csv, as generate-measures writes it. */
export type MeasureFormat = 'cohort-extractor' | 'ehrql';
export const MEASURE_FORMATS: readonly MeasureFormat[] = ['cohort-extractor', 'ehrql'];

export interface FormatOptions {
  format: MeasureFormat;
  /** cohort-extractor format only: leave out the per-date files. */
  combinedOnly: boolean;
}

/** What can be checked before any cohort file is read: the options together, and group columns ehrQL's file has a column of its own for. */
export function checkFormat(definitions: MeasureDefinitions, { format, combinedOnly }: FormatOptions): void {
  if (format === 'ehrql' && combinedOnly) {
    throw new UserError('--combined-only: the ehrQL format is one measures.csv with every date, so there are no per-date files to leave out; drop --combined-only');
  }
  if (format !== 'ehrql') return;
  definitions.measures.forEach((measure, m) =>
    measure.groupBy.forEach((column, g) => {
      if (EHRQL_OWN_COLUMNS.includes(column)) {
        throw inputError(definitions.file, ['measures', m, 'group_by', g], `the ehrQL measures file has its own ${quote(column)} column, so no group column can be called that (--format ehrql)`);
      }
    }),
  );
}

export interface MeasureOutputs {
  files: OutputFile[];
  /** Files over the release limit on rows, each with what to do. */
  warnings: string[];
}

export function measureOutputs(tables: readonly MeasureTable[], outputDir: string, { format, combinedOnly }: FormatOptions): MeasureOutputs {
  if (format === 'ehrql') return { files: [ehrqlMeasuresFile(tables, outputDir)], warnings: ehrqlWarnings(tables) };
  const files: OutputFile[] = [];
  const warnings: string[] = [];
  for (const table of tables) {
    if (!combinedOnly) files.push(...dateFiles(table, outputDir));
    const combined = combinedFile(table, outputDir);
    files.push(combined);
    warnings.push(...cohortExtractorWarnings(table, basename(combined.path), combinedOnly));
  }
  return { files, warnings };
}

const LIMIT = `the ${formatCount(MAX_RELEASE_CSV_ROWS)}-row limit on a released CSV, so the job runner would not release it`;

function cohortExtractorWarnings(table: MeasureTable, combinedName: string, combinedOnly: boolean): string[] {
  const rows = combinedRowCount(table);
  if (rows <= MAX_RELEASE_CSV_ROWS) return [];
  const widest = Math.max(...table.dates.map((d) => d.rows.length));
  if (widest > MAX_RELEASE_CSV_ROWS) {
    return [`${combinedName}: ${formatCount(rows)} rows, and up to ${formatCount(widest)} groups on one date, over ${LIMIT}, nor its per-date files; group ${table.id} by fewer or coarser columns, or raise min_group_size`];
  }
  const instead = combinedOnly
    ? `drop --combined-only and release the per-date files (at most ${formatCount(widest)} rows each)`
    : `release its per-date files instead (at most ${formatCount(widest)} rows each)`;
  return [`${combinedName}: ${formatCount(rows)} rows, over ${LIMIT}; ${instead}, or cover fewer dates or fewer groups`];
}

function ehrqlWarnings(tables: readonly MeasureTable[]): string[] {
  const rows = ehrqlRowCount(tables);
  if (rows <= MAX_RELEASE_CSV_ROWS) return [];
  const largest = [...tables].sort((a, b) => combinedRowCount(b) - combinedRowCount(a))[0]!;
  const most = combinedRowCount(largest);
  const widest = Math.max(...largest.dates.map((d) => d.rows.length));
  let advice: string;
  if (widest > MAX_RELEASE_CSV_ROWS) {
    advice = `${largest.id} alone has up to ${formatCount(widest)} groups on one date: group it by fewer or coarser columns, or raise min_group_size`;
  } else if (most > MAX_RELEASE_CSV_ROWS) {
    advice = `${largest.id} alone has ${formatCount(most)} rows: use --format cohort-extractor and release its per-date files (at most ${formatCount(widest)} rows each), or cover fewer dates or fewer groups`;
  } else {
    advice = `split the measures over several definitions files, each run into its own --output-dir (the largest, ${largest.id}, has ${formatCount(most)} rows), or use --format cohort-extractor for a file per measure`;
  }
  return [`${EHRQL_MEASURES_FILE}: ${formatCount(rows)} rows, over ${LIMIT}; ${advice}`];
}
