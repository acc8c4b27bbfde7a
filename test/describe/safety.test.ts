import { describe as group, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDescribe } from '../../src/describe/describe.js';
import { ROOT, listFiles, tempDir } from '../helpers.js';
import { scanReleaseFolder } from '../safety/release-scanner.js';
import { writeStudyFixture } from './study-fixture.js';

group('describe on a study-shaped workspace', () => {
  it('writes only outputs that pass the release scanner', async () => {
    const dir = tempDir();
    const study = writeStudyFixture(dir, { patients: 400, months: 25 });
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
    expect(summary.charts).toBe(24);
    expect(listFiles(join(out, 'tables'))).toHaveLength(26);
    expect(listFiles(join(out, 'graphs'))).toHaveLength(49);
    expect(await scanReleaseFolder(out)).toEqual([]);

    // The tables hold no patient-level values: no patient id, no msoa code, no row per patient.
    for (const name of listFiles(join(out, 'tables'))) {
      const table = readFileSync(join(out, 'tables', name), 'utf8');
      expect(table).not.toMatch(/E0200\d{4}/);
      if (name !== 'descriptive_statistics_summary.csv') expect(table.split('\n').length).toBeLessThan(400);
    }
    expect(summary.variables.find((v) => v.name === 'msoa')?.type).toBe('text');
    expect(summary.variables.map((v) => v.name)).not.toContain('patient_id');
  });
});
