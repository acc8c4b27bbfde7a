// The measures a glob of measure files holds, whichever layout each file has: a combined
// cohort-extractor file is one measure (its id from the name), an ehrQL measures file any number
// (told apart by its header). Per-date cohort-extractor files are skipped.

import { UserError, quote } from '../errors.js';
import { findCohortFiles } from '../csv/dated-files.js';
import { readHeader } from '../csv/header.js';
import { MEASURE_ID, measureIdOfStem, readMeasureFile } from './measure-file.js';
import { isEhrqlHeader, readEhrqlMeasures } from './ehrql-measures.js';
import type { MeasureSeries } from './measure-table.js';

export interface MeasureSources {
  /** Every measure, in path order, then order in the file. */
  series: MeasureSeries[];
  /** ehrQL measures files with no rows: no row names a measure, so none is charted from them. */
  emptyFiles: string[];
}

/** Every measure in the files `pattern` matches; an id found twice is an error. */
export async function readMeasureSources(pattern: string): Promise<MeasureSources> {
  const files = await findCohortFiles(pattern, { option: '--measures' });
  const combined = files.filter((file) => file.date === null);
  if (combined.length === 0) {
    throw new UserError(
      `--measures ${pattern}: matches only per-date measure files (named _YYYY-MM-DD.csv); expected the combined measure_<id>.csv files or an ehrQL measures.csv`,
    );
  }
  const series: MeasureSeries[] = [];
  const emptyFiles: string[] = [];
  for (const file of combined) {
    if (isEhrqlHeader(await readHeader(file.path))) {
      const measures = await readEhrqlMeasures(file.path);
      if (measures.length === 0) emptyFiles.push(file.path);
      series.push(...measures);
      continue;
    }
    const id = measureIdOfStem(file.stem);
    if (!MEASURE_ID.test(id)) {
      throw new UserError(`the measure id ${quote(id)} taken from the file name must have only letters, digits and underscores`, { file: file.path });
    }
    series.push(await readMeasureFile({ id, path: file.path }));
  }
  const seen = new Map<string, string>();
  for (const { id, path } of series) {
    const other = seen.get(id);
    if (other !== undefined) throw new UserError(`--measures: ${other} and ${path} both hold the measure ${quote(id)}`);
    seen.set(id, path);
  }
  return { series, emptyFiles };
}
