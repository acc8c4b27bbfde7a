import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadProject, parseProject } from '../../src/pipeline/load-project.js';
import { UserError } from '../../src/errors.js';
import { ROOT } from '../helpers.js';

const GOOD = `version: '3.0'
expectations:
  population_size: 100
actions:
  a:
    run: node a.js
    outputs:
      highly_sensitive:
        cohort: output/a_*.csv
  b:
    run: node b.js "x y"
    needs: [a]
    outputs:
      moderately_sensitive:
        table: output/b.csv
`;

function projectError(text: string): string {
  try {
    parseProject(text, 'project.yaml');
  } catch (error) {
    if (error instanceof UserError) return error.message;
    throw error;
  }
  throw new Error('expected the project to be rejected');
}

describe('parseProject', () => {
  it('reads actions, their words, needs and outputs in file order', () => {
    const project = parseProject(GOOD, join('/study', 'project.yaml'));
    expect(project.dir).toBe('/study');
    expect(project.populationSize).toBe(100);
    expect(project.actions).toEqual([
      { name: 'a', run: 'node a.js', command: ['node', 'a.js'], needs: [], outputs: [{ level: 'highly_sensitive', name: 'cohort', pattern: 'output/a_*.csv' }] },
      { name: 'b', run: 'node b.js "x y"', command: ['node', 'b.js', 'x y'], needs: ['a'], outputs: [{ level: 'moderately_sensitive', name: 'table', pattern: 'output/b.csv' }] },
    ]);
  });

  it("loads the study's own project.yaml", async () => {
    const project = await loadProject(join(ROOT, 'project.yaml'));
    expect(project.populationSize).toBe(10000);
    expect(project.actions.map((a) => a.name)).toEqual([
      'generate_study_population', 'generate_study_population_control', 'generate_study_population_ethnicity', 'join_ethnicity',
      'join_ethnicity_control', 'generate_measures', 'generate_measures_control', 'describe', 'describe_control',
    ]);
    expect(project.actions.every((a) => a.command[0] === 'analyse')).toBe(true);
    const levels = Object.fromEntries(project.actions.map((a) => [a.name, [...new Set(a.outputs.map((o) => o.level))]]));
    expect(levels).toMatchObject({ generate_study_population: ['highly_sensitive'], join_ethnicity: ['highly_sensitive'], generate_measures: ['moderately_sensitive'], describe: ['moderately_sensitive'] });
  });

  it('rejects unknown needs, naming the action and the line', () => {
    expect(projectError(GOOD.replace('needs: [a]', 'needs: [a, generate]'))).toBe('project.yaml, line 12: action "b": needs "generate", which is not an action in this project; nothing was run');
    expect(projectError(GOOD.replace('needs: [a]', 'needs: [a generate]'))).toContain('action "b": needs "a generate": separate action names in "needs" with commas');
  });

  it('rejects a cycle, showing it', () => {
    const cyclic = GOOD.replace("run: node a.js\n", 'run: node a.js\n    needs: [b]\n');
    expect(projectError(cyclic)).toBe('project.yaml, line 7: action "a": its needs form a cycle: a → b → a; nothing was run');
    expect(projectError(GOOD.replace('needs: [a]', 'needs: [b]'))).toContain('action "b": its needs form a cycle: b → b');
  });

  it('rejects an output path declared twice', () => {
    expect(projectError(GOOD.replace('table: output/b.csv', 'table: output/a_*.csv').replace('moderately_sensitive', 'highly_sensitive'))).toBe(
      'project.yaml, line 14: action "b": output path "output/a_*.csv" is declared by action "a" too; every output path must be unique; nothing was run',
    );
    expect(projectError(GOOD.replace('table: output/b.csv', 'table: output/b.csv\n        again: output/b.csv'))).toContain('is declared twice by this action');
  });

  it('rejects patterns with **, ?, [ or a backslash', () => {
    expect(projectError(GOOD.replace('output/a_*.csv', 'output/**/a.csv'))).toBe(
      'project.yaml, line 9: action "a": output pattern "output/**/a.csv" contains "**" (only the * wildcard is supported); nothing was run',
    );
    expect(projectError(GOOD.replace('output/a_*.csv', 'output/a_?.csv'))).toContain('contains "?"');
    expect(projectError(GOOD.replace('output/a_*.csv', 'output/a_[0-9].csv'))).toContain('contains "["');
    expect(projectError(GOOD.replace('output/a_*.csv', '"output\\\\a.csv"'))).toContain('output pattern "output\\\\a.csv" contains a backslash');
  });

  it('rejects a project without expectations.population_size', () => {
    expect(projectError(GOOD.replace('expectations:\n  population_size: 100\n', ''))).toBe(
      'project.yaml: no "expectations.population_size": add "expectations:" with "population_size: 1000" (the size of dummy populations); nothing was run',
    );
    expect(projectError(GOOD.replace('population_size: 100', 'population_size: lots'))).toContain('line 3: expectations.population_size must be a whole number of 1 or more, got "lots"');
  });

  it('rejects an action without a run line, or with a broken one', () => {
    expect(projectError(GOOD.replace('    run: node a.js\n', ''))).toBe('project.yaml, line 6: action "a": has no "run" line: the command to run; nothing was run');
    expect(projectError(GOOD.replace('run: node a.js', 'run: ""'))).toContain('action "a": "run" must be a command line');
    expect(projectError(GOOD.replace('run: node a.js', `run: node a.js "unclosed`))).toContain('action "a": "run" line: unterminated " quote');
    expect(projectError(GOOD.replace('run: node a.js', 'run: node b.js "x y"'))).toContain('action "b": has the same "run" command as action "a"');
  });

  it('rejects unknown keys, privacy levels and missing outputs', () => {
    expect(projectError(GOOD.replace('needs: [a]', 'need: [a]'))).toContain('line 12: action "b": unknown key "need"; expected "run", "needs" and "outputs"');
    expect(projectError(GOOD.replace('moderately_sensitive:', 'public:'))).toContain('unknown privacy level "public"');
    expect(projectError(GOOD.replace(/ {4}outputs:\n {6}moderately_sensitive:\n {8}table: output\/b.csv\n/, ''))).toContain('action "b": has no "outputs"');
    expect(projectError(GOOD.replace('output/b.csv', 'output/b.rds'))).toContain('is a .rds file, which cannot be released from moderately_sensitive outputs');
    expect(projectError(GOOD.replace('  a:\n', '  run_all:\n').replace('[a]', '[run_all]'))).toContain('"run_all" is reserved');
  });

  it('lists every problem at once', () => {
    const message = projectError(GOOD.replace('needs: [a]', 'needs: [x]').replace('output/a_*.csv', 'output/a_?.csv'));
    expect(message).toBe(
      'project.yaml: 2 problems; nothing was run:\n' +
        '  line 9: action "a": output pattern "output/a_?.csv" contains "?" (only the * wildcard is supported)\n' +
        '  line 12: action "b": needs "x", which is not an action in this project',
    );
  });

  it('reports YAML syntax errors and duplicate keys with their line', () => {
    expect(projectError('actions:\n  a: [\n')).toMatch(/^project\.yaml, line \d: not valid YAML: /);
    expect(projectError(GOOD.replace('  b:\n', '  a:\n'))).toMatch(/^project\.yaml, line 10: not valid YAML: Map keys must be unique/);
  });
});
