import { describe, expect, it } from 'vitest';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPipeline, type RunSummary } from '../../src/pipeline/run-pipeline.js';
import { UserError } from '../../src/errors.js';
import { cli, listFiles, readText } from '../helpers.js';
import { projectDir } from './fixtures.js';

const CHAIN = `
  cohort:
    run: analyse generate-dummy --schema schema.json --output-dir output/cohort --index-date-range "2020-01-01 to 2020-03-01 by month"
    outputs:
      highly_sensitive:
        cohort: output/cohort/input_*.csv
  count:
    run: node tool.mjs count output/cohort output/tables/counts.csv
    needs: [cohort]
    outputs:
      moderately_sensitive:
        counts: output/tables/counts.csv
`;

function statuses(summary: RunSummary): Record<string, string> {
  return Object.fromEntries(summary.results.map((r) => [r.name, r.status]));
}

function run(dir: string, actions: string[], extra: { forceRunDependencies?: boolean } = {}): Promise<RunSummary> {
  return runPipeline({ project: join(dir, 'project.yaml'), actions, ...extra });
}

describe('runPipeline', () => {
  it('runs an action after what it needs, each in the project folder, logging to metadata/<action>.log', async () => {
    const dir = projectDir(CHAIN);
    const summary = await run(dir, ['count']);
    expect(summary.ok).toBe(true);
    expect(summary.results.map((r) => [r.name, r.status, r.reason])).toEqual([
      ['cohort', 'succeeded', 'it has not succeeded before'],
      ['count', 'succeeded', 'requested'],
    ]);
    expect(summary.results.map((r) => r.outputs)).toEqual([3, 1]);
    // The dummy data took its population from this project.yaml, so the actions ran in its folder.
    expect(readText(join(dir, 'metadata', 'cohort.log'))).toMatch(/from a population of 200 \(project\.yaml;/);
    expect(readText(join(dir, 'output/tables/counts.csv'))).toMatch(/^file,rows\ninput_2020-01-01\.csv,\d+\ninput_2020-02-01\.csv,\d+\ninput_2020-03-01\.csv,\d+\n$/);
    const log = readText(join(dir, 'metadata', 'count.log'));
    expect(log).toContain('action: count\nrun: node tool.mjs count output/cohort output/tables/counts.csv\nwhy: requested\n');
    expect(log).toContain('exit code: 0\n');
    expect(log).toContain('outputs:\n  output/tables/counts.csv  - moderately_sensitive\n');
    const manifest = JSON.parse(readText(join(dir, 'metadata', 'manifest.json')));
    expect(manifest.actions.cohort).toMatchObject({ status: 'succeeded', run: expect.stringContaining('generate-dummy'), outputs: { 'output/cohort/input_2020-01-01.csv': 'highly_sensitive' } });
  });

  it('does not run a dependency again when it succeeded before and its outputs exist, unless forced, changed or incomplete', async () => {
    const dir = projectDir(CHAIN);
    await run(dir, ['count']);
    const again = await run(dir, ['count']);
    expect(again.results.map((r) => [r.status, r.reason])).toEqual([
      ['skipped', 'up to date: it succeeded before and its outputs are present'],
      ['succeeded', 'requested'],
    ]);
    expect(statuses(await run(dir, ['count'], { forceRunDependencies: true }))).toEqual({ cohort: 'succeeded', count: 'succeeded' });
    expect((await run(dir, ['count'], { forceRunDependencies: true })).results[0]!.reason).toBe('--force-run-dependencies');

    rmSync(join(dir, 'output/cohort/input_2020-02-01.csv'));
    const repaired = await run(dir, ['count']);
    expect(repaired.results[0]!.reason).toBe('some of its outputs are missing');
    expect(existsSync(join(dir, 'output/cohort/input_2020-02-01.csv'))).toBe(true);

    const yaml = readText(join(dir, 'project.yaml'));
    writeFileSync(join(dir, 'project.yaml'), yaml.replace('2020-03-01 by month', '2020-02-01 by month'));
    const changed = await run(dir, ['count']);
    expect(changed.results[0]!.reason).toBe('its run line changed');
    // The month the new range no longer covers was this action's output: it is removed, not left stale.
    expect(changed.results[0]!.obsolete).toEqual(['output/cohort/input_2020-03-01.csv']);
    expect(listFiles(join(dir, 'output/cohort'))).toEqual(['input_2020-01-01.csv', 'input_2020-02-01.csv']);
    expect(readText(join(dir, 'output/tables/counts.csv')).trim().split('\n')).toHaveLength(3);
    expect(readText(join(dir, 'metadata/cohort.log'))).toContain('outputs of an earlier run not written again, removed as obsolete:\n  output/cohort/input_2020-03-01.csv\n');
  });

  it('runs a dependant again when a need runs again, so it never reads stale inputs', async () => {
    const dir = projectDir(`${CHAIN}  report:
    run: node tool.mjs csv output/report.csv 2
    needs: [count]
    outputs:
      moderately_sensitive:
        report: output/report.csv
`);
    await run(dir, ['report']);
    rmSync(join(dir, 'output/cohort/input_2020-01-01.csv'));
    const summary = await run(dir, ['report']);
    expect(summary.results.map((r) => [r.name, r.reason])).toEqual([
      ['cohort', 'some of its outputs are missing'],
      ['count', 'an action it needs runs again'],
      ['report', 'requested'],
    ]);
  });

  it('does not run an action whose needs failed, but runs the others, and exits 1', async () => {
    const dir = projectDir(`
  broken:
    run: node tool.mjs fail 3 "the database is down"
    outputs:
      highly_sensitive:
        data: output/broken.csv
  after_broken:
    run: node tool.mjs csv output/after.csv 1
    needs: [broken]
    outputs:
      moderately_sensitive:
        table: output/after.csv
  after_after:
    run: node tool.mjs csv output/after2.csv 1
    needs: [after_broken]
    outputs:
      moderately_sensitive:
        table: output/after2.csv
  independent:
    run: node tool.mjs csv output/ok.csv 3
    outputs:
      moderately_sensitive:
        table: output/ok.csv
`);
    const summary = await runPipeline({ project: join(dir, 'project.yaml'), all: true });
    expect(summary.ok).toBe(false);
    expect(summary.results.map((r) => [r.name, r.status, r.reason])).toEqual([
      ['broken', 'failed', 'exited with code 3'],
      ['after_broken', 'not run', 'needs broken, which failed'],
      ['after_after', 'not run', 'needs after_broken, which was not run'],
      ['independent', 'succeeded', 'requested'],
    ]);
    expect(existsSync(join(dir, 'output/after.csv'))).toBe(false);
    expect(readText(join(dir, 'metadata/broken.log'))).toContain('starting\nsomething went wrong: the database is down\n');
    expect(summary.results[0]!.tail).toContain('something went wrong: the database is down');
    expect(existsSync(join(dir, 'metadata/after_broken.log'))).toBe(false);

    const { code, stdout, stderr } = await cli(['run', '--all', '--project', join(dir, 'project.yaml')]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/ {2}broken +failed +[\d.]+ m?s {2}exited with code 3\n/);
    expect(stdout).toMatch(/ {2}after_broken +not run +- {2}needs broken, which failed\n/);
    expect(stdout).toMatch(/ {2}independent +succeeded +[\d.]+ m?s\n/);
    expect(stdout).toContain('run failed: 3 actions failed or not run. Logs are in metadata/.');
    expect(stderr).toContain('  | something went wrong: the database is down');
  });

  it('fails an action whose declared output matches no file, reporting what it wrote instead', async () => {
    const dir = projectDir(`
  misplaced:
    run: node tool.mjs csv output/tabels/x.csv 2
    outputs:
      moderately_sensitive:
        table: output/tables/x.csv
`);
    const [result] = (await run(dir, ['misplaced'])).results;
    expect(result).toMatchObject({ status: 'failed', reason: 'declared output "output/tables/x.csv" matched no file', undeclared: ['output/tabels/x.csv'] });
    expect(readText(join(dir, 'metadata/misplaced.log'))).toContain(
      'declared outputs that matched no file (the action failed):\n  table: output/tables/x.csv  - moderately_sensitive\n',
    );
  });

  it('excludes moderately_sensitive files that break the release rules, and exits 1', async () => {
    const dir = projectDir(`
  tables:
    run: node tool.mjs csv output/patients.csv 3 patient_id,age
    outputs:
      moderately_sensitive:
        patients: output/patients.csv
  long:
    run: node tool.mjs csv output/long.csv 5001
    outputs:
      moderately_sensitive:
        long: output/long.csv
  just_fits:
    run: node tool.mjs csv output/fits.csv 5000
    outputs:
      moderately_sensitive:
        fits: output/fits.csv
  huge:
    run: node tool.mjs big output/huge.txt 16777217
    outputs:
      moderately_sensitive:
        huge: output/huge.txt
  private:
    run: node tool.mjs csv output/private.csv 3 patient_id,age
    outputs:
      highly_sensitive:
        cohort: output/private.csv
`);
    const summary = await runPipeline({ project: join(dir, 'project.yaml'), all: true });
    expect(statuses(summary)).toEqual({ tables: 'succeeded', long: 'succeeded', just_fits: 'succeeded', huge: 'succeeded', private: 'succeeded' });
    expect(summary.ok).toBe(false);
    expect(Object.fromEntries(summary.results.map((r) => [r.name, r.excluded]))).toEqual({
      tables: [{ path: 'output/patients.csv', reason: 'line 1, column "patient_id": a patient_id column holds patient-level data' }],
      long: [{ path: 'output/long.csv', reason: 'it has 5,001 data rows, over the 5,000-row limit' }],
      just_fits: [],
      huge: [{ path: 'output/huge.txt', reason: 'it is 16.00 MiB, over the 16 MiB limit' }],
      private: [],
    });
    expect(readText(join(dir, 'metadata/tables.log'))).toContain(
      'moderately_sensitive outputs excluded from release:\n  output/patients.csv  - line 1, column "patient_id": a patient_id column holds patient-level data\n',
    );
    const { code, stdout } = await cli(['run', 'tables', '--project', join(dir, 'project.yaml')]);
    expect(code).toBe(1);
    expect(stdout).toContain('excluded from release (tables): output/patients.csv: line 1, column "patient_id": a patient_id column holds patient-level data');
    expect(stdout).toContain('run failed: 1 file excluded from release.');
  });

  it('checks moderately_sensitive outputs as analyse check does: counts of any one released pattern pass, others and pages that load or run anything do not', async () => {
    const files = {
      'in/measure_round.csv': 'g,n,population,value\na,0,100,0\nb,15,20,0.75\n',
      'in/measure_midpoint.csv': 'g,n,population,value\na,3,99,0.030303030303030304\nb,9,15,0.6\n',
      'in/measure_suppress.csv': 'g,n,population,value\na,,100,\nb,6,7,0.8571428571428571\n',
      'in/measure_raw.csv': 'region,n,population,value\nIsles,1234,1,1234\n',
      'in/page.html': '<!doctype html><p>chart</p><script src="https://cdn.plot.ly/plotly.js"></script>',
      'in/marked.html': '<!doctype html>\n<!-- NOT FOR RELEASE -->\n<p>x</p>',
    };
    const copies = Object.keys(files).map((from) => `${from} ${from.replace('in/', 'output/')}`).join(' ');
    const dir = projectDir(
      `
  outputs:
    run: node tool.mjs copy ${copies}
    outputs:
      moderately_sensitive:
        measures: output/measure_*.csv
        pages: output/*.html
`,
      files,
    );
    const summary = await runPipeline({ project: join(dir, 'project.yaml'), all: true });
    expect(summary.results[0]!.excluded).toEqual([
      {
        path: 'output/measure_raw.csv',
        reason: 'line 2, column "population": "1" is not a released count: it fits none of the patterns "round" (0, or a multiple of 5 above 7), "midpoint6" (0, or 3 more than a multiple of 6), "suppress" (empty, 0, or above 5)',
      },
      { path: 'output/marked.html', reason: 'line 2: marked NOT FOR RELEASE' },
      { path: 'output/page.html', reason: 'line 1: runs script: a <script> element: <script src="https://cdn.plot.ly/plotly.js">; line 1: loads "https://cdn.plot.ly/plotly.js" from outside the page (src= on <script>)' },
    ]);
    expect(summary.ok).toBe(false);
  });

  it('says which files an action wrote without declaring them', async () => {
    const dir = projectDir(`
  two:
    run: node tool.mjs csvs output/many 3
    outputs:
      moderately_sensitive:
        first: output/many/f_1.csv
`);
    const summary = await run(dir, ['two']);
    expect(summary.ok).toBe(true);
    expect(summary.results[0]!.undeclared).toEqual(['output/many/f_2.csv', 'output/many/f_3.csv']);
    const { stdout } = await cli(['run', 'two', '--project', join(dir, 'project.yaml')]);
    expect(stdout).toContain('undeclared (two): wrote 2 files no output pattern of it declares: output/many/f_2.csv, output/many/f_3.csv');
  });

  it('passes quoted words to the program as they are, without a shell', async () => {
    const dir = projectDir(`
  args:
    run: node tool.mjs argv output/argv.json "two words" 'it''s' "say \\"hi\\"" $HOME *.csv
    outputs:
      highly_sensitive:
        argv: output/argv.json
`);
    await run(dir, ['args']);
    expect(JSON.parse(readText(join(dir, 'output/argv.json')))).toEqual({ argv: ['two words', 'its', 'say "hi"', '$HOME', '*.csv'], cwd: dir });
  });

  it('fails an action whose program cannot be found', async () => {
    const dir = projectDir(`
  missing:
    run: no-such-program-anywhere --flag
    outputs:
      highly_sensitive:
        x: output/x.csv
`);
    const [result] = (await run(dir, ['missing'])).results;
    expect(result).toMatchObject({ status: 'failed', reason: 'command not found: no-such-program-anywhere' });
    expect(readText(join(dir, 'metadata/missing.log'))).toContain('exit code: command not found: no-such-program-anywhere\n');
    const docker = projectDir(`
  python:
    run: python:latest python analysis/x.py
    outputs:
      highly_sensitive:
        x: output/x.csv
`);
    expect((await run(docker, ['python'])).results[0]!.reason).toBe(
      'command not found: python:latest (an OpenSAFELY image name? analyse run runs programs directly, such as "analyse ..." or "node ...")',
    );
  });

  it('refuses an invalid project or an unknown action with exit 2, running nothing', async () => {
    const dir = projectDir(`${CHAIN.replace('needs: [cohort]', 'needs: [cohrt]')}`);
    await expect(run(dir, ['count'])).rejects.toThrow(new UserError(`actions.count.needs: "cohrt" is not an action in this project; nothing was run`, { file: join(dir, 'project.yaml'), line: 13 }));
    expect(existsSync(join(dir, 'metadata'))).toBe(false);

    const good = projectDir(CHAIN);
    const unknown = await cli(['run', 'cout', '--project', join(good, 'project.yaml')]);
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toBe(`analyse: error: ${join(good, 'project.yaml')}: no action "cout" in this project; nothing was run. The actions are "cohort" and "count"\n`);
    expect((await cli(['run', '--project', join(good, 'project.yaml')])).stderr).toContain('name the actions to run, or give --all');
    expect((await cli(['run', '--all', '--project', join(good, 'nope.yaml')])).stderr).toContain('nope.yaml: file not found (give its path with --project)\n');
    expect(existsSync(join(good, 'metadata'))).toBe(false);
  });

  it('runs every action for --all or run_all, and names the dashboard among the outputs', async () => {
    const dir = projectDir(`${CHAIN}  graphs:
    run: node tool.mjs csv output/graphs/dashboard.html 1
    needs: [count]
    outputs:
      moderately_sensitive:
        dashboard: output/graphs/dashboard.html
`);
    const { code, stdout } = await cli(['run', 'run_all', '--project', join(dir, 'project.yaml')]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\[1\/3\] cohort \(requested\): analyse generate-dummy/);
    expect(stdout).toMatch(/\n {6}succeeded in [\d.]+ m?s: 3 output files\n/);
    expect(stdout).toMatch(/\nrun: 3 actions in [\d.]+ m?s\n {2}action {2}status {10}time\n {2}cohort {2}succeeded/);
    expect(stdout.trimEnd().split('\n').pop()).toBe(`Dashboard: ${join(dir, 'output/graphs/dashboard.html')}`);
  });
});
