// The rows of one cohort file: the people of the simulated population who meet the schema's
// population filter on the index date, in the order they joined, each with its generated values.

import { ageOn } from './dates.js';
import { inCareHome, inPopulation, inPopulationBetween, type SimulatedPopulation } from './population.js';
import type { PopulationFilter } from './schema.js';
import type { Column, IndexDate } from './variables.js';

/** Each row as one CSV line without its line end; cells come quoted from the columns. */
export function* cohortRows(population: SimulatedPopulation, filter: PopulationFilter, columns: readonly Column[], at: IndexDate): Generator<string> {
  const { ids, count } = population;
  for (let p = 0; p < count; p++) {
    if (!isSelected(population, filter, p, at)) continue;
    let line = String(ids[p]);
    for (const column of columns) line += `,${column.value(p, at)}`;
    yield line;
  }
}

/** Whether person `p` is in the cohort on the index date. */
export function isSelected(population: SimulatedPopulation, filter: PopulationFilter, p: number, at: IndexDate): boolean {
  const { careHome, minAge, maxAge, registeredBetween } = filter;
  if (registeredBetween ? !inPopulationBetween(population, p, registeredBetween[0], registeredBetween[1]) : !inPopulation(population, p, at.day)) return false;
  if (careHome !== null && inCareHome(population, p, at.day) !== careHome) return false;
  if (minAge !== null || maxAge !== null) {
    const age = ageOn(population.birthYmd[p]!, at.ymd);
    if ((minAge !== null && age < minAge) || (maxAge !== null && age > maxAge)) return false;
  }
  return true;
}

/** Share of the cohort on `last` who were also in it on `first` (null for an empty cohort). */
export function sharedBetween(population: SimulatedPopulation, filter: PopulationFilter, first: IndexDate, last: IndexDate): number | null {
  let inLast = 0;
  let inBoth = 0;
  for (let p = 0; p < population.count; p++) {
    if (!isSelected(population, filter, p, last)) continue;
    inLast++;
    if (isSelected(population, filter, p, first)) inBoth++;
  }
  return inLast === 0 ? null : inBoth / inLast;
}
