import { describe, expect, it } from 'vitest';
import { discloseCounts, midpoint6Count, roundCount, suppressSmallNumbers } from '../../src/release/rules.js';

describe('roundCount ("round")', () => {
  it('makes counts of 7 or less 0', () => {
    expect([0, 1, 2, 5, 6, 7].map(roundCount)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('rounds counts above 7 to the nearest multiple of 5', () => {
    expect([8, 9, 10, 11, 12, 13, 14, 15, 17, 18, 22, 23].map(roundCount)).toEqual([10, 10, 10, 10, 10, 15, 15, 15, 15, 20, 20, 25]);
  });

  it('never meets a tie: whole numbers are never halfway between multiples of 5 (12 → 10, 13 → 15)', () => {
    for (let n = 8; n < 1000; n++) {
      const rounded = roundCount(n);
      expect(rounded % 5).toBe(0);
      expect(Math.abs(rounded - n)).toBeLessThanOrEqual(2);
    }
  });

  it('keeps large counts exact', () => {
    expect(roundCount(9_007_199_254_740_990)).toBe(9_007_199_254_740_990);
    expect(roundCount(9_007_199_254_740_988)).toBe(9_007_199_254_740_990);
    expect(roundCount(1_000_000_002)).toBe(1_000_000_000);
  });
});

describe('midpoint6Count ("midpoint6")', () => {
  it('keeps 0, and turns any other count x into 6·⌈x/6⌉ − 3', () => {
    const table: Array<[number, number]> = [[0, 0], [1, 3], [2, 3], [5, 3], [6, 3], [7, 9], [11, 9], [12, 9], [13, 15], [18, 15], [19, 21], [100, 99], [102, 99], [103, 105]];
    expect(table.map(([count]) => [count, midpoint6Count(count)])).toEqual(table);
  });

  it('always gives 3 more than a multiple of 6, within 3 of the count', () => {
    for (let n = 1; n < 1000; n++) {
      const released = midpoint6Count(n);
      expect(released % 6).toBe(3);
      expect(Math.abs(released - n)).toBeLessThanOrEqual(3);
    }
  });

  it('keeps large counts exact', () => {
    expect(midpoint6Count(9_007_199_254_740_990)).toBe(9_007_199_254_740_987);
  });
});

describe('suppressSmallNumbers ("suppress", as cohort-extractor)', () => {
  it('leaves a column without counts from 1 to 5 alone', () => {
    expect(suppressSmallNumbers([0, 6, 100, 0])).toEqual([0, 6, 100, 0]);
  });

  it('blanks counts from 1 to 5 and, when they add up to 5 or less, the next smallest count', () => {
    expect(suppressSmallNumbers([3, 10, 7, 20])).toEqual([null, 10, null, 20]);
  });

  it('blanks every count tied at the next smallest value', () => {
    expect(suppressSmallNumbers([2, 8, 8, 9, 8])).toEqual([null, null, null, 9, null]);
  });

  it('blanks nothing more when the small counts add up to more than 5', () => {
    expect(suppressSmallNumbers([3, 3, 10, 7])).toEqual([null, null, 10, 7]);
    expect(suppressSmallNumbers([5, 1, 6])).toEqual([null, null, 6]);
  });

  it('blanks the next smallest when the small counts add up to exactly 5', () => {
    expect(suppressSmallNumbers([2, 3, 6, 7])).toEqual([null, null, null, 7]);
    expect(suppressSmallNumbers([5, 6])).toEqual([null, null]);
  });

  it('never blanks zeros, and zeros do not count as the next smallest value', () => {
    expect(suppressSmallNumbers([0, 1, 0, 6, 9])).toEqual([0, null, 0, null, 9]);
    expect(suppressSmallNumbers([0, 0, 0])).toEqual([0, 0, 0]);
  });

  it('blanks a column of only small counts, and nothing else when there is no larger count', () => {
    expect(suppressSmallNumbers([1, 2, 0])).toEqual([null, null, 0]);
    expect(suppressSmallNumbers([5, 5, 5])).toEqual([null, null, null]);
  });

  it('treats 5 as small and 6 as the smallest count above the threshold', () => {
    expect(suppressSmallNumbers([5, 6, 6, 100])).toEqual([null, null, null, 100]);
  });

  it('handles an empty column', () => {
    expect(suppressSmallNumbers([])).toEqual([]);
  });
});

describe('discloseCounts', () => {
  it('"suppress" treats the numerator and the denominator columns separately', () => {
    expect(discloseCounts('suppress', [1, 10, 30], [20, 40, 100])).toEqual({ numerators: [null, null, 30], denominators: [20, 40, 100] });
  });

  it('"round" rounds both columns', () => {
    expect(discloseCounts('round', [7, 8, 13], [12, 100, 1002])).toEqual({ numerators: [0, 10, 15], denominators: [10, 100, 1000] });
  });

  it('"midpoint6" applies to both columns', () => {
    expect(discloseCounts('midpoint6', [0, 1, 6, 7, 12, 13], [0, 1, 6, 7, 12, 13])).toEqual({ numerators: [0, 3, 3, 9, 9, 15], denominators: [0, 3, 3, 9, 9, 15] });
  });

  it('"none" keeps raw counts', () => {
    expect(discloseCounts('none', [1, 2], [3, 4])).toEqual({ numerators: [1, 2], denominators: [3, 4] });
  });
});
