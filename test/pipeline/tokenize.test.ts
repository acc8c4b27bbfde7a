import { describe, expect, it } from 'vitest';
import { TokenizeError, tokenize } from '../../src/pipeline/tokenize.js';

describe('tokenize(run line)', () => {
  it('splits on spaces and keeps quoted text together, without the quotes', () => {
    expect(tokenize('analyse generate-dummy --index-date-range "2019-03-01 to 2021-03-01 by month"  --output-dir=output/inputs')).toEqual([
      'analyse',
      'generate-dummy',
      '--index-date-range',
      '2019-03-01 to 2021-03-01 by month',
      '--output-dir=output/inputs',
    ]);
  });

  it("takes single quotes literally and honours \\\" \\\\ inside double quotes and a backslash outside", () => {
    expect(tokenize(`node x.js 'a "b" \\c' "say \\"hi\\" \\\\ \\n" two\\ words ""`)).toEqual(['node', 'x.js', 'a "b" \\c', 'say "hi" \\ \\n', 'two words', '']);
    expect(tokenize('a"b c"d')).toEqual(['ab cd']);
  });

  it('has no shell: globs, variables and pipes are plain text', () => {
    expect(tokenize('analyse measures --cohort output/*.csv $HOME | tee x')).toEqual(['analyse', 'measures', '--cohort', 'output/*.csv', '$HOME', '|', 'tee', 'x']);
  });

  it('rejects an unterminated quote, naming where it starts', () => {
    expect(() => tokenize('analyse x "oops')).toThrow(new TokenizeError('unterminated " quote starting at character 11'));
    expect(() => tokenize("analyse 'oops")).toThrow("unterminated ' quote starting at character 9");
    expect(() => tokenize('analyse x\\')).toThrow('a backslash at the end of the line escapes nothing');
  });
});
