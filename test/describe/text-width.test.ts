import { describe, expect, it } from 'vitest';
import { estimateTextWidth } from '../../src/describe/text-width.js';

describe('estimateTextWidth(item, text)', () => {
  it('gives narrow letters less room than capitals and wide letters, in proportion to the font size', () => {
    expect(estimateTextWidth({ fontSize: 10 }, 'iiii')).toBeLessThan(estimateTextWidth({ fontSize: 10 }, 'MMMM'));
    expect(estimateTextWidth({ fontSize: 10 }, 'Month')).toBe(Math.ceil((0.95 + 0.64 * 3 + 0.36) * 10));
    expect(estimateTextWidth({ fontSize: 20 }, 'Month')).toBe(Math.ceil((0.95 + 0.64 * 3 + 0.36) * 20));
  });

  it("is narrower than Vega's own estimate without a canvas (0.8 em a character), wider for bold, 11 px by default", () => {
    const title = 'Care homes: Antidepressant (SSRI) prescribing, age-standardised (ESP 2013)';
    expect(estimateTextWidth({ fontSize: 13 }, title)).toBeLessThan(0.8 * title.length * 13);
    expect(estimateTextWidth({ fontSize: 13, fontWeight: 'bold' }, title)).toBeGreaterThan(estimateTextWidth({ fontSize: 13 }, title));
    expect(estimateTextWidth({ fontSize: 13, fontWeight: 700 }, title)).toBe(estimateTextWidth({ fontSize: 13, fontWeight: 'bold' }, title));
    expect(estimateTextWidth({}, 'abc')).toBe(estimateTextWidth({ fontSize: 11 }, 'abc'));
  });

  it('counts no room for nothing, trims the text, and keeps within a limit Vega truncates to', () => {
    expect(estimateTextWidth({ fontSize: 10 }, null)).toBe(0);
    expect(estimateTextWidth({ fontSize: 10 }, '  ab  ')).toBe(estimateTextWidth({ fontSize: 10 }, 'ab'));
    expect(estimateTextWidth({ fontSize: 10, limit: 50 }, 'a very long legend label indeed')).toBe(50);
  });
});
