// The per-file task: streams one cohort file through a FileCounter. Runs in a worker thread (or
// in the main thread for one file or --jobs 1).

import { readCsvFile } from '../csv/read-file.js';
import type { TaskHandler } from '../parallel/protocol.js';
import type { MeasureDefinition } from './definitions.js';
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
    let counter: FileCounter | null = null;
    let reported = 0;
    await readCsvFile(
      path,
      {
        header(names) {
          counter = new FileCounter(plan, findColumns(names, measures, plan, path), path);
        },
        row(row) {
          counter!.row(row);
        },
      },
      {
        afterChunk(rowsSoFar) {
          progress(rowsSoFar - reported);
          reported = rowsSoFar;
        },
      },
    );
    return counter!.result();
  };
}
