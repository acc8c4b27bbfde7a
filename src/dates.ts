// Calendar dates as every file of the study writes them, YYYY-MM-DD, and the whole-day numbers
// (UTC days since 1970-01-01) that date arithmetic works in. The one place that decides whether
// a text is a real date: file names, measure files, schemas and options all ask here.

export const MS_PER_DAY = 86_400_000;
/** The form of a date, YYYY-MM-DD, whether or not the date exists. */
export const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a YYYY-MM-DD date, or null if the text is not one or the date does not exist (2020-02-30). */
export function dayOfIsoDate(text: string): number | null {
  const match = ISO_DATE.exec(text);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(y, m - 1, d);
  const date = new Date(ms);
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return ms / MS_PER_DAY;
}

/** Whether `text` is a YYYY-MM-DD date that exists. */
export function isIsoDate(text: string): boolean {
  return dayOfIsoDate(text) !== null;
}

/** YYYY-MM-DD of a day number. */
export function isoDateOfDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** `day` moved by whole months, keeping the day of the month (clamped to the month's last day). */
export function addMonths(day: number, months: number): number {
  const date = new Date(day * MS_PER_DAY);
  const first = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1);
  const target = new Date(first);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  return Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(date.getUTCDate(), lastDay)) / MS_PER_DAY;
}
