// The time axis of a chart: ticks on the series' own dates, so each date's label appears once
// (left to itself, Vega picks ticks by the calendar, and three months read "Jan 2021" five times).
// The first date is always labelled; a long series is labelled every 2nd, 3rd, 6th... date so the
// slanted labels never crowd (25 months: every 3rd month, from the first).

/** Slanted labels that fit the chart's width: "Mar 2019" and "06 Jan 2020". */
const MAX_MONTH_LABELS = 12;
const MAX_DAY_LABELS = 8;
/** Steps between labelled dates, in dates; a step of 3 or 12 keeps quarters and years together. */
const STEPS = [1, 2, 3, 4, 6, 12, 24, 36, 48, 60, 120];

/** A YYYY-MM-DD date as a Vega-Lite date-time (UTC, like the data). */
export function dateTime(date: string): { year: number; month: number; date: number; utc: true } {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return { year, month, date: day, utc: true };
}

/** The dates labelled on an axis of `dates` (distinct, ascending). */
export function labelledDates(dates: readonly string[], monthly: boolean): string[] {
  const most = monthly ? MAX_MONTH_LABELS : MAX_DAY_LABELS;
  const step = STEPS.find((s) => Math.ceil(dates.length / s) <= most) ?? Math.ceil(dates.length / most);
  return dates.filter((_, i) => i % step === 0);
}

export function timeAxis(dates: readonly string[], monthly: boolean) {
  return {
    values: labelledDates(dates, monthly).map(dateTime),
    format: monthly ? '%b %Y' : '%d %b %Y',
    labelAngle: -45,
    // The values are spaced to fit; hiding labels would hide dates silently.
    labelOverlap: false,
  };
}
