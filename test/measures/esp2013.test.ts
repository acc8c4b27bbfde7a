import { describe, expect, it } from 'vitest';
import { ESP2013, ESP2013_WEIGHTS, esp2013Band } from '../../src/measures/esp2013.js';

describe('the 2013 European Standard Population (Eurostat 2013)', () => {
  it('has 20 bands of 5 years, 0-4 to 90-94, then 95+, with weights adding up to 100,000', () => {
    expect(ESP2013.map(([band]) => band)).toEqual([
      ...Array.from({ length: 19 }, (_, i) => `${5 * i}-${5 * i + 4}`),
      '95+',
    ]);
    expect(ESP2013.reduce((sum, [, weight]) => sum + weight, 0)).toBe(100_000);
  });

  it('gives the published weights of the bands over 65 that the study uses', () => {
    expect(['65-69', '70-74', '75-79', '80-84', '85-89', '90-94', '95+'].map((band) => ESP2013_WEIGHTS.get(band))).toEqual([5500, 5000, 4000, 2500, 1500, 800, 200]);
  });

  it('esp2013Band(age) puts an age in whole years into its band, and every age from 95 into 95+', () => {
    expect([0, 4, 5, 64, 65, 69, 70, 94, 95, 107, 130].map(esp2013Band)).toEqual(['0-4', '0-4', '5-9', '60-64', '65-69', '65-69', '70-74', '90-94', '95+', '95+', '95+']);
  });
});
