// Parses --index-date-range as cohort-extractor does: "2019-03-01 to 2021-03-01 by month",
// "... by week", "... to ..." (by month), or a single date. Month steps keep the day of the month
// counted from the start (no drift), so a monthly range must start on a day every month has.

import { UserError, quote } from '../errors.js';
import { ISO_DATE, addMonths, dayOfIsoDate, isoDateOfDay } from '../dates.js';

/** More index dates than this is almost certainly a typo in a year. */
export const MAX_INDEX_DATES = 1000;

const RANGE = /^(\S+)\s+to\s+(\S+?)(?:\s+by\s+(\S+))?$/;

/** The index dates (YYYY-MM-DD, ascending) that `text` names. */
export function parseIndexDateRange(text: string, option = '--index-date-range'): string[] {
  const trimmed = text.trim();
  const fail = (why: string): never => {
    throw new UserError(`${option} ${quote(text)}: ${why}`);
  };
  if (!trimmed.includes(' ')) return [isoDateOfDay(day(trimmed, fail))];
  const match = RANGE.exec(trimmed);
  if (!match) fail('expected "YYYY-MM-DD to YYYY-MM-DD by month" (or "by week"), or a single date YYYY-MM-DD');
  const start = day(match![1]!, fail);
  const end = day(match![2]!, fail);
  const period = match![3] ?? 'month';
  if (period !== 'month' && period !== 'week') fail(`unknown period ${quote(period)}: expected "by month" or "by week"`);
  if (end < start) fail('the end date is before the start date');
  if (period === 'month' && Number(isoDateOfDay(start).slice(8)) > 28) {
    fail('a monthly range must start on a day from 1 to 28, which every month has');
  }
  const dates: string[] = [];
  for (let i = 0; ; i++) {
    const next = period === 'week' ? start + 7 * i : addMonths(start, i);
    if (next > end) break;
    if (dates.length === MAX_INDEX_DATES) fail(`more than ${MAX_INDEX_DATES} index dates; check the years`);
    dates.push(isoDateOfDay(next));
  }
  return dates;
}

function day(text: string, fail: (why: string) => never): number {
  const parsed = dayOfIsoDate(text);
  if (parsed === null) {
    fail(ISO_DATE.test(text) ? `${quote(text)} is not a real date` : `${quote(text)} is not a date in the form YYYY-MM-DD`);
  }
  return parsed!;
}
