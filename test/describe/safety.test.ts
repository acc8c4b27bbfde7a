import { describe as group, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDescribe } from '../../src/describe/describe.js';
import { ROOT, listFiles, tempDir } from '../helpers.js';
import { scanReleaseFolder } from '../safety/release-scanner.js';
import { monthDates, writeStudyFixture } from './study-fixture.js';

group('describe on a study-shaped workspace', () => {
  it('writes only outputs that pass the release scanner: a table per dated cohort file and the summary, a page, spec and SVG per measure and the dashboard', async () => {
    const dir = tempDir();
    const patients = 400;
    const months = 25;
    const study = writeStudyFixture(dir, { patients, months });
    const out = join(dir, 'output/describe');
    const summary = await runDescribe({
      cohort: study.cohortGlob,
      measures: study.measuresGlob,
      tablesDir: join(out, 'tables'),
      graphsDir: join(out, 'graphs'),
      config: join(ROOT, 'analysis/describe.json'),
      jobs: 2,
      progress: false,
    });
    expect(summary.warnings).toEqual([]);
    // Every combined measure file is charted (the per-date ones are not); the undated
    // input_ethnicity.csv is not a monthly cohort file, so it gets no table.
    expect(summary.charts).toBe(study.measureIds.length);
    const tables = [...monthDates(months).map((date) => `descriptive_statistics_input_${date}.csv`), 'descriptive_statistics_summary.csv'];
    expect(listFiles(join(out, 'tables'))).toEqual(tables.sort());
    const graphs = [...study.measureIds.flatMap((id) => [`${id}.html`, `${id}.svg`, `${id}.vl.json`]), 'dashboard.html'];
    expect(listFiles(join(out, 'graphs'))).toEqual(graphs.sort());
    expect(await scanReleaseFolder(out)).toEqual([]);

    // The tables hold no patient-level values: no patient id, no msoa code, no row per patient.
    for (const name of listFiles(join(out, 'tables'))) {
      const table = readFileSync(join(out, 'tables', name), 'utf8');
      expect(table).not.toMatch(/E0200\d{4}/);
      if (name !== 'descriptive_statistics_summary.csv') expect(table.split('\n').length).toBeLessThan(patients);
    }
    expect(summary.variables.find((v) => v.name === 'msoa')?.type).toBe('text');
    expect(summary.variables.map((v) => v.name)).not.toContain('patient_id');
  });
});
