// Formats tables as CSV text with papaparse's quoting (only where needed), LF line ends and a
// final newline. Aggregates are written whole; streamed outputs format a batch of rows at a time.

import Papa from 'papaparse';

export type Cell = string | number | null | undefined;

const OPTIONS = { newline: '\n', quotes: false } as const;

/** CSV text for a header and rows; `null` and `undefined` become empty cells. */
export function formatCsv(header: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string {
  return formatCsvRows([header, ...rows]);
}

/** CSV text for rows without a header, each ending in a newline (empty for no rows). */
export function formatCsvRows(rows: ReadonlyArray<readonly Cell[]>): string {
  if (rows.length === 0) return '';
  const data = rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? '' : cell)));
  return `${Papa.unparse(data, OPTIONS)}\n`;
}
