// The ehrQL measures file layout (`generate-measures`): `measure,interval_start,interval_end,
// ratio,numerator,denominator`, then any other columns (group columns, intervals). Recognised by
// its header, whatever the file is called.

export const EHRQL_MEASURES_COLUMNS = ['measure', 'interval_start', 'interval_end', 'ratio', 'numerator', 'denominator'] as const;

/** Where the numerator and denominator are, if the header is that of an ehrQL measures file; null otherwise. */
export function ehrqlCountFields(header: readonly string[]): [number, number] | null {
  if (!EHRQL_MEASURES_COLUMNS.every((name, i) => header[i] === name)) return null;
  return [EHRQL_MEASURES_COLUMNS.indexOf('numerator'), EHRQL_MEASURES_COLUMNS.indexOf('denominator')];
}
