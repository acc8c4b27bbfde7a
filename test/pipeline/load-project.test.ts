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
      'join_ethnicity_control', 'generate_measures', 'generate_measures_control', 'describe', 'describe_control', 'check_release',
    ]);
    expect(project.actions.every((a) => a.command[0] === 'analyse')).toBe(true);
    // Every command but run itself is an action of the study, so `npm run pipeline` exercises it.
    expect(new Set(project.actions.map((a) => a.command[1]))).toEqual(new Set(['generate-dummy', 'join-ethnicity', 'measures', 'describe', 'check']));
    const levels = Object.fromEntries(project.actions.map((a) => [a.name, [...new Set(a.outputs.map((o) => o.level))]]));
    expect(levels).toMatchObject({ generate_study_population: ['highly_sensitive'], join_ethnicity: ['highly_sensitive'], generate_measures: ['moderately_sensitive'], describe: ['moderately_sensitive'] });
  });

  it('rejects unknown needs, naming the action and the line', () => {
    expect(projectError(GOOD.replace('needs: [a]', 'needs: [a, generate]'))).toBe('project.yaml, line 12: actions.b.needs: "generate" is not an action in this project; nothing was run');
    expect(projectError(GOOD.replace('needs: [a]', 'needs: [a generate]'))).toBe(
      'project.yaml, line 12: actions.b.needs[0]: "a generate": separate action names in "needs" with commas; nothing was run',
    );
    expect(projectError(GOOD.replace('needs: [a]', 'needs: a'))).toBe(
      'project.yaml, line 12: actions.b.needs: expected a list of action names, such as [generate_study_population], got the text "a"; nothing was run',
    );
  });

  it('reads "needs:" with nothing after it as no needs', () => {
    expect(parseProject(GOOD.replace('needs: [a]', 'needs:'), 'project.yaml').actions[1]!.needs).toEqual([]);
  });

  it('rejects a cycle, showing it', () => {
    const cyclic = GOOD.replace("run: node a.js\n", 'run: node a.js\n    needs: [b]\n');
    expect(projectError(cyclic)).toBe('project.yaml, line 7: actions.a.needs: the needs form a cycle: a → b → a; nothing was run');
    expect(projectError(GOOD.replace('needs: [a]', 'needs: [b]'))).toBe('project.yaml, line 12: actions.b.needs: the needs form a cycle: b → b; nothing was run');
  });

  it('rejects an output path declared twice', () => {
    expect(projectError(GOOD.replace('table: output/b.csv', 'table: output/a_*.csv').replace('moderately_sensitive', 'highly_sensitive'))).toBe(
      'project.yaml, line 15: actions.b.outputs.highly_sensitive.table: the output path "output/a_*.csv" is declared by action "a" too; every output path must be unique; nothing was run',
    );
    expect(projectError(GOOD.replace('table: output/b.csv', 'table: output/b.csv\n        again: output/b.csv'))).toBe(
      'project.yaml, line 16: actions.b.outputs.moderately_sensitive.again: the output path "output/b.csv" is declared twice by this action; every output path must be unique; nothing was run',
    );
  });

  it('rejects patterns with **, ?, [ or a backslash', () => {
    const at = 'project.yaml, line 9: actions.a.outputs.highly_sensitive.cohort: the pattern';
    expect(projectError(GOOD.replace('output/a_*.csv', 'output/**/a.csv'))).toBe(`${at} "output/**/a.csv" contains "**" (only the * wildcard is supported); nothing was run`);
    expect(projectError(GOOD.replace('output/a_*.csv', 'output/a_?.csv'))).toBe(`${at} "output/a_?.csv" contains "?" (only the * wildcard is supported); nothing was run`);
    expect(projectError(GOOD.replace('output/a_*.csv', 'output/a_[0-9].csv'))).toBe(`${at} "output/a_[0-9].csv" contains "[" (only the * wildcard is supported); nothing was run`);
    expect(projectError(GOOD.replace('output/a_*.csv', '"output\\\\a.csv"'))).toBe(`${at} "output\\\\a.csv" contains a backslash (use forward slashes only); nothing was run`);
  });

  it('rejects a project without a whole number for expectations.population_size', () => {
    const expected = 'expectations.population_size: expected a whole number of 1 or more, such as 1000 (the size of dummy populations), got';
    expect(projectError(GOOD.replace('expectations:\n  population_size: 100\n', ''))).toBe(`project.yaml: ${expected} nothing; nothing was run`);
    expect(projectError(GOOD.replace('population_size: 100', 'population_size:'))).toBe(`project.yaml, line 3: ${expected} nothing; nothing was run`);
    expect(projectError(GOOD.replace('population_size: 100', 'population_size: lots'))).toBe(`project.yaml, line 3: ${expected} the text "lots"; nothing was run`);
    expect(projectError(GOOD.replace('population_size: 100', 'population_size: "1e3"'))).toBe(`project.yaml, line 3: ${expected} the text "1e3"; nothing was run`);
    expect(projectError(GOOD.replace('population_size: 100', 'population_size: 0'))).toBe(`project.yaml, line 3: ${expected} the number 0; nothing was run`);
    expect(parseProject(GOOD.replace('population_size: 100', 'population_size: " 300 "'), 'project.yaml').populationSize).toBe(300);
  });

  it('rejects an action without a run line, or with a broken one', () => {
    expect(projectError(GOOD.replace('    run: node a.js\n', ''))).toBe('project.yaml, line 6: actions.a.run: expected a command line, got nothing; nothing was run');
    expect(projectError(GOOD.replace('run: node a.js', 'run: ""'))).toBe('project.yaml, line 6: actions.a.run: expected a command line, got the text ""; nothing was run');
    expect(projectError(GOOD.replace('run: node a.js', `run: node a.js "unclosed`))).toBe('project.yaml, line 6: actions.a.run: unterminated " quote starting at character 11; nothing was run');
    expect(projectError(GOOD.replace('run: node a.js', 'run: node b.js "x y"'))).toBe('project.yaml, line 11: actions.b.run: the same command as action "a"; nothing was run');
  });

  it('rejects unknown keys, privacy levels and missing outputs', () => {
    expect(projectError(GOOD.replace('needs: [a]', 'need: [a]'))).toBe(
      'project.yaml, line 12: actions.b.need: unknown key "need" (expected one of "run", "needs" and "outputs"); did you mean "needs"? Nothing was run',
    );
    expect(projectError(GOOD.replace('moderately_sensitive:', 'public:'))).toBe(
      'project.yaml, line 15: actions.b.outputs.public: unknown privacy level "public" (expected one of "highly_sensitive", "moderately_sensitive" and "minimally_sensitive"); nothing was run',
    );
    const levels = 'a mapping with at least one of highly_sensitive, moderately_sensitive, minimally_sensitive';
    expect(projectError(GOOD.replace(/ {4}outputs:\n {6}moderately_sensitive:\n {8}table: output\/b.csv\n/, ''))).toBe(`project.yaml, line 11: actions.b.outputs: expected ${levels}, got nothing; nothing was run`);
    expect(projectError(GOOD.replace(/outputs:\n {6}moderately_sensitive:\n {8}table: output\/b.csv/, 'outputs: {}'))).toBe(`project.yaml, line 13: actions.b.outputs: expected ${levels}, got the object {}; nothing was run`);
    expect(projectError(GOOD.replace('output/b.csv', 'output/b.rds'))).toContain('actions.b.outputs.moderately_sensitive.table: the pattern "output/b.rds" is a .rds file, which cannot be released from moderately_sensitive outputs');
    expect(projectError(GOOD.replace('  a:\n', '  run_all:\n').replace('[a]', '[run_all]'))).toBe('project.yaml, line 6: actions.run_all: "run_all" is reserved: it means every action; nothing was run');
    expect(projectError(GOOD.replace('  b:\n', '  b c:\n'))).toBe('project.yaml, line 11: actions["b c"]: an action name may hold only letters, digits, "_", "-" and "." (it names the log file); nothing was run');
  });

  it('rejects a file that is not a mapping', () => {
    expect(projectError('[]\n')).toBe('project.yaml: expected a mapping with "version", "expectations" and "actions", got the list []; nothing was run');
  });

  it('lists every problem at once', () => {
    const message = projectError(GOOD.replace('needs: [a]', 'needs: [x]').replace('output/a_*.csv', 'output/a_?.csv'));
    expect(message).toBe(
      'project.yaml: 2 problems; nothing was run:\n' +
        '  line 9: actions.a.outputs.highly_sensitive.cohort: the pattern "output/a_?.csv" contains "?" (only the * wildcard is supported)\n' +
        '  line 12: actions.b.needs: "x" is not an action in this project',
    );
    expect(projectError('actions: {}\n')).toBe(
      'project.yaml: 2 problems; nothing was run:\n' +
        '  expectations.population_size: expected a whole number of 1 or more, such as 1000 (the size of dummy populations), got nothing\n' +
        '  line 1: actions: expected a mapping of action names to their run, needs and outputs, got the object {}',
    );
  });

  it('reports YAML syntax errors and duplicate keys with their line', () => {
    expect(projectError('actions:\n  a: [\n')).toMatch(/^project\.yaml, line \d: not valid YAML: /);
    expect(projectError(GOOD.replace('  b:\n', '  a:\n'))).toMatch(/^project\.yaml, line 10: not valid YAML: Map keys must be unique/);
  });
});
