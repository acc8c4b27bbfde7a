import { describe, expect, it } from 'vitest';
import { fitsPattern, meaningOfZero, patternsOf } from '../../src/release/patterns.js';
import { CountCells, MAX_CELLS_REPORTED } from '../../src/release/count-cells.js';
import { discloseCounts } from '../../src/release/rules.js';

describe('fitsPattern(pattern, cell)', () => {
  it('recognises each rule\'s released counts, and nothing else', () => {
    const cells = ['', '0', '1', '3', '5', '6', '7', '9', '10', '15', '21', '25', '30', '33', '1235', '1236', '12.0', '-5', ' 10', 'x'];
    const fits = Object.fromEntries(cells.map((cell) => [cell, patternsOf(cell)]));
    expect(fits).toEqual({
      '': ['suppress'],
      '0': ['round', 'midpoint6', 'suppress'],
      '1': [],
      '3': ['midpoint6'],
      '5': [],
      '6': ['suppress'],
      '7': ['suppress'],
      '9': ['midpoint6', 'suppress'],
      '10': ['round', 'suppress'],
      '15': ['round', 'midpoint6', 'suppress'],
      '21': ['midpoint6', 'suppress'],
      '25': ['round', 'suppress'],
      '30': ['round', 'suppress'],
      '33': ['midpoint6', 'suppress'],
      '1235': ['round', 'suppress'],
      '1236': ['suppress'],
      '12.0': [],
      '-5': [],
      ' 10': [],
      x: [],
    });
  });

  it('reads counts beyond 2^53 exactly', () => {
    expect(fitsPattern('round', '90071992547409915')).toBe(true);
    expect(fitsPattern('round', '90071992547409916')).toBe(false);
    expect(fitsPattern('midpoint6', '90071992547409927')).toBe(true);
  });

  it('fits whatever the rules themselves release', () => {
    const counts = Array.from({ length: 200 }, (_, i) => i);
    for (const rule of ['round', 'midpoint6', 'suppress'] as const) {
      const { numerators } = discloseCounts(rule, counts, counts);
      for (const released of numerators) expect(fitsPattern(rule, released === null ? '' : String(released)), `${rule} ${released}`).toBe(true);
    }
  });

  it('says what a 0 stands for: 0 to 7 under "round", a true 0 otherwise', () => {
    expect([meaningOfZero('round'), meaningOfZero('midpoint6'), meaningOfZero('suppress'), meaningOfZero(null)]).toEqual(['0 to 7', null, null, null]);
  });
});

describe('CountCells: the counts of one file against the patterns', () => {
  const check = (rule: 'round' | 'midpoint6' | 'any', cells: string[], skipEmpty = false) => {
    const counts = new CountCells({ rule, skipEmpty });
    cells.forEach((cell, i) => counts.add(cell, i + 2, 'n'));
    return { pattern: counts.pattern(), problems: counts.problems().map((p) => `line ${p.line}: ${p.reason}`) };
  };

  it('finds the one pattern every count fits, preferring "round", then "midpoint6", then "suppress"', () => {
    expect(check('any', ['0', '10', '15'])).toEqual({ pattern: 'round', problems: [] });
    expect(check('any', ['0', '3', '9'])).toEqual({ pattern: 'midpoint6', problems: [] });
    expect(check('any', ['', '0', '6', '7', '1234'])).toEqual({ pattern: 'suppress', problems: [] });
    expect(check('any', [])).toEqual({ pattern: 'round', problems: [] });
  });

  it('names the cells that fit no pattern at all', () => {
    expect(check('any', ['10', '1', '20', '-3'])).toEqual({
      pattern: null,
      problems: [
        'line 3: "1" is not a released count: it fits none of the patterns "round" (0, or a multiple of 5 above 7), "midpoint6" (0, or 3 more than a multiple of 6), "suppress" (empty, 0, or above 5)',
        'line 5: "-3" is not a released count: it fits none of the patterns "round" (0, or a multiple of 5 above 7), "midpoint6" (0, or 3 more than a multiple of 6), "suppress" (empty, 0, or above 5)',
      ],
    });
  });

  it('names the odd ones out when every count fits a pattern but no one pattern fits all', () => {
    expect(check('any', ['10', '20', '3', '25', '30'])).toEqual({
      pattern: null,
      problems: ['line 4: "3" breaks "round" (0, or a multiple of 5 above 7), which the file\'s other counts fit; every count of a file must fit one released pattern'],
    });
  });

  it('with a rule given, names every count that breaks it; empty cells are skipped when asked', () => {
    expect(check('midpoint6', ['3', '10', '', '9'], true)).toEqual({
      pattern: null,
      problems: ['line 3: "10" is not a count released under "midpoint6" (0, or 3 more than a multiple of 6)'],
    });
    expect(check('round', ['', '10'], true)).toEqual({ pattern: 'round', problems: [] });
    expect(check('round', ['', '10'], false).pattern).toBe(null);
  });

  it(`reports at most ${MAX_CELLS_REPORTED} cells per column, then how many more`, () => {
    const { problems } = check('round', Array.from({ length: 25 }, () => '1'));
    expect(problems).toHaveLength(MAX_CELLS_REPORTED + 1);
    expect(problems[MAX_CELLS_REPORTED]).toBe(`line ${MAX_CELLS_REPORTED + 1}: and 5 more counts like these after this line`);
  });
});
