// Finds the cohort files a glob names and reads each one's index date from its name, as
// cohort-extractor writes them: `<anything>_YYYY-MM-DD.csv[.gz]`.

import fg from 'fast-glob';
import { basename, resolve } from 'node:path';
import { stat } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { isIsoDate } from '../dates.js';

export interface CohortFile {
  /** Path as matched (relative to the working folder when the glob was). */
  path: string;
  /** File name without folder. */
  name: string;
  /** Name without `.csv` / `.csv.gz`. */
  stem: string;
  /** Index date from the name (YYYY-MM-DD), or null when the name carries none. */
  date: string | null;
}

/** A monthly (weekly, ...) cohort file: one whose name carries its index date. */
export interface DatedFile extends CohortFile {
  date: string;
}

export function isDated(file: CohortFile): file is DatedFile {
  return file.date !== null;
}

const CSV_NAME = /^(.*)\.csv(\.gz)?$/i;
const DATED_STEM = /_(\d{4}-\d{2}-\d{2})$/;

export function isCsvName(name: string): boolean {
  return CSV_NAME.test(name);
}

export function cohortFileOf(path: string): CohortFile {
  const name = basename(path);
  const stem = CSV_NAME.exec(name)?.[1] ?? name;
  const match = DATED_STEM.exec(stem);
  const date = match && isIsoDate(match[1]!) ? match[1]! : null;
  return { path, name, stem, date };
}

export interface FindCohortOptions {
  /** Which option the glob came from, for messages (e.g. `--cohort`). */
  option: string;
  /** Paths never treated as cohort files, even when the glob matches them. */
  exclude?: readonly string[];
}

/** The `.csv` / `.csv.gz` files matching `pattern`, sorted by path. No match is a UserError. */
export async function findCohortFiles(pattern: string, { option, exclude = [] }: FindCohortOptions): Promise<CohortFile[]> {
  if (!fg.isDynamicPattern(pattern)) {
    try {
      if (!(await stat(pattern)).isFile()) throw new UserError(`${option} ${pattern}: is not a file`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UserError(`${option} ${pattern}: file not found`);
      throw error;
    }
  }
  let paths: string[];
  try {
    paths = await fg(fg.isDynamicPattern(pattern) ? pattern : fg.escapePath(pattern), { onlyFiles: true, unique: true });
  } catch (error) {
    throw new UserError(`${option} ${pattern}: not a valid glob (${(error as Error).message})`);
  }
  const excluded = new Set(exclude.map((p) => resolve(p)));
  const files = paths
    .filter((p) => isCsvName(basename(p)) && !excluded.has(resolve(p)))
    .sort()
    .map(cohortFileOf);
  if (files.length === 0) {
    const what = paths.length === 0 ? 'matches no file' : 'matches no .csv or .csv.gz file';
    throw new UserError(`${option} ${pattern}: ${what}`);
  }
  return files;
}

/** The dated files, checking that no two share a date. */
export function datedFiles(files: readonly CohortFile[], option: string): DatedFile[] {
  const byDate = new Map<string, DatedFile>();
  for (const file of files) {
    if (!isDated(file)) continue;
    const other = byDate.get(file.date);
    if (other) throw new UserError(`${option}: two cohort files have the date ${file.date}: ${other.path} and ${file.path}`);
    byDate.set(file.date, file);
  }
  return [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
}
