import { describe, expect, it } from 'vitest';
import { dominantShare, maxDominantShare, meanAndSdReleasable, type SpreadSummary } from '../../src/release/dominance.js';
import { DEFAULT_MIN_GROUP_SIZE, defaultMinGroupSize, groupIsShared } from '../../src/release/group-size.js';

/** The summary the describe accumulator keeps, computed plainly. */
function spread(values: readonly number[]): SpreadSummary {
  const count = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / count;
  const m2 = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  return { count, mean, m2, min: Math.min(...values), max: Math.max(...values) };
}

/** Deterministic, roughly normal values. */
function normal(count: number, mean: number, sd: number, seed = 1): number[] {
  let state = seed;
  const uniform = () => ((state = (state * 48271) % 2147483647) / 2147483647);
  return Array.from({ length: count }, () => mean + sd * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()));
}

describe('the dominance rule for mean and sd', () => {
  it('lets no value hold more than min(1/8, 2/√n) of the sum of squared deviations', () => {
    expect([100, 256, 400, 10_000, 1_000_000].map(maxDominantShare)).toEqual([0.125, 0.125, 0.1, 0.02, 0.002]);
  });

  it('holds back a mean and sd that one outlier dominates: 999 bmi values near 25 and one of 1,000,000', () => {
    const values = [...normal(999, 25, 5), 1_000_000];
    expect(dominantShare(spread(values))).toBeGreaterThan(0.99);
    expect(meanAndSdReleasable(spread(values))).toBe(false);
  });

  it('holds back a few equal outliers too, but not a value 8 or more patients share', () => {
    const base = normal(992, 25, 5);
    expect(meanAndSdReleasable(spread([...base, ...Array(7).fill(400)]))).toBe(false);
    expect(meanAndSdReleasable(spread([...normal(200, 25, 5), ...Array(12).fill(60)]))).toBe(true);
  });

  it('releases ordinary columns: ages over 65, normal values, flags and constants', () => {
    const ages = Array.from({ length: 1000 }, (_, i) => 65 + ((i * 37) % 41));
    expect(meanAndSdReleasable(spread(ages))).toBe(true);
    expect(dominantShare(spread(ages))).toBeLessThan(0.01);
    for (const n of [100, 1000, 100_000]) expect(meanAndSdReleasable(spread(normal(n, 27, 6, n))), `n = ${n}`).toBe(true);
    expect(meanAndSdReleasable(spread(Array(150).fill(3)))).toBe(true);
    expect(meanAndSdReleasable(spread([...Array(900).fill(0), ...Array(100).fill(1)]))).toBe(true);
  });

  it('holds back what is not finite', () => {
    expect(meanAndSdReleasable({ count: 100, mean: Infinity, m2: 0, min: 0, max: Infinity })).toBe(false);
  });
});

describe('the group-size rule', () => {
  it('needs 8 rows on some date by default, and nothing under "none"', () => {
    expect(DEFAULT_MIN_GROUP_SIZE).toBe(8);
    expect(['round', 'midpoint6', 'suppress', 'none'].map((rule) => defaultMinGroupSize(rule as 'round'))).toEqual([8, 8, 8, 0]);
    expect([7, 8].map((rows) => groupIsShared(rows, 8))).toEqual([false, true]);
    expect(groupIsShared(0, 0)).toBe(true);
  });
});
