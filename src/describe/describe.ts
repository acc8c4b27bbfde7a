// The describe stage: checks the config, every cohort header and every measure file before
// anything is written, profiles the cohort files in parallel (streaming), then writes the
// descriptive-statistics tables and the graphs together, all or nothing. Either half may be
// asked for alone: the tables (--cohort, --tables-dir), the graphs (--measures, --graphs-dir).

import { basename, join } from 'node:path';
import { UserError, listNames, quote } from '../errors.js';
import { datedFiles, findCohortFiles, type DatedFile } from '../csv/dated-files.js';
import { inputError } from '../input/shapes.js';
import { readHeader } from '../csv/header.js';
import { writeFilesAtomic } from '../io/file-set.js';
import { checkOutputFolder } from '../io/folders.js';
import { MAX_RELEASE_BYTES } from '../release/limits.js';
import { NOT_FOR_RELEASE } from '../release/marker.js';
import { defaultJobs, runPool, startWorkers, type StartedWorkers } from '../parallel/pool.js';
import { buildCharts, checkChartIds } from './charts.js';
import { buildDecilesCharts, checkDecilesGrouping, checkNotByColumn } from './deciles-charts.js';
import { decilesTableFileName, formatDecilesTable, type DecileRow } from '../layouts/deciles-table.js';
import { chartPage, dashboardPage, DASHBOARD_FILE } from './dashboard.js';
import { DEFAULT_CONFIG, decilesByColumns, loadDescribeConfig, type DescribeConfig } from './describe-config.js';
import { readMeasureSources } from '../layouts/measure-sources.js';
import { releaseSeries, type ReleasedSeries } from './released-series.js';
import { profileFile, type FileProfile, type ProfileTask } from './profile-file.js';
import { fileTable, summaryTable } from './table-writer.js';
import { SUMMARY_FILE, tableFileName } from '../layouts/descriptive-table.js';
import { planVariables, type VariablePlan } from './variable-plan.js';
import type { Chart } from './chart-figure.js';
import { standaloneSvg } from './standalone-svg.js';
import type { ColumnType } from './column-types.js';

export interface DescribeOptions {
  /** Glob of cohort files; those with a date in the name are described (with `tablesDir`). */
  cohort?: string;
  /** Glob of measure files: combined `measure_<id>.csv` files and ehrQL measures files are charted (with `graphsDir`). */
  measures?: string;
  tablesDir?: string;
  graphsDir?: string;
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
  const { tables: tablesAsked, graphs: graphsAsked } = checkPairs(options);
  const config = options.config === undefined ? DEFAULT_CONFIG : await loadDescribeConfig(options.config);
  if (tablesAsked !== null) await checkOutputFolder(tablesAsked.tablesDir, '--tables-dir');
  if (graphsAsked !== null) await checkOutputFolder(graphsAsked.graphsDir, '--graphs-dir');
  let cohortFiles: DatedFile[] = [];
  if (tablesAsked !== null) {
    cohortFiles = datedFiles(await findCohortFiles(tablesAsked.cohort, { option: '--cohort' }), '--cohort');
    if (cohortFiles.length === 0) {
      throw new UserError(`--cohort ${tablesAsked.cohort}: matches no dated cohort file (named <anything>_YYYY-MM-DD.csv or .csv.gz)`);
    }
  }
  // The worker threads start while the headers and the measure files are read.
  const workers = cohortFiles.length > 0 ? startWorkers(PROFILE_WORKER, Math.min(options.jobs ?? defaultJobs(), cohortFiles.length)) : null;
  try {
    if (tablesAsked !== null) await checkHeaders(cohortFiles, config);
    return await describeInputs({ options, config, tablesAsked, graphsAsked, cohortFiles, workers, started });
  } finally {
    workers?.close();
  }
}

/** The rest of runDescribe, once the cohort files are known and the workers starting. */
async function describeInputs({ options, config, tablesAsked, graphsAsked, cohortFiles, workers, started }: {
  options: DescribeOptions;
  config: DescribeConfig;
  tablesAsked: ReturnType<typeof checkPairs>['tables'];
  graphsAsked: ReturnType<typeof checkPairs>['graphs'];
  cohortFiles: DatedFile[];
  workers: StartedWorkers | null;
  started: number;
}): Promise<DescribeSummary> {
  const notForRelease = options.notForRelease === true;
  const series: ReleasedSeries[] = [];
  let emptyMeasureFiles: string[] = [];
  if (graphsAsked !== null) {
    const { series: measures, emptyFiles } = await readMeasureSources(graphsAsked.measures);
    emptyMeasureFiles = emptyFiles;
    const reserved = measures.find((m) => `${m.id}.html` === DASHBOARD_FILE);
    if (reserved) throw new UserError(`the measure id ${quote(reserved.id)} would overwrite ${DASHBOARD_FILE}; rename the measure`, { file: reserved.path });
    for (const measure of measures) series.push(releaseSeries(measure, notForRelease));
    checkChartIds(config, series);
    // A deciles chart's `by` values (practice ids) are never written: not as the lines of another chart either.
    const byColumns = decilesByColumns(config);
    for (const measure of series) {
      const deciles = config.deciles.get(measure.id);
      if (deciles === undefined) checkNotByColumn(measure, byColumns);
      else checkDecilesGrouping(measure, deciles, config.file);
    }
  }

  const warnings: string[] = [];
  const outputs: Array<{ path: string; content: string }> = [];
  let plans: VariablePlan[] = [];
  if (tablesAsked !== null) {
    const profiles = await profileCohorts(cohortFiles, config, options, workers);
    plans = planVariables(profiles, config.variables);
    const tables = describedTables(cohortFiles, profiles, plans, config, tablesAsked.tablesDir);
    outputs.push(...tables.outputs);
    warnings.push(...tables.warnings);
  }
  const tableCount = outputs.length;

  let chartCount = 0;
  if (graphsAsked !== null) {
    const lines = await buildCharts(series.filter((s) => !config.deciles.has(s.id)), config, notForRelease);
    const deciles = await buildDecilesCharts(series.filter((s) => config.deciles.has(s.id)), config, notForRelease);
    warnings.push(...lines.warnings, ...deciles.warnings);
    // In the order of the measure files, whatever their kind of chart.
    const built = new Map([...lines.charts, ...deciles.charts].map((chart) => [chart.id, chart]));
    const charts = series.map((s) => built.get(s.id)!);
    outputs.push(...graphFiles(charts, deciles.tables, config, graphsAsked.graphsDir, notForRelease, emptyMeasureFiles));
    chartCount = charts.length;
  }

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
    charts: chartCount,
    warnings,
    elapsedMs: performance.now() - started,
  };
}

/** Which halves were asked for: each needs both options of its pair, and at least one is needed. */
function checkPairs(options: DescribeOptions): { tables: { cohort: string; tablesDir: string } | null; graphs: { measures: string; graphsDir: string } | null } {
  const pair = (a: string, aValue: string | undefined, b: string, bValue: string | undefined, what: string) => {
    if (aValue === undefined && bValue === undefined) return false;
    if (aValue === undefined || bValue === undefined) {
      const [given, missing] = aValue === undefined ? [b, a] : [a, b];
      throw new UserError(`${given} needs ${missing}: ${a} with ${b} writes the ${what}`);
    }
    return true;
  };
  const tables = pair('--cohort', options.cohort, '--tables-dir', options.tablesDir, 'descriptive statistics tables');
  const graphs = pair('--measures', options.measures, '--graphs-dir', options.graphsDir, 'graphs');
  if (!tables && !graphs) {
    throw new UserError('nothing to do: give --cohort with --tables-dir for the tables, --measures with --graphs-dir for the graphs, or both');
  }
  return {
    tables: tables ? { cohort: options.cohort!, tablesDir: options.tablesDir! } : null,
    graphs: graphs ? { measures: options.measures!, graphsDir: options.graphsDir! } : null,
  };
}

/** A table per cohort file and the summary over every date, kept within the release limit on rows. */
function describedTables(files: readonly DatedFile[], profiles: readonly FileProfile[], plans: readonly VariablePlan[], config: DescribeConfig, tablesDir: string) {
  const outputs: Array<{ path: string; content: string }> = [];
  const warnings: string[] = [];
  const described = files.map((file, i) => ({ stem: file.stem, date: file.date, rows: profiles[i]!.rows, columns: profiles[i]!.columns }));
  for (const file of described) {
    const table = fileTable(file, plans);
    const path = join(tablesDir, tableFileName(file.stem));
    if (table.omitted.length > 0) warnings.push(`${path}: left out ${listNames(table.omitted)} to stay within 5,000 rows`);
    outputs.push({ path, content: table.csv });
  }
  const summaryPlans = config.summary === null ? plans : plans.filter((p) => config.summary!.includes(p.name));
  const summary = summaryTable(described, summaryPlans);
  const summaryPath = join(tablesDir, SUMMARY_FILE);
  if (summary.omitted.length > 0) {
    warnings.push(`${summaryPath}: left out ${listNames(summary.omitted)} to stay within 5,000 rows (choose fewer with "summary" in the config)`);
  }
  outputs.push({ path: summaryPath, content: summary.csv });
  return { outputs, warnings };
}

/** Per chart its spec, page and standalone SVG, and a deciles chart's table; then the dashboard. */
function graphFiles(
  charts: readonly Chart[],
  decilesTables: ReadonlyMap<string, readonly DecileRow[]>,
  config: DescribeConfig,
  graphsDir: string,
  notForRelease: boolean,
  emptyMeasureFiles: readonly string[],
): Array<{ path: string; content: string }> {
  const outputs: Array<{ path: string; content: string }> = [];
  const mark = notForRelease ? `${NOT_FOR_RELEASE}: counts not disclosure-controlled` : null;
  for (const chart of charts) {
    outputs.push({ path: join(graphsDir, `${chart.id}.vl.json`), content: `${JSON.stringify(chart.spec, null, 2)}\n` });
    outputs.push({ path: join(graphsDir, `${chart.id}.html`), content: chartPage(chart, notForRelease) });
    outputs.push({ path: join(graphsDir, `${chart.id}.svg`), content: standaloneSvg(chart.svg, notForRelease) });
    const deciles = decilesTables.get(chart.id);
    if (deciles !== undefined) outputs.push({ path: join(graphsDir, decilesTableFileName(chart.id)), content: formatDecilesTable(deciles, mark) });
  }
  outputs.push({ path: join(graphsDir, DASHBOARD_FILE), content: dashboardPage(charts, config.dashboard, notForRelease, emptyMeasureFiles.map((f) => basename(f))) });
  return outputs;
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

const PROFILE_WORKER = new URL('./worker.js', import.meta.url);

async function profileCohorts(files: readonly DatedFile[], config: DescribeConfig, options: DescribeOptions, started: StartedWorkers | null): Promise<FileProfile[]> {
  // The key, and the `by` column of every deciles chart, whose values (practice ids) are never written.
  const excluded = [...new Set([config.key, 'patient_id', ...decilesByColumns(config)])];
  const tasks: ProfileTask[] = files.map((file) => ({ path: file.path, types: config.variables, excluded }));
  return runPool({
    worker: PROFILE_WORKER,
    ...(started === null ? {} : { started }),
    handler: profileFile,
    init: null,
    tasks,
    jobs: options.jobs ?? defaultJobs(),
    progress: options.progress === false ? null : 'describe',
  });
}
