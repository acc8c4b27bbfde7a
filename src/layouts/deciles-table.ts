// The deciles table layout, written and read here only: `deciles_table_<measure id>.csv`, one row
// per date and percentile, `date,percentile,value`. describe writes it beside a deciles chart;
// check reads it to see that it holds percentiles only, never the lowest or highest group's value.

import { formatCsv } from '../csv/format.js';

export const DECILES_TABLE_HEADER = ['date', 'percentile', 'value'] as const;

/** Percentiles run from 1 to 99: the 0th and 100th would be the lowest and highest group's own value. */
export const LOWEST_PERCENTILE = 1;
export const HIGHEST_PERCENTILE = 99;

/** `deciles_table_<measure id>.csv`. */
export function decilesTableFileName(id: string): string {
  return `deciles_table_${id}.csv`;
}

export interface DecileRow {
  /** YYYY-MM-DD. */
  date: string;
  /** 1 to 99. */
  percentile: number;
  value: number;
}

/**
 * The table's text, value at full precision. A `mark` (describe --not-for-release) names an
 * empty last column, so that the mark is at the top of the file as on describe's pages.
 */
export function formatDecilesTable(rows: readonly DecileRow[], mark: string | null = null): string {
  const header = mark === null ? DECILES_TABLE_HEADER : [...DECILES_TABLE_HEADER, mark];
  return formatCsv(header, rows.map((row) => [row.date, row.percentile, row.value]));
}

/** Where the percentile column is, if the header is that of a deciles table; null otherwise. */
export function decilesTableFields(header: readonly string[]): { percentile: number } | null {
  const matches = header.length === DECILES_TABLE_HEADER.length && DECILES_TABLE_HEADER.every((name, i) => header[i] === name);
  return matches ? { percentile: DECILES_TABLE_HEADER.indexOf('percentile') } : null;
}
