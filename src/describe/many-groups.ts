// A measure with more groups than a chart can show as lines (6,791 MSOAs, say) is charted by its
// largest groups, those with the most patients in the denominator over every date, and the page
// says how many of how many it shows; the measure file itself keeps every group.

import type { ReleasedSeries } from './released-series.js';

/** Lines one chart shows at most: as many as its palette (tableau20) has colours. */
export const MAX_CHART_GROUPS = 20;

export interface ShownGroups {
  /** The series with only the groups shown. */
  series: ReleasedSeries;
  /** Groups the series had (after those with no denominator were left out). */
  groups: number;
}

export function largestGroups(series: ReleasedSeries, most = MAX_CHART_GROUPS): ShownGroups {
  const totals = new Map<string, number>();
  for (const point of series.points) {
    const key = JSON.stringify(point.group);
    const count = Number(point.denominator);
    totals.set(key, (totals.get(key) ?? 0) + (Number.isFinite(count) ? count : 0));
  }
  if (totals.size <= most) return { series, groups: totals.size };
  // Largest first; among equals, the first in the file (a Map keeps that order and sort is stable).
  const shown = new Set([...totals].sort((a, b) => b[1] - a[1]).slice(0, most).map(([key]) => key));
  return { series: { ...series, points: series.points.filter((point) => shown.has(JSON.stringify(point.group))) }, groups: totals.size };
}
