import { describe, expect, it } from 'vitest';
import { parseIndexDateRange } from '../../src/dummy/date-range.js';
import { UserError } from '../../src/errors.js';

function rangeError(text: string): string {
  try {
    parseIndexDateRange(text);
  } catch (error) {
    if (error instanceof UserError) return error.message;
    throw error;
  }
  throw new Error(`expected ${text} to be rejected`);
}

describe('parseIndexDateRange', () => {
  it('"<start> to <end> by month" gives every month from start to end inclusive', () => {
    const dates = parseIndexDateRange('2019-03-01 to 2021-03-01 by month');
    expect(dates).toHaveLength(25);
    expect(dates.slice(0, 3)).toEqual(['2019-03-01', '2019-04-01', '2019-05-01']);
    expect(dates.slice(-2)).toEqual(['2021-02-01', '2021-03-01']);
  });

  it('keeps the day of the month without drifting, and stops before an end that is not on a step', () => {
    expect(parseIndexDateRange('2020-01-28 to 2020-04-27 by month')).toEqual(['2020-01-28', '2020-02-28', '2020-03-28']);
  });

  it('"by week" steps seven days, across a year end', () => {
    expect(parseIndexDateRange('2020-12-21 to 2021-01-11 by week')).toEqual(['2020-12-21', '2020-12-28', '2021-01-04', '2021-01-11']);
  });

  it('without "by" steps by month, as cohort-extractor does', () => {
    expect(parseIndexDateRange('2020-01-01 to 2020-03-01')).toEqual(['2020-01-01', '2020-02-01', '2020-03-01']);
  });

  it('a single date is a range of one; a range whose start is its end too', () => {
    expect(parseIndexDateRange('2020-02-29')).toEqual(['2020-02-29']);
    expect(parseIndexDateRange(' 2020-05-01 to 2020-05-01 by week ')).toEqual(['2020-05-01']);
  });

  it('rejects bad ranges, quoting the option and what it got', () => {
    expect(rangeError('2021-03-01 to 2019-03-01 by month')).toBe('--index-date-range "2021-03-01 to 2019-03-01 by month": the end date is before the start date');
    expect(rangeError('2019-02-30 to 2019-05-01')).toContain('"2019-02-30" is not a real date');
    expect(rangeError('2019-3-1 to 2019-05-01')).toContain('"2019-3-1" is not a date in the form YYYY-MM-DD');
    expect(rangeError('2019-03-01 to 2019-05-01 by day')).toContain('unknown period "day": expected "by month" or "by week"');
    expect(rangeError('2019-01-31 to 2019-05-01 by month')).toContain('a monthly range must start on a day from 1 to 28');
    expect(rangeError('2019-03-01 until 2019-05-01')).toContain('expected "YYYY-MM-DD to YYYY-MM-DD by month"');
    expect(rangeError('march 2019')).toContain('expected "YYYY-MM-DD to YYYY-MM-DD by month"');
    expect(rangeError('1900-01-01 to 2100-01-01 by week')).toContain('more than 1000 index dates');
  });
});
