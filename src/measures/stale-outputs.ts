// Measure files an earlier run left in the output folder that this run does not write again: a
// measure since removed from the definitions, a date no longer in the cohort, per-date files
// before --combined-only, the other format's files. They are removed in the same step as the new
// files are put in place, so a later describe never charts them. Only measure files
// (`measure_*.csv`, `measures.csv`) are touched; nothing else in the folder. Two definitions files
// therefore need two output folders (as the study's care-home and control measures have).

import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isMeasureFileName } from '../layouts/measure-file.js';
import { EHRQL_MEASURES_FILE } from '../layouts/ehrql-measures.js';
import type { OutputFile } from '../layouts/measure-table.js';

/** Paths of the measure files in `outputDir` that `outputs` does not write. */
export async function staleOutputs(outputDir: string, outputs: readonly OutputFile[]): Promise<string[]> {
  const written = new Set(outputs.map((file) => resolve(file.path)));
  return (await listNames(outputDir))
    .filter(isMeasureOutputName)
    .map((name) => join(outputDir, name))
    .filter((path) => !written.has(resolve(path)));
}

function isMeasureOutputName(name: string): boolean {
  return name === EHRQL_MEASURES_FILE || (isMeasureFileName(name) && name.endsWith('.csv'));
}

async function listNames(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => entry.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
