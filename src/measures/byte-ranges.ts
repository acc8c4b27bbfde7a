// Splitting the work of analyse measures: one task per file when the files share out evenly among
// the workers; otherwise large plain files are cut into byte ranges, so that one big file uses
// every core and 11 files keep 2 workers busy to the end. A range begins at the first line end after its start. That is a row boundary
// unless the line end is inside a quoted field, so the ranges of a file are checked to meet
// exactly (each range's reading carries on past its end to the next row start); where they do
// not, or a range fails, the file is read again whole.

import { stat } from 'node:fs/promises';
import { isGzipPath } from '../csv/source.js';
import type { CountResult, CountTask } from './count-file.js';
import type { FileCounts } from './file-counter.js';
import { mergeCounts } from './merge-counts.js';

/** Ranges smaller than this are not worth a task of their own. */
const MIN_RANGE = 8 << 20;


/** Per worker, about this many tasks when files are split: the last ones then end close together. */
const TASKS_PER_WORKER = 8;

/**
 * The tasks for these files: each file whole when they share out evenly among the workers;
 * otherwise (fewer files than workers, or 11 files for 2 workers) plain files are cut into byte
 * ranges, enough for about TASKS_PER_WORKER each, none smaller than `minRange`.
 */
export async function countTasks(paths: readonly string[], jobs: number, minRange = MIN_RANGE): Promise<CountTask[]> {
  if (jobs <= 1 || (paths.length >= jobs && paths.length % jobs === 0)) return paths.map((path) => ({ path, range: null }));
  const perFile = Math.ceil((TASKS_PER_WORKER * jobs) / paths.length);
  const tasks: CountTask[] = [];
  for (const path of paths) {
    const size = isGzipPath(path) ? 0 : (await stat(path)).size;
    const ranges = Math.min(perFile, Math.floor(size / minRange));
    if (ranges < 2) {
      tasks.push({ path, range: null });
      continue;
    }
    for (let r = 0; r < ranges; r++) tasks.push({ path, range: { start: Math.floor((size * r) / ranges), end: r === ranges - 1 ? size : Math.floor((size * (r + 1)) / ranges) } });
  }
  return tasks;
}

/**
 * Per file (in `paths` order), the counts of its tasks put together, or null for a file whose
 * ranges did not meet (or failed) and must be read whole.
 */
export function joinRanges(paths: readonly string[], tasks: readonly CountTask[], results: readonly CountResult[], groupingOf: readonly number[]): Array<FileCounts | null> {
  return paths.map((path) => {
    const mine = tasks.flatMap((task, i) => (task.path === path ? [{ task, result: results[i]! }] : []));
    if (mine.length === 1 && mine[0]!.task.range === null) return mine[0]!.result.counts;
    mine.sort((a, b) => a.task.range!.start - b.task.range!.start);
    for (let i = 0; i < mine.length; i++) {
      const { result } = mine[i]!;
      if (result.failed) return null;
      // The rows of range i end where those of range i + 1 begin (the last reads to the end).
      const following = mine[i + 1]?.result.first ?? -1;
      if (result.next !== following) return null;
    }
    return mine.map((m) => m.result.counts).reduce((a, b) => mergeCounts(a, b, groupingOf));
  });
}
