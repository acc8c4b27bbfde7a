// The describe stage: checks the config, every cohort header and every measure file before
// anything is written, profiles the cohort files in parallel (streaming), then writes the
// descriptive-statistics tables and the graphs together, all or nothing.

import { join } from 'node:path';
import { UserError, listNames, quote } from '../errors.js';
import { datedFiles, findCohortFiles, type DatedFile } from '../csv/dated-files.js';
import { inputError } from '../input/shapes.js';
import { readHeader } from '../csv/header.js';
import { writeFilesAtomic } from '../io/atomic.js';
import { MAX_RELEASE_BYTES } from '../release/limits.js';
import { NOT_FOR_RELEASE } from '../release/marker.js';
import { defaultJobs, runPool } from '../parallel/pool.js';
import { buildCharts, checkChartIds } from './charts.js';
import { buildDecilesCharts, checkDecilesGrouping, checkNotByColumn } from './deciles-charts.js';
import { decilesTableFileName, formatDecilesTable } from '../layouts/deciles-table.js';
import { chartPage, dashboardPage, DASHBOARD_FILE } from './dashboard.js';
import { DEFAULT_CONFIG, decilesByColumns, loadDescribeConfig, type DescribeConfig } from './describe-config.js';
import { findMeasureFiles, readMeasureFile } from '../layouts/measure-file.js';
import { releaseSeries } from './released-series.js';
import { profileFile, type FileProfile, type ProfileTask } from './profile-file.js';
import { fileTable, summaryTable } from './table-writer.js';
import { SUMMARY_FILE, tableFileName } from '../layouts/descriptive-table.js';
import { planVariables } from './variable-plan.js';
import type { ColumnType } from './column-types.js';

export interface DescribeOptions {
  /** Glob of cohort files; those with a date in the name are described. */
  cohort: string;
  /** Glob of measure files; the combined `measure_<id>.csv` files are charted. */
  measures: string;
  tablesDir: string;
  graphsDir: string;
  /** The describe config (JSON): column types, summary variables, chart titles, dashboard layout. */
  config?: string;
  /** Cohort files profiled at once. Default: the number of CPUs. */
  jobs?: number;
  /** Show progress on stderr when it is a terminal. Default true. */
  progress?: boolean;
  /**
   * Chart measure files whose counts were not disclosure-controlled (refused otherwise), and mark
   * every page and spec NOT FOR RELEASE at the top.
   */
  notForRelease?: boolean;
}

export interface DescribeSummary {
  cohortFiles: number;
  variables: Array<{ name: string; type: ColumnType }>;
  /** Every file written, tables first. */
  tables: string[];
  graphs: string[];
  charts: number;
  /** Things the researcher should know: variables left out of a table to keep it small, crowded charts. */
  warnings: string[];
  elapsedMs: number;
}

export async function runDescribe(options: DescribeOptions): Promise<DescribeSummary> {
  const started = performance.now();
  const config = options.config === undefined ? DEFAULT_CONFIG : await loadDescribeConfig(options.config);
  const cohortFiles = datedFiles(await findCohortFiles(options.cohort, { option: '--cohort' }), '--cohort');
  if (cohortFiles.length === 0) {
    throw new UserError(`--cohort ${options.cohort}: matches no dated cohort file (named <anything>_YYYY-MM-DD.csv or .csv.gz)`);
  }
  await checkHeaders(cohortFiles, config);
  const measureFiles = await findMeasureFiles(options.measures);
  const reserved = measureFiles.find((m) => `${m.id}.html` === DASHBOARD_FILE);
  if (reserved) throw new UserError(`the measure id ${quote(reserved.id)} would overwrite ${DASHBOARD_FILE}; rename the measure`, { file: reserved.path });
  const series = [];
  const notForRelease = options.notForRelease === true;
  for (const file of measureFiles) series.push(releaseSeries(await readMeasureFile(file), notForRelease));
  checkChartIds(config, series);
  // A deciles chart's `by` values (practice ids) are never written: not as the lines of another chart either.
  const byColumns = decilesByColumns(config);
  const lineSeries = series.filter((s) => !config.deciles.has(s.id));
  const decilesSeries = series.filter((s) => config.deciles.has(s.id));
  for (const measure of lineSeries) checkNotByColumn(measure, byColumns);
  for (const measure of decilesSeries) checkDecilesGrouping(measure, config.deciles.get(measure.id)!, config.file);

  const profiles = await profileCohorts(cohortFiles, config, options);
  const plans = planVariables(profiles, config.variables);
  const warnings: string[] = [];
  const outputs: Array<{ path: string; content: string }> = [];
  const described = cohortFiles.map((file, i) => ({ stem: file.stem, date: file.date, rows: profiles[i]!.rows, columns: profiles[i]!.columns }));
  for (const file of described) {
    const table = fileTable(file, plans);
    const path = join(options.tablesDir, tableFileName(file.stem));
    if (table.omitted.length > 0) warnings.push(`${path}: left out ${listNames(table.omitted)} to stay within 5,000 rows`);
    outputs.push({ path, content: table.csv });
  }
  const summaryPlans = config.summary === null ? plans : plans.filter((p) => config.summary!.includes(p.name));
  const summary = summaryTable(described, summaryPlans);
  const summaryPath = join(options.tablesDir, SUMMARY_FILE);
  if (summary.omitted.length > 0) {
    warnings.push(`${summaryPath}: left out ${listNames(summary.omitted)} to stay within 5,000 rows (choose fewer with "summary" in the config)`);
  }
  outputs.push({ path: summaryPath, content: summary.csv });
  const tableCount = outputs.length;

  const lines = await buildCharts(lineSeries, config, notForRelease);
  const deciles = await buildDecilesCharts(decilesSeries, config, notForRelease);
  warnings.push(...lines.warnings, ...deciles.warnings);
  // In the order of the measure files, whatever their kind of chart.
  const built = new Map([...lines.charts, ...deciles.charts].map((chart) => [chart.id, chart]));
  const charts = series.map((s) => built.get(s.id)!);
  for (const chart of charts) {
    outputs.push({ path: join(options.graphsDir, `${chart.id}.vl.json`), content: `${JSON.stringify(chart.spec, null, 2)}\n` });
    outputs.push({ path: join(options.graphsDir, `${chart.id}.html`), content: chartPage(chart, notForRelease) });
    const decilesRows = deciles.tables.get(chart.id);
    if (decilesRows !== undefined) outputs.push({ path: join(options.graphsDir, decilesTableFileName(chart.id)), content: formatDecilesTable(decilesRows, notForRelease ? `${NOT_FOR_RELEASE}: counts not disclosure-controlled` : null) });
  }
  outputs.push({ path: join(options.graphsDir, DASHBOARD_FILE), content: dashboardPage(charts, config.dashboard, notForRelease) });

  for (const output of outputs) {
    const bytes = Buffer.byteLength(output.content);
    if (bytes > MAX_RELEASE_BYTES) {
      throw new UserError(`would be ${(bytes / 2 ** 20).toFixed(1)} MiB, over the ${MAX_RELEASE_BYTES / 2 ** 20} MiB release limit; chart fewer groups or fewer measures`, { file: output.path });
    }
  }
  await writeFilesAtomic(outputs);
  return {
    cohortFiles: cohortFiles.length,
    variables: plans.map((p) => ({ name: p.name, type: p.type })),
    tables: outputs.slice(0, tableCount).map((o) => o.path),
    graphs: outputs.slice(tableCount).map((o) => o.path),
    charts: charts.length,
    warnings,
    elapsedMs: performance.now() - started,
  };
}

/** Every column the config names must be in some cohort file. */
async function checkHeaders(files: readonly DatedFile[], config: DescribeConfig): Promise<void> {
  const columns = new Set<string>();
  for (const file of files) for (const name of await readHeader(file.path)) columns.add(name);
  const named = [
    ...[...config.variables.keys()].map((name) => [name, ['variables', name]] as const),
    ...(config.summary ?? []).map((name, i) => [name, ['summary', i]] as const),
  ];
  for (const [name, path] of named) {
    if (!columns.has(name)) {
      throw inputError(config.file ?? undefined, path, `no cohort file has a column ${quote(name)}; the columns are ${listNames([...columns])}`);
    }
  }
}

async function profileCohorts(files: readonly DatedFile[], config: DescribeConfig, options: DescribeOptions): Promise<FileProfile[]> {
  // The key, and the `by` column of every deciles chart, whose values (practice ids) are never written.
  const excluded = [...new Set([config.key, 'patient_id', ...decilesByColumns(config)])];
  const tasks: ProfileTask[] = files.map((file) => ({ path: file.path, types: config.variables, excluded }));
  return runPool({
    worker: new URL('./worker.js', import.meta.url),
    handler: profileFile,
    init: null,
    tasks,
    jobs: options.jobs ?? defaultJobs(),
    progress: options.progress === false ? null : 'describe',
  });
}
