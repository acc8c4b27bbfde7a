import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runMeasures } from '../../src/measures/run-measures.js';
import { runDescribe } from '../../src/describe/describe.js';
import { checkPaths } from '../../src/release/check/check-paths.js';
import { writeStudyFixture } from '../describe/study-fixture.js';
import { ROOT, readText, tempDir } from '../helpers.js';

/** A combined measure file's rows as maps of column to cell. */
function rows(path: string): Array<Map<string, string>> {
  const [header, ...lines] = readText(path).trimEnd().split('\n').map((line) => line.split(','));
  return lines.map((cells) => new Map(header!.map((name, i) => [name, cells[i]!])));
}

// The ESP 2013 weights summed into the bands of ageband_narrow.
const WEIGHTS = new Map([['65-74', 10500], ['75-79', 4000], ['80-84', 2500], ['85-89', 1500], ['90+', 1000]]);

describe("the study's age-standardised measures, end to end", () => {
  it('standardise over exactly the released rows of the matching by-age-band measure, and are charted with their bands', async () => {
    const dir = tempDir();
    const study = writeStudyFixture(dir, { patients: 400, months: 3 });
    // As the study's pipeline does: each definitions file has an output folder of its own.
    const out = join(dir, 'measures');
    const control = join(dir, 'measures_control');
    for (const [file, outputDir] of [['measures.json', out], ['measures_control.json', control]] as const) {
      await runMeasures({ definitions: join(ROOT, 'analysis', file), cohort: study.cohortGlob, outputDir, jobs: 1, progress: false });
    }
    for (const stem of ['ad_prescribing_rate', 'ad_prescribing_new', 'ap_prescribing_rate', 'ap_prescribing_new', 'control_ap_prescribing_new']) {
      // Internally the strata are one more group column, so the strata of `<stem>_std` are the rows
      // of `<stem>_age` (grouped by ageband_narrow, the same rule and group size), date by date.
      const folder = stem.startsWith('control_') ? control : out;
      const strata = rows(join(folder, `measure_${stem}_age.csv`));
      const standardised = rows(join(folder, `measure_${stem}_std.csv`));
      expect(standardised.length).toBe(3);
      for (const row of standardised) {
        const used = strata.filter((s) => s.get('date') === row.get('date') && Number(s.get('population')) > 0);
        // The numerator is the column after ageband_narrow.
        const events = (s: Map<string, string>) => Number([...s.values()][1]);
        const weight = (s: Map<string, string>) => WEIGHTS.get(s.get('ageband_narrow')!)!;
        const total = used.reduce((sum, s) => sum + events(s), 0);
        const rate = used.reduce((sum, s) => sum + (weight(s) * events(s)) / Number(s.get('population')), 0) / used.reduce((sum, s) => sum + weight(s), 0);
        if (total < 10) expect(row.get('standardised_value')).toBe('');
        else expect(Number(row.get('standardised_value'))).toBeCloseTo(rate, 14);
        expect(row.get('lower')).not.toBe('');
      }
    }

    // The dashboard also has the practice-level measures' deciles charts.
    for (const file of ['measures_practice', 'measures_practice_control']) {
      await runMeasures({ definitions: join(ROOT, 'analysis', `${file}.json`), cohort: study.cohortGlob, outputDir: join(dir, file), jobs: 1, progress: false });
    }
    const graphs = join(dir, 'graphs');
    await runDescribe({ cohort: study.cohortGlob, measures: join(dir, 'measures*/measure_*.csv'), tablesDir: join(dir, 'tables'), graphsDir: graphs, config: join(ROOT, 'analysis/describe.json'), jobs: 1, progress: false });
    const spec = JSON.parse(readText(join(graphs, 'ad_prescribing_rate_std.vl.json')));
    expect(spec.title.subtitle).toBe('patients prescribed an SSRI per patients; directly standardised rate; shaded: 95% interval');
    expect(spec.layer[0].mark.type).toBe('area');
    expect(readText(join(graphs, 'dashboard.html'))).toContain('Antidepressant (SSRI) prescribing, age-standardised (ESP 2013)');
    const report = await checkPaths([out, control, graphs, join(dir, 'tables')], { rule: 'round' });
    expect(report.files.flatMap((f) => f.problems)).toEqual([]);
  });
});
