// Counts the measures over a file given as chunks, as a stage worker would (16-byte work buffer,
// so rows straddle chunks): on the compiled count path, read again on the JavaScript one where it
// gives up on a row, or on the JavaScript path alone.

import type { MeasureDefinition } from '../../src/measures/definitions.js';
import type { MeasurePlan } from '../../src/measures/plan.js';
import { BlockGaveUp, CsvReader } from '../../src/csv/reader.js';
import { CountRows } from '../../src/measures/count-rows.js';
import { FileCounter, type FileCounts } from '../../src/measures/file-counter.js';

/** The count paths a test runs: `native` is the compiled one where it is built (the JavaScript one where not). */
export const COUNT_PATHS = ['native', 'javascript'] as const;
export type CountPath = (typeof COUNT_PATHS)[number];

/** How many times the compiled path gave up on a row so far (the JavaScript path then read the file). */
export const givenUp = { count: 0 };

export function countChunks(file: string, measures: readonly MeasureDefinition[], plan: MeasurePlan, chunks: readonly Buffer[], path: CountPath = 'javascript'): FileCounts {
  if (path === 'native') {
    try {
      return countWith(file, measures, plan, chunks, true);
    } catch (error) {
      if (!(error instanceof BlockGaveUp)) throw error;
      givenUp.count++;
    }
  }
  return countWith(file, measures, plan, chunks, false);
}

function countWith(file: string, measures: readonly MeasureDefinition[], plan: MeasurePlan, chunks: readonly Buffer[], native: boolean): FileCounts {
  const rows = new CountRows(file, measures, plan, new FileCounter(plan, file), native);
  const reader = new CsvReader(file, rows, 16);
  try {
    for (const chunk of chunks) reader.push(chunk);
    reader.end();
  } finally {
    reader.release();
  }
  return rows.result();
}
