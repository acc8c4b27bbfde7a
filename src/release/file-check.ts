// The job runner's checks on a moderately_sensitive file before it can be released: its type, its
// size, and for a CSV no patient_id column and no more than 5,000 rows.

import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { readCsvFile } from '../csv/read-file.js';
import { isUserError } from '../errors.js';
import { MAX_RELEASE_BYTES, MAX_RELEASE_CSV_ROWS, RELEASABLE_TYPES } from './limits.js';


/** Why the file cannot be released, or null when it can. */
export async function releaseProblem(path: string): Promise<string | null> {
  const { size } = await stat(path);
  if (size > MAX_RELEASE_BYTES) return `it is ${(size / 1024 / 1024).toFixed(2)} MiB, over the ${MAX_RELEASE_BYTES / 1024 / 1024} MiB limit`;
  const type = extname(path).toLowerCase();
  if (!RELEASABLE_TYPES.includes(type)) return `${type || 'a file without an extension'} is not a releasable file type (allowed: ${RELEASABLE_TYPES.join(' ')})`;
  if (type !== '.csv') return null;
  let columns: string[] = [];
  let rows = 0;
  try {
    await readCsvFile(path, {
      header(names) {
        columns = names;
      },
      row() {
        rows++;
      },
    });
  } catch (error) {
    if (!isUserError(error)) throw error;
    return `it is not a readable CSV file (${error.reason})`;
  }
  const problems: string[] = [];
  if (columns.includes('patient_id')) problems.push('it has a patient_id column (patient-level data)');
  if (rows > MAX_RELEASE_CSV_ROWS) problems.push(`it has ${rows.toLocaleString('en-GB')} rows, over the ${MAX_RELEASE_CSV_ROWS.toLocaleString('en-GB')}-row limit`);
  return problems.length > 0 ? problems.join(', and ') : null;
}
