// Finds the cohort files a glob names and reads each one's index date from its name, as
// cohort-extractor writes them: `<anything>_YYYY-MM-DD.csv[.gz]`.

import fg from 'fast-glob';
import { basename, resolve } from 'node:path';
import { stat } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { isIsoDate } from '../dates.js';
import { fsError } from '../io/fs-errors.js';
import { checkInputFile, notRegularKind } from '../io/input-file.js';

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

/** The file's name, stem and date. A date in the name that no calendar has (2020-02-30) is a UserError, never taken as no date. */
export function cohortFileOf(path: string): CohortFile {
  const name = basename(path);
  const stem = CSV_NAME.exec(name)?.[1] ?? name;
  const date = DATED_STEM.exec(stem)?.[1] ?? null;
  if (date !== null && !isIsoDate(date)) {
    throw new UserError(`the date ${date} in the file name is not a real date (expected <anything>_YYYY-MM-DD.csv with a day that exists)`, { file: path });
  }
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
  if (pattern === '') throw new UserError(`${option}: expected a file name or glob, got an empty one`);
  const dynamic = fg.isDynamicPattern(pattern);
  if (!dynamic) await checkInputFile(pattern, `the ${option} file`);
  let paths: string[];
  try {
    // Not only files: a .csv name that is a folder, a named pipe or a loop of links is refused below, never skipped.
    paths = await fg(dynamic ? pattern : fg.escapePath(pattern), { onlyFiles: false, unique: true });
  } catch (error) {
    throw new UserError(`${option} ${pattern}: not a valid glob (${(error as Error).message})`);
  }
  const candidates = paths.filter((p) => isCsvName(basename(p))).sort();
  for (const path of candidates) await checkMatchedFile(path, option);
  // The same file by another path (a linked folder, a hard link) is still the excluded file.
  const excluded = new Set(await Promise.all(exclude.map(fileKey)));
  const keys = await Promise.all(candidates.map(fileKey));
  const matched = candidates.filter((_, i) => !excluded.has(keys[i]!));
  const files = matched.map(cohortFileOf);
  if (files.length === 0) {
    const what = paths.length === 0 ? 'matches no file' : 'matches no .csv or .csv.gz file';
    throw new UserError(`${option} ${pattern}: ${what}`);
  }
  return files;
}

/** What makes a file itself, whatever path leads to it: its device and inode, or its resolved path when it cannot be read. */
async function fileKey(path: string): Promise<string> {
  try {
    const { dev, ino } = await stat(path, { bigint: true });
    return `${dev}:${ino}`;
  } catch {
    return resolve(path);
  }
}

/** A file the glob matched must be a regular file (following links). */
async function checkMatchedFile(path: string, option: string): Promise<void> {
  let kind: string | null;
  try {
    kind = notRegularKind(await stat(path));
  } catch (error) {
    // A link to nothing is as good as no file: the glob saw a name that leads nowhere.
    throw fsError(error, path, 'read', `matched by ${option}`);
  }
  if (kind !== null) throw new UserError(`${kind} (matched by ${option})`, { file: path });
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
