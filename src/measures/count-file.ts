// The per-file task: streams one cohort file (or one byte range of it) through the CSV reader,
// reading only the measures' columns, into a counter. Runs in a worker thread (or in the main
// thread for one task or --jobs 1).

import { open } from 'node:fs/promises';
import { isUserError } from '../errors.js';
import { CsvReader } from '../csv/reader.js';
import { readWithFallback } from '../csv/compiled.js';
import { CHUNK_SIZE, readChunks } from '../csv/source.js';
import type { TaskHandler } from '../parallel/protocol.js';
import type { MeasureDefinition } from './definitions.js';
import { CountRows } from './count-rows.js';
import { FileCounter, type FileCounts } from './file-counter.js';
import type { MeasurePlan } from './plan.js';

/** What every worker gets once. */
export interface CountInit {
  measures: MeasureDefinition[];
  plan: MeasurePlan;
}

export interface CountTask {
  path: string;
  /** Count only the rows starting in these bytes of the file (see byte-ranges.ts); null: the whole file. */
  range: { start: number; end: number } | null;
}

export interface CountResult {
  counts: FileCounts;
  /** For a range: where its first row started (-1 for the first range), and where the row after its last starts (-1: the end of the file). */
  first: number;
  next: number;
  /** For a range: it could not be read as split (an error, or no row starts in it); the file is then read whole. */
  failed: boolean;
}

/** How far past a range's start to look for the line end that begins its first row. */
const RESYNC_WINDOW = 1 << 16;

export function countFile({ measures, plan }: CountInit): TaskHandler<CountTask, CountResult> {
  // The compiled count path, or the JavaScript one where it meets a row it leaves to it.
  return (task, progress) => readWithFallback(progress, (native, rowsSoFar) => countTask(measures, plan, task, rowsSoFar, native));
}

async function countTask(measures: readonly MeasureDefinition[], plan: MeasurePlan, { path, range }: CountTask, progress: (rows: number) => void, native: boolean): Promise<CountResult> {
  const counter = new FileCounter(plan, path);
  const rows = new CountRows(path, measures, plan, counter, native);
  const reader = new CsvReader(path, rows, CHUNK_SIZE);
  const report = () => progress(rows.rowCount);
  let first = -1;
  try {
    if (range !== null && range.start > 0) {
      // The header, then the rows from the first line end at or after the range's start.
      reader.stopBefore(0);
      for await (const chunk of readChunks(path, 1 << 14)) if (!reader.push(chunk)) break;
      first = await rowStartAfter(path, range.start);
      if (first < 0 || first >= range.end || !reader.headerRead) return { counts: rows.result(), first, next: -1, failed: true };
      reader.skipTo(first);
    }
    if (range !== null) reader.stopBefore(range.end);
    for await (const chunk of readChunks(path, CHUNK_SIZE, Math.max(first, 0))) {
      const more = reader.push(chunk);
      report();
      if (!more) break;
    }
    reader.end();
  } catch (error) {
    // A row misread because the range began inside a quoted field; or a real error, which
    // reading the file whole reports with its true line number.
    if (range !== null && isUserError(error)) return { counts: rows.result(), first, next: -1, failed: true };
    throw error;
  } finally {
    reader.release();
  }
  report();
  return { counts: rows.result(), first, next: reader.stoppedBefore, failed: false };
}

/** The offset just after the first line end at or after `offset - 1` (a row starts there unless it is inside quotes), or -1. */
async function rowStartAfter(path: string, offset: number): Promise<number> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(RESYNC_WINDOW);
    const { bytesRead } = await handle.read(buffer, 0, RESYNC_WINDOW, offset - 1);
    const at = buffer.subarray(0, bytesRead).indexOf(0x0a);
    return at < 0 ? -1 : offset + at;
  } finally {
    await handle.close();
  }
}

/** A reader that checks the header of `file` for the measures' columns, then adds every row to `counter` (the JavaScript count path). */
export function countReader(file: string, measures: readonly MeasureDefinition[], plan: MeasurePlan, counter: FileCounter, chunkSize: number): CsvReader {
  return new CsvReader(file, new CountRows(file, measures, plan, counter, false), chunkSize);
}
