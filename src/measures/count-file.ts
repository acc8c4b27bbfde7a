// The per-file task: streams one cohort file through the CSV reader, reading only the measures'
// columns, into a counter. Runs in a worker thread (or in the main thread for one file or --jobs 1).

import { CsvReader } from '../csv/reader.js';
import { CHUNK_SIZE, readChunks } from '../csv/source.js';
import type { TaskHandler } from '../parallel/protocol.js';
import type { MeasureDefinition } from './definitions.js';
import { countRows, fieldsRead } from './count-rows.js';
import { FileCounter, type FileCounts } from './file-counter.js';
import { findColumns, type MeasurePlan } from './plan.js';

/** What every worker gets once. */
export interface CountInit {
  measures: MeasureDefinition[];
  plan: MeasurePlan;
}

export interface CountTask {
  path: string;
}

export function countFile({ measures, plan }: CountInit): TaskHandler<CountTask, FileCounts> {
  return async ({ path }, progress) => {
    const counter = new FileCounter(plan, path);
    const reader = countReader(path, measures, plan, counter, CHUNK_SIZE);
    let reported = 0;
    try {
      for await (const chunk of readChunks(path)) {
        reader.push(chunk);
        progress(counter.rowCount - reported);
        reported = counter.rowCount;
      }
      reader.end();
    } finally {
      reader.release();
    }
    progress(counter.rowCount - reported);
    return counter.result();
  };
}

/** A reader that checks the header of `file` for the measures' columns, then adds every row to `counter`. */
export function countReader(file: string, measures: readonly MeasureDefinition[], plan: MeasurePlan, counter: FileCounter, chunkSize: number): CsvReader {
  let addRow: ReturnType<typeof countRows> = () => {};
  return new CsvReader(
    file,
    {
      header(names, _row, _bom, control) {
        const { countFields, groupFields } = findColumns(names, measures, plan, file);
        const layout = { countFields, countNames: plan.countColumns, groupFields };
        addRow = countRows(layout, counter, file);
        control.readOnly(fieldsRead(layout));
      },
      row: (row) => addRow(row),
    },
    chunkSize,
  );
}
