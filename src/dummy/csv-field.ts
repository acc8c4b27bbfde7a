// Generated cells are quoted once, when the schema is compiled, rather than per row: papaparse
// decides quoting field by field, so a label quoted alone is quoted exactly as in a whole row.

import { formatCsvRows } from '../csv/format.js';

/** One CSV field as formatCsvRows would write it. */
export function csvField(text: string): string {
  return formatCsvRows([[text]]).slice(0, -1);
}

