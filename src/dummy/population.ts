// One simulated population, the same for every schema given the same size and seed: everyone who
// is aged 65+ and registered at some time between 2010 and 2035, held in typed arrays (24 bytes a
// person). People join at a steady rate chosen so that about `size` are in the population on any
// date; each has a fixed life story, so ids are stable across dates and people age, move into and
// out of care homes, die, move away, and new people register.

import { dayOf, ymdNumber } from './dates.js';
import { mulberry32 } from './random.js';
import { drawLifeStory, ENTRY_AGE, meanYearsInPopulation, type LifeStory } from './population-model.js';

/** Dates the population is steady over; outside them it thins out. */
export const HORIZON_START = dayOf(2010, 1, 1);
export const HORIZON_END = dayOf(2035, 1, 1);
/** Simulated years before the horizon, so that it opens on a population of every age. */
const BURN_IN_YEARS = 45;
const DAYS_PER_YEAR = 365.2425;
/** A day that never comes. */
export const NEVER = 2 ** 31 - 1;
/** The calibration draws are fixed, so the joining rate does not depend on the seed. */
const CALIBRATION_SEED = 0x5eed;

export interface SimulatedPopulation {
  /** People in the population on an average date within the horizon. */
  size: number;
  seed: number;
  /** People who are in the population at some time within the horizon. */
  count: number;
  /** Per person (index 0..count-1), in the order they joined. */
  ids: Int32Array;
  /** Date of birth as the number YYYYMMDD. */
  birthYmd: Int32Array;
  /** First day in the population, and first day no longer in it (days since 1970-01-01). */
  joins: Int32Array;
  leaves: Int32Array;
  /** First day in a care home and first day out of it; NEVER when they never move in. */
  careStart: Int32Array;
  careEnd: Int32Array;
}

export function simulatePopulation(size: number, seed: number): SimulatedPopulation {
  const meanDays = meanYearsInPopulation(50_000, mulberry32(CALIBRATION_SEED)) * DAYS_PER_YEAR;
  const joinsPerDay = size / meanDays;
  let count = 0;
  forEachMember(seed, joinsPerDay, () => void count++);

  const population: SimulatedPopulation = {
    size,
    seed,
    count,
    ids: new Int32Array(count),
    birthYmd: new Int32Array(count),
    joins: new Int32Array(count),
    leaves: new Int32Array(count),
    careStart: new Int32Array(count),
    careEnd: new Int32Array(count),
  };
  let p = 0;
  forEachMember(seed, joinsPerDay, (id, joinDay, story) => {
    population.ids[p] = id;
    population.birthYmd[p] = story.entryAge === ENTRY_AGE ? ymdNumber(joinDay) - ENTRY_AGE * 10000 : ymdNumber(joinDay - Math.round(story.entryAge * DAYS_PER_YEAR));
    population.joins[p] = joinDay;
    population.leaves[p] = dayAfter(joinDay, story.leaves);
    population.careStart[p] = dayAfter(joinDay, story.careStart);
    population.careEnd[p] = dayAfter(joinDay, story.careEnd);
    p++;
  });
  return population;
}

/** Draws every candidate in order and visits those still in the population when the horizon opens. */
function forEachMember(seed: number, joinsPerDay: number, visit: (id: number, joinDay: number, story: LifeStory) => void): void {
  const random = mulberry32(seed);
  const first = HORIZON_START - BURN_IN_YEARS * DAYS_PER_YEAR;
  const candidates = Math.floor(joinsPerDay * (HORIZON_END - first));
  const story: LifeStory = { entryAge: 0, leaves: 0, careStart: 0, careEnd: 0 };
  for (let k = 0; k < candidates; k++) {
    const joinDay = Math.floor(first + (k + random()) / joinsPerDay);
    drawLifeStory(random, story);
    if (dayAfter(joinDay, story.leaves) > HORIZON_START) visit(k + 1, joinDay, story);
  }
}

function dayAfter(joinDay: number, years: number): number {
  return Number.isFinite(years) ? Math.min(joinDay + Math.floor(years * DAYS_PER_YEAR), NEVER) : NEVER;
}

export function inPopulation(population: SimulatedPopulation, p: number, day: number): boolean {
  return population.joins[p]! <= day && day < population.leaves[p]!;
}

export function inPopulationBetween(population: SimulatedPopulation, p: number, first: number, last: number): boolean {
  return population.joins[p]! <= last && first < population.leaves[p]!;
}

export function inCareHome(population: SimulatedPopulation, p: number, day: number): boolean {
  return population.careStart[p]! <= day && day < population.careEnd[p]!;
}
