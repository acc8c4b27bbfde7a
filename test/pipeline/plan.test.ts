import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { findCycle, planActions, rerunReason } from '../../src/pipeline/plan.js';
import type { ActionSpec } from '../../src/pipeline/project.js';
import { checkFile } from '../../src/release/check/check-file.js';
import { tempDir } from '../helpers.js';

function action(name: string, needs: string[] = []): ActionSpec {
  return { name, run: `node ${name}.js`, command: ['node', `${name}.js`], needs, outputs: [] };
}

describe('planActions(actions, requested)', () => {
  const actions = [action('describe', ['measures', 'join']), action('generate'), action('ethnicity'), action('join', ['generate', 'ethnicity']), action('measures', ['join']), action('other')];

  it('takes what the requested actions need, needs first, otherwise in file order', () => {
    expect(planActions(actions, ['describe']).map((p) => [p.action.name, p.requested])).toEqual([
      ['generate', false],
      ['ethnicity', false],
      ['join', false],
      ['measures', false],
      ['describe', true],
    ]);
    expect(planActions(actions, ['join', 'other']).map((p) => p.action.name)).toEqual(['generate', 'ethnicity', 'join', 'other']);
  });

  it('finds a cycle as a path, or none', () => {
    expect(findCycle(actions)).toBeNull();
    expect(findCycle([action('a', ['c']), action('b', ['a']), action('c', ['b'])])).toEqual(['a', 'c', 'b', 'a']);
  });
});

describe('rerunReason(planned, facts)', () => {
  const planned = { action: action('generate'), requested: false };
  const upToDate = { forceDependencies: false, lastSucceededRun: 'node generate.js', outputsPresent: true, needRuns: false };

  it('skips an up-to-date dependency and runs it for each reason the job runner would, and one more', () => {
    expect(rerunReason(planned, upToDate)).toBeNull();
    expect(rerunReason({ ...planned, requested: true }, upToDate)).toBe('requested');
    expect(rerunReason(planned, { ...upToDate, forceDependencies: true })).toBe('--force-run-dependencies');
    expect(rerunReason(planned, { ...upToDate, lastSucceededRun: undefined })).toBe('it has not succeeded before');
    expect(rerunReason(planned, { ...upToDate, lastSucceededRun: 'node generate.js --old' })).toBe('its run line changed');
    expect(rerunReason(planned, { ...upToDate, outputsPresent: false })).toBe('some of its outputs are missing');
    expect(rerunReason(planned, { ...upToDate, needRuns: true })).toBe('an action it needs runs again');
  });
});

describe('checkFile(path) as analyse run uses it on moderately_sensitive outputs', () => {
  it('allows aggregate files of the listed types and refuses others', async () => {
    const dir = tempDir({ 'ok.csv': 'group,n\na,10\n', 'ok.html': '<p>hi</p>', 'run.log': 'x', 'data.rds': 'x', 'noext': 'x', 'bad.csv': 'a,b\n"open\n', 'ids.csv': '\ufeff"patient_id",x\n1,2\n' });
    const problems = async (name: string) => (await checkFile(join(dir, name), name, { rule: 'any' })).problems;
    expect(await problems('ok.csv')).toEqual([]);
    expect(await problems('ok.html')).toEqual([]);
    expect(await problems('run.log')).toEqual([]);
    expect(await problems('data.rds')).toEqual(['".rds" files cannot be released (only .csv .html .json .txt .md .log .png .jpg .jpeg .svg .svgz)']);
    expect(await problems('noext')).toEqual(['a file without an extension cannot be released (only .csv .html .json .txt .md .log .png .jpg .jpeg .svg .svgz)']);
    expect(await problems('bad.csv')).toEqual([expect.stringMatching(/^line 2: not a CSV file that can be checked: /)]);
    expect(await problems('ids.csv')).toEqual(['line 1, column "patient_id": a patient_id column holds patient-level data']);
  });
});
