// The measures stage: checks the definitions and every cohort header first, counts every dated
// cohort file in one streaming pass each (in parallel), then writes all the measure files at
// once, so a failure anywhere leaves no measure file written.

import { resolve } from 'node:path';
import { UserError } from '../errors.js';
import { datedFiles, findCohortFiles } from '../csv/dated-files.js';
import { readHeader } from '../csv/header.js';
import { writeFilesAtomic } from '../io/file-set.js';
import { checkOutputFolder } from '../io/folders.js';
import { defaultJobs, runPool, startWorkers } from '../parallel/pool.js';
import { loadDefinitions } from './load-definitions.js';
import { findColumns, planMeasures } from './plan.js';
import { countFile, type CountInit, type CountResult, type CountTask } from './count-file.js';
import { countTasks, joinRanges } from './byte-ranges.js';
import type { FileCounts } from './file-counter.js';
import { measureRows, releasedRows } from './measure-tables.js';
import { sharedGroups } from './shared-groups.js';
import { checkStrata, stratumTables } from './strata.js';
import { extraCells, intervalMethod } from './extra-values.js';
import { isMeasureFileName } from '../layouts/measure-file.js';
import { extraValueColumns, type MeasureTable } from '../layouts/measure-table.js';
import { checkFormat, measureOutputs, type MeasureFormat } from './measure-outputs.js';
import { staleOutputs } from './stale-outputs.js';

export interface RunMeasuresOptions {
  /** The definitions file (JSON; see analysis/measures.schema.json). */
  definitions: string;
  /** Glob of cohort files; those with a date in the name (`..._YYYY-MM-DD.csv[.gz]`) are counted. */
  cohort: string;
  /** Where the measure files go; created if needed. */
  outputDir: string;
  /** Default `cohort-extractor`: measure_<id>_<date>.csv and measure_<id>.csv; `ehrql`: one measures.csv. */
  format?: MeasureFormat;
  /** cohort-extractor format: write only the combined measure_<id>.csv files. Default false. */
  combinedOnly?: boolean;
  /** Files counted at once. Default: the number of CPUs. */
  jobs?: number;
  /** Show progress on stderr when it is a terminal. Default true. */
  progress?: boolean;
  /** Files that do not share out evenly among the workers are counted in byte ranges of at least this size (default 4 MiB; see byte-ranges.ts). */
  minRangeBytes?: number;
}

export interface MeasuresSummary {
  /** The dated cohort files counted, in date order. */
  files: Array<{ path: string; date: string; rows: number }>;
  /** Files the glob matched that have no date in their name, so are not monthly cohort files. */
  skipped: string[];
  rows: number;
  measures: number;
  /** Per measure that left groups out (the group-size rule): how many. Never which. */
  leftOut: Array<{ id: string; groups: number; minGroupSize: number }>;
  /** Every measure file written. */
  written: string[];
  /** Measure files of an earlier run removed, as this run did not write them again. */
  removed: string[];
  /** Files the job runner would not release (too many rows), each with what to do instead. */
  warnings: string[];
  elapsedMs: number;
}

export async function runMeasures(options: RunMeasuresOptions): Promise<MeasuresSummary> {
  const started = performance.now();
  const definitions = await loadDefinitions(options.definitions);
  const plan = planMeasures(definitions.measures);
  const format = { format: options.format ?? 'cohort-extractor', combinedOnly: options.combinedOnly ?? false };
  checkFormat(definitions, format);
  await checkOutputFolder(options.outputDir, '--output-dir');

  // Measure files from an earlier run are never cohort files, even when the glob matches them.
  const cohortFiles = (await findCohortFiles(options.cohort, { option: '--cohort' })).filter((file) => !isMeasureOutput(file.path, options.outputDir));
  const dated = datedFiles(cohortFiles, '--cohort');
  const skipped = cohortFiles.filter((file) => file.date === null).map((file) => file.path);
  if (dated.length === 0) {
    throw new UserError(`--cohort ${options.cohort}: matches no cohort file with a date in its name (such as input_2020-01-01.csv); measures are counted per date`);
  }
  const jobs = options.jobs ?? defaultJobs();
  const paths = dated.map((file) => file.path);
  // The worker threads start while the headers are checked (a single file may be read in this thread alone).
  const worker = new URL('./worker.js', import.meta.url);
  const workers = startWorkers(worker, paths.length > 1 ? Math.min(jobs, paths.length) : 1);
  let counts: FileCounts[];
  try {
    const headers = await Promise.all(dated.map((file) => readHeader(file.path)));
    dated.forEach((file, i) => findColumns(headers[i]!, definitions.measures, plan, file.path));
    const count = (tasks: CountTask[]) =>
      runPool<CountInit, CountTask, CountResult>({
        worker,
        started: workers,
        handler: countFile,
        init: { measures: definitions.measures, plan },
        tasks,
        jobs,
        progress: options.progress === false ? null : 'measures',
      });
    const tasks = await countTasks(paths, jobs, options.minRangeBytes);
    const parts = joinRanges(paths, tasks, await count(tasks), plan.measures.map((m) => m.grouping));
    // Files whose ranges did not meet (a quoted newline where a range began) or failed are read whole.
    const again = paths.filter((_, i) => parts[i] === null);
    const whole = again.length === 0 ? [] : await count(again.map((path) => ({ path, range: null })));
    counts = parts.map((part, i) => part ?? whole[again.indexOf(paths[i]!)]!.counts);
  } finally {
    workers.close();
  }

  await checkStrata(definitions.measures, plan, dated, counts);

  // Every file has been read without error: only now is anything written.
  const leftOut: MeasuresSummary['leftOut'] = [];
  const tables = definitions.measures.map((measure, m): MeasureTable => {
    const grouping = plan.measures[m]!.grouping;
    const shared = sharedGroups(grouping, measure.minGroupSize, counts);
    if (shared.leftOut > 0) leftOut.push({ id: measure.id, groups: shared.leftOut, minGroupSize: measure.minGroupSize });
    const strata = measure.standardise === null ? null : stratumTables(measure, m, plan, counts);
    const method = intervalMethod(measure, plan, counts);
    const dates = dated.map((file, i) => {
      const rows = releasedRows(measure.disclosure, counts[i]!.groups[grouping]!, counts[i]!.sums[m]!, shared.kept);
      return { date: file.date, rows: measureRows(rows, extraCells(measure, method, strata?.[i] ?? null)) };
    });
    const extraColumns = extraValueColumns({ interval: measure.confidenceInterval, standardised: measure.standardise !== null });
    return { id: measure.id, groupBy: measure.groupBy, numerator: measure.numerator, denominator: measure.denominator, extraColumns, dates };
  });
  const { files: outputs, warnings } = measureOutputs(tables, options.outputDir, format);
  // Measure files an earlier run left that this one does not write go in the same step, so
  // describe never charts them.
  const stale = await staleOutputs(options.outputDir, outputs);
  await writeFilesAtomic(outputs, { remove: stale });

  return {
    files: dated.map((file, i) => ({ path: file.path, date: file.date, rows: counts[i]!.rows })),
    skipped,
    rows: counts.reduce((n, c) => n + c.rows, 0),
    measures: definitions.measures.length,
    leftOut,
    written: outputs.map((file) => file.path),
    removed: stale,
    warnings,
    elapsedMs: performance.now() - started,
  };
}

function isMeasureOutput(path: string, outputDir: string): boolean {
  return resolve(path, '..') === resolve(outputDir) && isMeasureFileName(path);
}
