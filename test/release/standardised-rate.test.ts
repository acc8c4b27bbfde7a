import { describe, expect, it } from 'vitest';
import { byarLimits } from '../../src/release/intervals.js';
import { MIN_STANDARDISED_EVENTS, standardisedRate } from '../../src/release/standardised-rate.js';

describe('standardisedRate(strata): direct standardisation with Dobson\'s interval', () => {
  it('works out a small example by hand', () => {
    // Two strata: 10 events in 100 (weight 3) and 20 in 400 (weight 1). A third, with a released
    // denominator of 0, is left out, weight and all.
    //   rate = (3 × 10/100 + 1 × 20/400) / (3 + 1) = (0.3 + 0.05) / 4 = 0.0875
    //   var  = (3² × 10/100² + 1² × 20/400²) / 4² = (0.009 + 0.000125) / 16 = 0.0005703125
    //   O = 30 events; Byar's limits for 30 are 20.2369… and 42.8284…
    //   lower = 0.0875 + √(var / 30) × (20.2369… − 30) = 0.044932…
    //   upper = 0.0875 + √(var / 30) × (42.8284… − 30) = 0.143433…
    const rate = standardisedRate([
      { numerator: 10, denominator: 100, weight: 3 },
      { numerator: 20, denominator: 400, weight: 1 },
      { numerator: 0, denominator: 0, weight: 7 },
    ]);
    expect(rate!.value).toBeCloseTo(0.0875, 15);
    const { lower, upper } = byarLimits(30);
    expect(lower).toBeCloseTo(20.2369, 4);
    expect(upper).toBeCloseTo(42.8284, 4);
    const spread = Math.sqrt(0.0005703125 / 30);
    expect(rate!.lower).toBeCloseTo(0.0875 + spread * (lower - 30), 14);
    expect(rate!.upper).toBeCloseTo(0.0875 + spread * (upper - 30), 14);
    expect(rate!.lower).toBeCloseTo(0.0449321401025158, 12);
    expect(rate!.upper).toBeCloseTo(0.1434329030881276, 12);
  });

  it('equals the crude rate when the strata share one rate, whatever the weights', () => {
    const rate = standardisedRate([
      { numerator: 5, denominator: 50, weight: 5500 },
      { numerator: 30, denominator: 300, weight: 200 },
    ]);
    expect(rate!.value).toBeCloseTo(0.1, 15);
  });

  it('leaves out strata whose released denominator is 0 or blank, but gives nothing when a stratum used has a blanked numerator', () => {
    const used = [{ numerator: 12, denominator: 60, weight: 2 }];
    expect(standardisedRate([...used, { numerator: null, denominator: null, weight: 9 }])).toEqual(standardisedRate(used));
    expect(standardisedRate([...used, { numerator: null, denominator: 40, weight: 9 }])).toBeNull();
  });

  it(`gives nothing with fewer than ${MIN_STANDARDISED_EVENTS} released events in the strata used, or no stratum at all`, () => {
    expect(standardisedRate([{ numerator: 9, denominator: 100, weight: 1 }, { numerator: 0, denominator: 100, weight: 1 }])).toBeNull();
    expect(standardisedRate([{ numerator: 10, denominator: 100, weight: 1 }])).not.toBeNull();
    // Events in a stratum with no released denominator do not count towards the 10.
    expect(standardisedRate([{ numerator: 9, denominator: 100, weight: 1 }, { numerator: 5, denominator: 0, weight: 1 }])).toBeNull();
    expect(standardisedRate([])).toBeNull();
  });
});
