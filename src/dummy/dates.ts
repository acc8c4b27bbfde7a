// Calendar arithmetic on whole days (UTC), the unit the simulation works in.

import { MS_PER_DAY } from '../dates.js';

export function dayOf(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

/** The date as the number YYYYMMDD, so that whole years between two dates are a division. */
export function ymdNumber(day: number): number {
  const date = new Date(day * MS_PER_DAY);
  return date.getUTCFullYear() * 10000 + (date.getUTCMonth() + 1) * 100 + date.getUTCDate();
}

/** Completed years of age on `day` for someone born on the YYYYMMDD date `birth`. */
export function ageOn(birthYmd: number, dayYmd: number): number {
  return Math.floor((dayYmd - birthYmd) / 10000);
}
