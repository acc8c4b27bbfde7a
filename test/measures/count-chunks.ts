// Counts the measures over a file given as chunks, through the measures' own scanner (16-byte
// work buffer, so rows straddle chunks), as a stage worker would.

import type { MeasureDefinition } from '../../src/measures/definitions.js';
import type { MeasurePlan } from '../../src/measures/plan.js';
import { FileCounter } from '../../src/measures/file-counter.js';
import { countReader } from '../../src/measures/count-file.js';

export function countChunks(file: string, measures: readonly MeasureDefinition[], plan: MeasurePlan, chunks: readonly Buffer[]): ReturnType<FileCounter['result']> {
  const counter = new FileCounter(plan, file);
  const reader = countReader(file, measures, plan, counter, 16);
  try {
    for (const chunk of chunks) reader.push(chunk);
    reader.end();
  } finally {
    reader.release();
  }
  return counter.result();
}
