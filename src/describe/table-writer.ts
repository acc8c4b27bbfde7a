// Lays out the descriptive-statistics CSVs: one long table per cohort file and the summary over
// every date. Each stays within the release limit of 5,000 lines: a variable whose rows would
// not fit is left out whole, and named in a warning, rather than cut part-way.

import { MAX_RELEASE_CSV_ROWS } from '../release/limits.js';
import { formatSummary, formatTable, type StatisticRow } from '../layouts/descriptive-table.js';
import type { ColumnProfileData } from './column-profile.js';
import { populationRows, variableRows, type Detail } from './statistics-table.js';
import type { VariablePlan } from './variable-plan.js';

/** Data rows a table may hold: one fewer than the release limit, so even counting its header a table stays within it. */
export const MAX_TABLE_ROWS = MAX_RELEASE_CSV_ROWS - 1;

/** One dated cohort file, profiled. */
export interface DescribedFile {
  stem: string;
  date: string;
  rows: number;
  columns: readonly ColumnProfileData[];
}

export interface Table {
  csv: string;
  rows: number;
  /** Variables left out to stay within MAX_TABLE_ROWS. */
  omitted: string[];
}

export function fileTable(file: DescribedFile, plans: readonly VariablePlan[], limit = MAX_TABLE_ROWS): Table {
  const blocks = plans.map((plan) => ({ variable: plan.name, rows: rowsOf(file, plan, 'full') }));
  const { rows, omitted } = fit(populationRows(file.rows), blocks, limit);
  return { csv: formatTable(rows), rows: rows.length, omitted };
}

/** The summary: for every date, the population and the summary rows of `plans`. */
export function summaryTable(files: readonly DescribedFile[], plans: readonly VariablePlan[], limit = MAX_TABLE_ROWS): Table {
  // Which variables fit is decided over all dates at once, so every date lists the same ones.
  const fixed = files.flatMap((file) => populationRows(file.rows));
  const blocks = plans.map((plan) => ({ variable: plan.name, rows: files.flatMap((file) => rowsOf(file, plan, 'summary')) }));
  const { omitted } = fit(fixed, blocks, limit);
  const kept = plans.filter((plan) => !omitted.includes(plan.name));
  const dated = files.map((file) => ({
    date: file.date,
    rows: [...populationRows(file.rows), ...kept.flatMap((plan) => rowsOf(file, plan, 'summary'))],
  }));
  return { csv: formatSummary(dated), rows: dated.reduce((n, { rows }) => n + rows.length, 0), omitted };
}

function rowsOf(file: DescribedFile, plan: VariablePlan, detail: Detail): StatisticRow[] {
  const profile = file.columns.find((c) => c.name === plan.name);
  return profile === undefined ? [] : variableRows(plan, profile, file.rows, detail);
}

function fit(fixed: StatisticRow[], blocks: ReadonlyArray<{ variable: string; rows: StatisticRow[] }>, limit: number) {
  const rows = [...fixed];
  const omitted: string[] = [];
  for (const block of blocks) {
    if (rows.length + block.rows.length > limit) omitted.push(block.variable);
    else rows.push(...block.rows);
  }
  return { rows, omitted };
}
