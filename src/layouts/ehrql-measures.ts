// The ehrQL measures file layout (`generate-measures`): `measure,interval_start,interval_end,
// ratio,numerator,denominator`, then any other columns (group columns, intervals). Recognised by
// its header, whatever the file is called.

import { extraFields, type MeasureFields } from './measure-file.js';

export const EHRQL_MEASURES_COLUMNS = ['measure', 'interval_start', 'interval_end', 'ratio', 'numerator', 'denominator'] as const;

/** Where the counts and the ratio are, if the header is that of an ehrQL measures file; null otherwise. */
export function ehrqlMeasureFields(header: readonly string[]): MeasureFields | null {
  if (!EHRQL_MEASURES_COLUMNS.every((name, i) => header[i] === name)) return null;
  const at = (name: (typeof EHRQL_MEASURES_COLUMNS)[number]) => EHRQL_MEASURES_COLUMNS.indexOf(name);
  return { numerator: at('numerator'), denominator: at('denominator'), value: at('ratio'), extras: extraFields(header) };
}
