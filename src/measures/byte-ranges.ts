// Splitting the work of analyse measures: one task per file when the files share out evenly among
// the workers; otherwise large plain files are cut into byte ranges, so that one big file uses
// every core, 11 files keep 2 workers busy to the end, and with 25 files neither waits for the
// other's last one. A range begins at the first line end after its start. That is a row boundary
// unless the line end is inside a quoted field, so the ranges of a file are checked to meet
// exactly (each range's reading carries on past its end to the next row start); where they do
// not, or a range fails, the file is read again whole.

import { stat } from 'node:fs/promises';
import { isGzipPath } from '../csv/source.js';
import type { CountResult, CountTask } from './count-file.js';
import type { FileCounts } from './file-counter.js';
import { mergeCounts } from './merge-counts.js';

/** Ranges smaller than this are not worth a task of their own (a range costs two small reads more). */
const MIN_RANGE = 4 << 20;

/** Per worker, about this many tasks when files are split: the last ones then end close together. */
const TASKS_PER_WORKER = 8;

/**
 * The tasks for these files: each file whole when they share out evenly among the workers.
 * Otherwise, with few files (fewer than TASKS_PER_WORKER per worker), plain files are cut into
 * byte ranges, enough for about TASKS_PER_WORKER tasks per worker; with many, only the files
 * left over once each worker has as many whole ones (the last `paths.length % jobs`) are cut,
 * into a range per worker, so that no worker waits at the end while another reads a whole
 * file (25 monthly files for 2 workers: 24 whole, the last in halves). No range is smaller
 * than `minRange`.
 */
export async function countTasks(paths: readonly string[], jobs: number, minRange = MIN_RANGE): Promise<CountTask[]> {
  if (jobs <= 1 || (paths.length >= jobs && paths.length % jobs === 0)) return paths.map((path) => ({ path, range: null }));
  const few = paths.length < TASKS_PER_WORKER * jobs;
  const perFile = few ? Math.ceil((TASKS_PER_WORKER * jobs) / paths.length) : jobs;
  const cutFrom = few ? 0 : paths.length - (paths.length % jobs);
  const tasks: CountTask[] = [];
  for (const [i, path] of paths.entries()) {
    const size = i < cutFrom || isGzipPath(path) ? 0 : (await stat(path)).size;
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
