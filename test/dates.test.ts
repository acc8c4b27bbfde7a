import { describe, expect, it } from 'vitest';
import { dayOfIsoDate, isIsoDate, isoDateOfDay } from '../src/dates.js';

describe('dayOfIsoDate(text)', () => {
  it('counts days since 1970-01-01 for a date that exists', () => {
    expect(dayOfIsoDate('1970-01-01')).toBe(0);
    expect(dayOfIsoDate('2020-02-29')).toBe(18321);
    expect(isoDateOfDay(18321)).toBe('2020-02-29');
  });

  it('is null for a date that does not exist or is not written YYYY-MM-DD', () => {
    for (const text of ['2019-02-29', '2020-02-30', '2020-13-01', '2020-00-10', '2020-1-01', '20200101', ' 2020-01-01', '2020-01-01T00:00']) {
      expect([text, dayOfIsoDate(text), isIsoDate(text)]).toEqual([text, null, false]);
    }
  });
});
