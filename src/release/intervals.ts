// 95% confidence intervals of a measure's value, computed from released counts only (as `value`
// is), so an interval gives away nothing the counts beside it do not: the Wilson score interval
// for a proportion of patients, and Byar's approximation to the Poisson interval for a count of
// events per denominator.

import { normalQuantile } from './normal-quantile.js';

/** z of a two-sided 95% interval: the 97.5th percentile of the standard normal distribution, 1.959963984540054. */
export const Z_95 = normalQuantile(0.975);

/** A confidence interval: lower and upper limits. */
export interface Interval {
  lower: number;
  upper: number;
}

/** How a measure's interval is worked out: a proportion (its numerator a 0/1 flag or `population`) or a rate of events. */
export type IntervalMethod = 'wilson' | 'byar';

/**
 * Wilson's score interval for the proportion x / n (Wilson EB. Probable inference, the law of
 * succession, and statistical inference. J Am Stat Assoc 1927;22:209-212): it stays within 0 to 1,
 * and is 0 at its lower end for x = 0 and 1 at its upper end for x = n, where the arithmetic
 * would leave a rounding crumb.
 */
export function wilsonInterval(x: number, n: number, z = Z_95): Interval {
  const p = x / n;
  const z2 = z * z;
  const scale = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / scale;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / scale;
  return { lower: x === 0 ? 0 : centre - half, upper: x === n ? 1 : centre + half };
}

/**
 * Byar's approximation to the exact Poisson limits of an observed count of events (Breslow NE,
 * Day NE. Statistical Methods in Cancer Research, Volume II: The Design and Analysis of Cohort
 * Studies. IARC Scientific Publications No. 82. Lyon: IARC, 1987, p. 69). For 0 events the lower
 * limit is 0.
 */
export function byarLimits(observed: number, z = Z_95): Interval {
  const lower = observed === 0 ? 0 : observed * (1 - 1 / (9 * observed) - z / (3 * Math.sqrt(observed))) ** 3;
  const next = observed + 1;
  const upper = next * (1 - 1 / (9 * next) + z / (3 * Math.sqrt(next))) ** 3;
  return { lower, upper };
}

/** The interval of a rate x / n of events: Byar's limits for x, divided by n. */
export function byarInterval(x: number, n: number, z = Z_95): Interval {
  const { lower, upper } = byarLimits(x, z);
  return { lower: lower / n, upper: upper / n };
}

/**
 * The interval of value = numerator / denominator by `method`, from released counts; null where
 * the value is undefined (a count blanked, or a denominator of 0).
 */
export function valueInterval(method: IntervalMethod, numerator: number | null, denominator: number | null): Interval | null {
  if (numerator === null || denominator === null || !(denominator > 0)) return null;
  return method === 'wilson' ? wilsonInterval(numerator, denominator) : byarInterval(numerator, denominator);
}
