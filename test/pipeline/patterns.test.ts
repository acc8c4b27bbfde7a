import { describe, expect, it } from 'vitest';
import { matchPattern, patternMatches, patternProblem } from '../../src/pipeline/patterns.js';
import { tempDir } from '../helpers.js';

describe('patternProblem(pattern, level)', () => {
  it('accepts relative patterns with * and a file extension', () => {
    expect(patternProblem('output/inputs/input_*.csv', 'highly_sensitive')).toBeNull();
    expect(patternProblem('output/*/measure_*.csv', 'moderately_sensitive')).toBeNull();
    expect(patternProblem('output/model.rds', 'highly_sensitive')).toBeNull();
  });

  it('rejects what OpenSAFELY rejects', () => {
    expect(patternProblem('output/**/x.csv', 'highly_sensitive')).toBe('contains "**" (only the * wildcard is supported)');
    expect(patternProblem('output/x?.csv', 'highly_sensitive')).toBe('contains "?" (only the * wildcard is supported)');
    expect(patternProblem('output/[ab].csv', 'highly_sensitive')).toBe('contains "[" (only the * wildcard is supported)');
    expect(patternProblem('output\\x.csv', 'highly_sensitive')).toBe('contains a backslash (use forward slashes only)');
    expect(patternProblem('/tmp/x.csv', 'highly_sensitive')).toContain('is an absolute path');
    expect(patternProblem('output/../x.csv', 'highly_sensitive')).toContain('is not in standard form');
    expect(patternProblem('output//x.csv', 'highly_sensitive')).toContain('is not in standard form');
    expect(patternProblem('metadata/x.csv', 'highly_sensitive')).toBe('is inside metadata/, which holds the logs');
    expect(patternProblem('output/*', 'highly_sensitive')).toBe('has no file type extension at the end (such as .csv)');
    expect(patternProblem('output/x.*', 'highly_sensitive')).toBe('has no file type extension at the end (such as .csv)');
    expect(patternProblem('output/model.rds', 'moderately_sensitive')).toContain('is a .rds file, which cannot be released from moderately_sensitive outputs');
  });
});

describe('matchPattern(root, pattern)', () => {
  it('matches files (not folders) level by level, * never crossing a slash nor matching a leading dot', async () => {
    const dir = tempDir({
      'output/a/input_1.csv': '',
      'output/b/input_2.csv': '',
      'output/input_3.csv': '',
      'output/.input_4.csv.123.analyse-tmp': '',
      'output/.hidden.csv': '',
      'output/dir.csv/inside.txt': '',
      'output/input(5).csv': '',
    });
    expect(await matchPattern(dir, 'output/*/input_*.csv')).toEqual(['output/a/input_1.csv', 'output/b/input_2.csv']);
    expect(await matchPattern(dir, 'output/*.csv')).toEqual(['output/input(5).csv', 'output/input_3.csv']);
    expect(await matchPattern(dir, 'output/input(5).csv')).toEqual(['output/input(5).csv']);
    expect(await matchPattern(dir, 'output/.hidden.csv')).toEqual(['output/.hidden.csv']);
    expect(await matchPattern(dir, 'missing/*.csv')).toEqual([]);
    expect(patternMatches('output/*/input_*.csv', 'output/a/input_1.csv')).toBe(true);
    expect(patternMatches('output/*.csv', 'output/a/input_1.csv')).toBe(false);
  });
});
