// The join-ethnicity stage: checks everything it can before writing anything, loads the
// ethnicity lookup once, then joins every cohort file in parallel, each written whole or not at all.

import { basename, join, resolve } from 'node:path';
import { UserError, quote } from '../errors.js';
import { findCohortFiles } from '../csv/dated-files.js';
import { checkOnce, columnIndex, readHeader } from '../csv/header.js';
import { checkInputFile } from '../io/input-file.js';
import { checkOutputFolder, ensureFolder } from '../io/folders.js';
import { defaultJobs, runPool, startWorkers } from '../parallel/pool.js';
import { loadJoinValues } from './join-values.js';
import { joinFile, type JoinFileResult, type JoinTask } from './join-file.js';

export interface JoinEthnicityOptions {
  /** Glob of cohort files to join onto (the ethnicity file is never one of them). */
  cohort: string;
  /** The file holding the key and the columns to join. */
  ethnicity: string;
  /** Key column in both files. Default `patient_id`. */
  key?: string;
  /** Columns of the ethnicity file to join. Default `["ethnicity"]`. */
  columns?: readonly string[];
  /** Where to write the joined files; default: replace each cohort file in place. */
  outputDir?: string;
  /** Files joined at once. Default: the number of CPUs. */
  jobs?: number;
  /** Show progress on stderr when it is a terminal. Default true. */
  progress?: boolean;
}

export interface JoinEthnicitySummary {
  files: JoinFileResult[];
  rows: number;
  matched: number;
  /** Rows and distinct keys in the ethnicity file. */
  ethnicityRows: number;
  ethnicityKeys: number;
  inPlace: boolean;
  elapsedMs: number;
}

export async function joinEthnicity(options: JoinEthnicityOptions): Promise<JoinEthnicitySummary> {
  const started = performance.now();
  const key = options.key ?? 'patient_id';
  const columns = options.columns ?? ['ethnicity'];
  const jobs = options.jobs ?? defaultJobs();
  checkColumns(key, columns);
  await checkInputFile(options.ethnicity, 'the --ethnicity file');

  const cohortFiles = await findCohortFiles(options.cohort, { option: '--cohort', exclude: [options.ethnicity] });
  const tasks: JoinTask[] = cohortFiles.map((file) => ({
    input: file.path,
    output: options.outputDir === undefined ? file.path : join(options.outputDir, file.name),
    key,
  }));
  checkDistinctOutputs(tasks);
  if (options.outputDir !== undefined) await checkOutputFolder(options.outputDir, '--output-dir');
  for (const file of cohortFiles) {
    const names = await readHeader(file.path);
    columnIndex(names, key, file.path, 'key column');
    for (const column of columns) if (names.includes(column)) checkOnce(names, column, file.path);
  }
  // The worker threads start while the lookup file loads.
  const worker = new URL('./worker.js', import.meta.url);
  const workers = startWorkers(worker, Math.min(jobs, tasks.length));
  let files: JoinFileResult[];
  let loaded: { rows: number; keys: number };
  try {
    const values = await loadJoinValues({ file: options.ethnicity, key, columns });
    loaded = values;
    if (options.outputDir !== undefined) await ensureFolder(options.outputDir, '--output-dir');
    files = await runPool({ worker, started: workers, handler: joinFile, init: values, tasks, jobs, progress: options.progress === false ? null : 'join-ethnicity' });
  } finally {
    workers.close();
  }
  return {
    files,
    rows: files.reduce((n, f) => n + f.rows, 0),
    matched: files.reduce((n, f) => n + f.matched, 0),
    ethnicityRows: loaded.rows,
    ethnicityKeys: loaded.keys,
    inPlace: options.outputDir === undefined,
    elapsedMs: performance.now() - started,
  };
}

function checkColumns(key: string, columns: readonly string[]): void {
  if (key === '') throw new UserError('--key: the key column name is empty');
  if (columns.length === 0 || columns.some((c) => c === '')) throw new UserError('--columns: expected one or more column names separated by commas');
  const seen = new Set<string>();
  for (const column of columns) {
    if (column === key) throw new UserError(`--columns: ${quote(column)} is the key column; it cannot also be joined`);
    if (seen.has(column)) throw new UserError(`--columns: ${quote(column)} is named twice`);
    seen.add(column);
  }
}

function checkDistinctOutputs(tasks: readonly JoinTask[]): void {
  const seen = new Map<string, string>();
  for (const task of tasks) {
    const target = resolve(task.output);
    const other = seen.get(target);
    if (other !== undefined) {
      throw new UserError(`--output-dir: ${other} and ${task.input} would both be written to ${task.output}; join files named ${quote(basename(task.input))} separately`);
    }
    seen.set(target, task.input);
  }
}
