// Calendar arithmetic on whole days (UTC), the unit the simulation works in.

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a YYYY-MM-DD date, or null if it is not a real date. */
export function parseDay(text: string): number | null {
  const match = ISO_DATE.exec(text);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(y, m - 1, d);
  const date = new Date(ms);
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return ms / MS_PER_DAY;
}

export function dayOf(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

/** YYYY-MM-DD of a day number. */
export function isoDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
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

/** `day` moved by whole months, keeping the day of the month (clamped to the month's last day). */
export function addMonths(day: number, months: number): number {
  const date = new Date(day * MS_PER_DAY);
  const first = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1);
  const target = new Date(first);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  return Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(date.getUTCDate(), lastDay)) / MS_PER_DAY;
}
