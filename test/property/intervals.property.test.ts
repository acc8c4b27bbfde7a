// Properties of the 95% intervals and of direct standardisation: every interval contains its
// estimate, and narrows as the same proportions are seen in more data.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { byarInterval, wilsonInterval, type Interval } from '../../src/release/intervals.js';
import { standardisedRate } from '../../src/release/standardised-rate.js';

/** x of n, 0 ≤ x ≤ n, n ≥ 1. */
const proportion = fc.integer({ min: 1, max: 1_000_000 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n)));
/** Events x (any count) over a denominator n ≥ 1. */
const rate = fc.tuple(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 1_000_000 }));
/** How many times more data. */
const more = fc.integer({ min: 2, max: 1000 });

const width = ({ lower, upper }: Interval) => upper - lower;
/** Rounding in the last digits of a double; far below any interval's width. */
const SLACK = 1e-12;

describe('every interval contains its estimate', () => {
  it('Wilson: lower ≤ x/n ≤ upper, within 0 to 1', () => {
    fc.assert(
      fc.property(proportion, ([x, n]) => {
        const { lower, upper } = wilsonInterval(x, n);
        expect(lower).toBeGreaterThanOrEqual(0);
        expect(upper).toBeLessThanOrEqual(1);
        expect(lower).toBeLessThanOrEqual(x / n + SLACK);
        expect(upper).toBeGreaterThanOrEqual(x / n - SLACK);
      }),
      { numRuns: 2000 },
    );
  });

  it('Byar: lower ≤ x/n ≤ upper, lower ≥ 0', () => {
    fc.assert(
      fc.property(rate, ([x, n]) => {
        const { lower, upper } = byarInterval(x, n);
        expect(lower).toBeGreaterThanOrEqual(0);
        expect(lower).toBeLessThanOrEqual(x / n);
        expect(upper).toBeGreaterThan(x / n);
      }),
      { numRuns: 2000 },
    );
  });

  const stratum = fc.record({ numerator: fc.integer({ min: 0, max: 5000 }), denominator: fc.integer({ min: 0, max: 20000 }), weight: fc.integer({ min: 1, max: 10000 }) });

  it('a directly standardised rate: lower ≤ rate ≤ upper, whenever there is one', () => {
    fc.assert(
      fc.property(fc.array(stratum, { minLength: 1, maxLength: 20 }), (strata) => {
        const rate = standardisedRate(strata);
        if (rate === null) return;
        expect(rate.lower).toBeLessThanOrEqual(rate.value);
        expect(rate.upper).toBeGreaterThan(rate.value);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('every interval narrows with more data', () => {
  it('Wilson: k·x of k·n gives a narrower interval than x of n', () => {
    fc.assert(
      fc.property(proportion, more, ([x, n], k) => {
        expect(width(wilsonInterval(k * x, k * n))).toBeLessThan(width(wilsonInterval(x, n)));
      }),
      { numRuns: 2000 },
    );
  });

  it("Byar: k·x events over k·n give a narrower interval than x over n", () => {
    fc.assert(
      fc.property(rate, more, ([x, n], k) => {
        expect(width(byarInterval(k * x, k * n))).toBeLessThan(width(byarInterval(x, n)));
      }),
      { numRuns: 2000 },
    );
  });

  it('a directly standardised rate: every stratum k times larger keeps the rate and narrows its interval', () => {
    const populated = fc.record({ numerator: fc.integer({ min: 1, max: 500 }), denominator: fc.integer({ min: 500, max: 5000 }), weight: fc.integer({ min: 1, max: 10000 }) });
    fc.assert(
      fc.property(fc.array(populated, { minLength: 1, maxLength: 10 }), more, (strata, k) => {
        const rate = standardisedRate(strata);
        const larger = standardisedRate(strata.map((s) => ({ ...s, numerator: k * s.numerator, denominator: k * s.denominator })));
        // Too few events for a rate (MIN_STANDARDISED_EVENTS) can become enough k times over, never the reverse.
        if (rate === null) return;
        expect(larger).not.toBeNull();
        expect(larger!.value).toBeCloseTo(rate.value, 12);
        expect(width(larger!)).toBeLessThan(width(rate));
      }),
      { numRuns: 1000 },
    );
  });
});
