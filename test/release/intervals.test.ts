import { describe, expect, it } from 'vitest';
import { normalQuantile } from '../../src/release/normal-quantile.js';
import { Z_95, byarInterval, byarLimits, valueInterval, wilsonInterval } from '../../src/release/intervals.js';

describe('normalQuantile(p) (AS 241)', () => {
  it('gives z = 1.959963984540054 for p = 0.975, to the last digit or two of a double', () => {
    expect(Math.abs(Z_95 - 1.959963984540054)).toBeLessThan(1e-15);
    expect(Z_95).toBe(normalQuantile(0.975));
  });

  it('matches published percentage points in the centre and both tails, and is odd about 0.5', () => {
    // Values of Python's statistics.NormalDist().inv_cdf, itself AS 241, and of R's qnorm.
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.9)).toBeCloseTo(1.2815515655446004, 14);
    expect(normalQuantile(0.999)).toBeCloseTo(3.090232306167813, 14);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 13);
    expect(normalQuantile(0.3)).toBeCloseTo(-0.5244005127080407, 14);
    expect(normalQuantile(0.025)).toBeCloseTo(-normalQuantile(0.975), 14);
  });

  it('refuses a share outside 0 to 1', () => {
    for (const p of [0, 1, -0.1, Number.NaN]) expect(() => normalQuantile(p)).toThrow(RangeError);
  });
});

describe('wilsonInterval(x, n)', () => {
  it('gives 0.0552 to 0.1744 for 10 / 100 (Wilson 1927)', () => {
    const { lower, upper } = wilsonInterval(10, 100);
    expect(lower).toBeCloseTo(0.0552291370606751, 14);
    expect(upper).toBeCloseTo(0.17436566150491345, 14);
    expect(lower.toFixed(4)).toBe('0.0552');
    expect(upper.toFixed(4)).toBe('0.1744');
  });

  it('is exactly 0 at its lower end for x = 0 and exactly 1 at its upper end for x = n', () => {
    expect(wilsonInterval(0, 20)).toEqual({ lower: 0, upper: expect.closeTo(0.16112515805281938, 14) });
    expect(wilsonInterval(20, 20)).toEqual({ lower: expect.closeTo(0.8388748419471806, 14), upper: 1 });
  });

  it('is symmetric about one half: x / n and (n - x) / n mirror each other', () => {
    const a = wilsonInterval(3, 17);
    const b = wilsonInterval(14, 17);
    expect(a.lower).toBeCloseTo(1 - b.upper, 14);
    expect(a.upper).toBeCloseTo(1 - b.lower, 14);
  });
});

describe('byarLimits(observed) and byarInterval(x, n)', () => {
  it("gives 12.21 to 30.89 for 20 events (Byar's approximation, Breslow & Day 1987)", () => {
    const { lower, upper } = byarLimits(20);
    expect(lower.toFixed(2)).toBe('12.21');
    expect(upper.toFixed(2)).toBe('30.89');
    expect(lower).toBeCloseTo(12.211428834875935, 12);
    expect(upper).toBeCloseTo(30.88988036919706, 12);
  });

  it('gives a lower limit of 0 for no events, and an upper limit of about 3.67', () => {
    expect(byarLimits(0)).toEqual({ lower: 0, upper: expect.closeTo(3.6680118321737507, 12) });
  });

  it('divides the limits of the events by the denominator', () => {
    expect(byarInterval(20, 1000)).toEqual({ lower: expect.closeTo(0.012211428834875936, 15), upper: expect.closeTo(0.030889880369197, 15) });
  });
});

describe('valueInterval(method, numerator, denominator)', () => {
  it('works out Wilson\'s or Byar\'s interval from released counts', () => {
    expect(valueInterval('wilson', 10, 100)).toEqual(wilsonInterval(10, 100));
    expect(valueInterval('byar', 20, 1000)).toEqual(byarInterval(20, 1000));
  });

  it('is null where the value is undefined: a count blanked or a denominator of 0', () => {
    expect(valueInterval('wilson', null, 100)).toBeNull();
    expect(valueInterval('byar', 5, null)).toBeNull();
    expect(valueInterval('byar', 0, 0)).toBeNull();
  });
});
