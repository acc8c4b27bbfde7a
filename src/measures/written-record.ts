// Which measure files a definitions file wrote into an output folder last time, so a re-run with
// fewer measures (or dates) removes the ones it no longer writes, and only those: the study's two
// definitions files (care homes and control) write into one folder, and neither may remove the
// other's files. The record is a small hidden JSON file in the folder, written with the outputs.

import { createHash } from 'node:crypto';
import { basename, join, resolve } from 'node:path';
import { readOptionalInputFile } from '../io/input-file.js';

/** Names ever removed as stale: measure files and the ehrQL measures file, nothing else. */
const MEASURE_OUTPUT = /^(measure_.*\.csv|measures\.csv)$/;

/** `.analyse-measures.<definitions name>.<hash of its path>.json` in the output folder. */
export function recordPath(outputDir: string, definitionsFile: string): string {
  const hash = createHash('sha256').update(resolve(definitionsFile)).digest('hex').slice(0, 8);
  return join(outputDir, `.analyse-measures.${basename(definitionsFile)}.${hash}.json`);
}

/** The content of the record of `written` (paths in the output folder). */
export function recordContent(written: readonly string[]): string {
  return `${JSON.stringify({ written: written.map((path) => basename(path)).sort() }, null, 1)}\n`;
}

/** The measure files the last run of these definitions wrote into `outputDir` (none when there is no record). */
export async function writtenBefore(outputDir: string, definitionsFile: string): Promise<string[]> {
  const text = await readOptionalInputFile(recordPath(outputDir, definitionsFile)).catch(() => null);
  if (text === null) return [];
  try {
    const names = (JSON.parse(text) as { written?: unknown }).written;
    if (!Array.isArray(names)) return [];
    return names.filter((name): name is string => typeof name === 'string' && MEASURE_OUTPUT.test(name) && basename(name) === name).map((name) => join(outputDir, name));
  } catch {
    // A damaged record removes nothing.
    return [];
  }
}
