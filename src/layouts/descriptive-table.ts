// The descriptive statistics table layout, written and read here only: long form, one row per
// statistic, `variable,type,level,statistic,value` per cohort file and the same with `date` first
// in the summary over every date. describe writes it; check reads it to find the count cells.

import { formatCsv } from '../csv/format.js';

/** The statistics a table may hold; `count` and `missing` are counts of rows. */
export const STATISTICS = ['count', 'missing', 'percent', 'mean', 'sd', 'p25', 'median', 'p75'] as const;
export type Statistic = (typeof STATISTICS)[number];

/** Statistics whose values are counts of rows, so must fit the release rule. */
export const COUNT_STATISTICS: readonly Statistic[] = ['count', 'missing'];

export const TABLE_HEADER = ['variable', 'type', 'level', 'statistic', 'value'] as const;
export const SUMMARY_HEADER = ['date', ...TABLE_HEADER] as const;

/** Where the statistic and value columns are, if the header is that of a table or the summary; null otherwise. */
export function statisticFields(header: readonly string[]): { statistic: number; value: number } | null {
  const matches = (layout: readonly string[]) => header.length === layout.length && layout.every((name, i) => header[i] === name);
  if (!matches(TABLE_HEADER) && !matches(SUMMARY_HEADER)) return null;
  return { statistic: header.indexOf('statistic'), value: header.indexOf('value') };
}

/** `descriptive_statistics_<stem>.csv`, one per dated cohort file. */
export function tableFileName(stem: string): string {
  return `descriptive_statistics_${stem}.csv`;
}

/** The summary over every date. */
export const SUMMARY_FILE = 'descriptive_statistics_summary.csv';

export interface StatisticRow {
  variable: string;
  /** The variable's type, or `population` for the row counting the file's rows. */
  type: string;
  level: string;
  statistic: Statistic;
  /** Empty when suppressed. */
  value: string;
}

/** One cohort file's table. */
export function formatTable(rows: readonly StatisticRow[]): string {
  return formatCsv(TABLE_HEADER, rows.map(cells));
}

/** The summary table: rows of every date, each with its date first. */
export function formatSummary(dated: ReadonlyArray<{ date: string; rows: readonly StatisticRow[] }>): string {
  return formatCsv(SUMMARY_HEADER, dated.flatMap(({ date, rows }) => rows.map((row) => [date, ...cells(row)])));
}

function cells(row: StatisticRow): string[] {
  return [row.variable, row.type, row.level, row.statistic, row.value];
}
