// Measure files an earlier run left in the output folder that this run does not write again: a
// measure since removed from the definitions, per-date files before --combined-only, the other
// format's files. Removed, so a later describe does not chart them. Several definitions files may
// share one folder (the study's care-home and control measures do), so each run records the files
// it wrote in the folder's manifest, by definitions file, and never removes what another
// definitions file's run wrote. Only measure files (`measure_*.csv`, `measures.csv`) are touched.

import { readdir, readFile, rm } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { isMeasureFileName, measureIdOfStem } from '../layouts/measure-file.js';
import { EHRQL_MEASURES_FILE } from '../layouts/ehrql-measures.js';
import type { OutputFile } from '../layouts/measure-table.js';

/** The folder's record of which definitions file wrote which measure files. */
export const MANIFEST_FILE = '.analyse-measures.json';

/** Measure file names, by definitions file (relative to the output folder, `/`-separated). */
type WrittenBy = Map<string, string[]>;

export interface StalePlan {
  /** Names of the measure files to remove once the new outputs are in place. */
  stale: string[];
  /** The manifest to write with the outputs. */
  manifest: OutputFile;
}

/**
 * Which measure files in `outputDir` are stale after a run of `definitions` writing `outputs`
 * and defining `ids`: those this definitions file's earlier run wrote, and those no run recorded
 * whose measure is not defined now; never a file another definitions file's run wrote.
 */
export async function planStaleOutputs(outputDir: string, definitions: string, ids: readonly string[], outputs: readonly OutputFile[]): Promise<StalePlan> {
  const key = relative(resolve(outputDir), resolve(definitions)).split(sep).join('/');
  const present = (await listNames(outputDir)).filter(isMeasureOutputName);
  const earlier = await readManifest(outputDir);
  const writtenNow = new Set(outputs.map((file) => basename(file.path)));
  const mine = new Set(earlier.get(key) ?? []);
  const others = new Set([...earlier].flatMap(([by, names]) => (by === key ? [] : names)));
  const defined = new Set(ids);
  const stale = present.filter((name) => {
    if (writtenNow.has(name) || others.has(name)) return false;
    if (mine.has(name)) return true;
    return name !== EHRQL_MEASURES_FILE && !defined.has(idOfFileName(name));
  });
  const existing = new Set(present);
  const writtenBy: WrittenBy = new Map();
  for (const [by, names] of earlier) {
    const kept = names.filter((name) => existing.has(name));
    if (by !== key && kept.length > 0) writtenBy.set(by, kept);
  }
  writtenBy.set(key, [...writtenNow].sort());
  const content = `${JSON.stringify({ written_by: Object.fromEntries(writtenBy) }, null, 2)}\n`;
  return { stale, manifest: { path: join(outputDir, MANIFEST_FILE), content } };
}

export async function removeStaleOutputs(outputDir: string, stale: readonly string[]): Promise<void> {
  for (const name of stale) await rm(join(outputDir, name), { force: true });
}

function isMeasureOutputName(name: string): boolean {
  return name === EHRQL_MEASURES_FILE || (isMeasureFileName(name) && name.endsWith('.csv'));
}

/** The measure id of `measure_<id>.csv` or `measure_<id>_<YYYY-MM-DD>.csv`. */
function idOfFileName(name: string): string {
  return measureIdOfStem(name.slice(0, -'.csv'.length).replace(/_\d{4}-\d{2}-\d{2}$/, ''));
}

async function listNames(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => entry.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** The folder's manifest; an unreadable or hand-edited one counts as none (nothing is then claimed). */
async function readManifest(dir: string): Promise<WrittenBy> {
  const writtenBy: WrittenBy = new Map();
  let json: unknown;
  try {
    json = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8'));
  } catch {
    return writtenBy;
  }
  const by = (json as { written_by?: unknown } | null)?.written_by;
  if (by === null || typeof by !== 'object' || Array.isArray(by)) return writtenBy;
  for (const [key, names] of Object.entries(by as Record<string, unknown>)) {
    if (Array.isArray(names)) writtenBy.set(key, names.filter((name): name is string => typeof name === 'string'));
  }
  return writtenBy;
}
