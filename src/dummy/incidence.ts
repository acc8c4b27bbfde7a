// `incidence` and `rate`, which most kinds of variable take: the share of rows that have a value,
// constant or changing linearly between dated points, or every row ("universal").

import { quote } from '../errors.js';
import { isIsoDate, dayOfIsoDate } from '../dates.js';
import { convert, either, number, oneOf, optional, record, type Place, type Shape } from '../input/shapes.js';
import type { Incidence } from './schema.js';

const SHARE = number({ min: 0, max: 1 });
const DATED_SHARES = record(SHARE, {
  expected: '{"YYYY-MM-DD": share, ...}',
  nonEmpty: true,
  keyProblem: (date) => (isIsoDate(date) ? undefined : `expected a date YYYY-MM-DD as the key, got ${quote(date)}`),
});

const INCIDENCE_SHAPE: Shape<Incidence> = either(
  [
    convert(SHARE, (share): Incidence => ({ days: [0], values: [share] })),
    convert(DATED_SHARES, (shares): Incidence => {
      const points = [...shares].map(([date, share]) => ({ day: dayOfIsoDate(date)!, share })).sort((a, b) => a.day - b.day);
      return { days: points.map((p) => p.day), values: points.map((p) => p.share) };
    }),
  ],
  { expected: 'a share from 0 to 1, or {"YYYY-MM-DD": share, ...} changing linearly between the dates' },
);

/** The `incidence` key. */
export const INCIDENCE = optional(INCIDENCE_SHAPE, 'The share of people with a value (default 1; the others get an empty cell, or 0 for an int): a number, or {date: share} changing linearly between the dates.');

/** The `rate` key of kinds other than dates, which take only "universal". */
export const UNIVERSAL = optional(oneOf(['universal'], { expected: '"universal" (every row has a value; only dates take other rates)' }), '"universal": everyone has a value (as cohort-extractor).');

/** The incidence the two keys give together. */
export function incidenceOf(incidence: Incidence | undefined, rate: string | undefined, place: Place): Incidence {
  if (rate !== 'universal') return incidence ?? { days: [0], values: [1] };
  if (incidence !== undefined) place.fail('give either rate "universal" or an incidence, not both');
  return { days: [0], values: [1] };
}
