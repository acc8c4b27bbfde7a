// The 2013 European Standard Population, the standard UK and EU statistics use for age-standardised
// rates: Eurostat. Revision of the European Standard Population: Report of Eurostat's task force,
// 2013 edition. Luxembourg: Publications Office of the European Union, 2013 (doi:10.2785/11470),
// in its 5-year age bands, 0-4 to 90-94, then 95 and over; the weights add up to 100,000.

/** Band labels and weights, youngest first: each band is 5 years wide, the last open-ended. */
export const ESP2013: ReadonlyArray<readonly [band: string, weight: number]> = [
  ['0-4', 5000],
  ['5-9', 5500],
  ['10-14', 5500],
  ['15-19', 5500],
  ['20-24', 6000],
  ['25-29', 6000],
  ['30-34', 6500],
  ['35-39', 7000],
  ['40-44', 7000],
  ['45-49', 7000],
  ['50-54', 7000],
  ['55-59', 6500],
  ['60-64', 6000],
  ['65-69', 5500],
  ['70-74', 5000],
  ['75-79', 4000],
  ['80-84', 2500],
  ['85-89', 1500],
  ['90-94', 800],
  ['95+', 200],
];

const BAND_YEARS = 5;

/** The band of an age in whole years (0 or more), such as "65-69" for 67 and "95+" for 103. */
export function esp2013Band(age: number): string {
  return ESP2013[Math.min(Math.floor(age / BAND_YEARS), ESP2013.length - 1)]![0];
}

/** The weight of each band, by label. */
export const ESP2013_WEIGHTS: ReadonlyMap<string, number> = new Map(ESP2013);
