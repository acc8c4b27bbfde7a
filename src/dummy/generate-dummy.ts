// The generate-dummy stage: checks the schema and arguments, simulates one population, then writes
// one cohort file per index date from it. Every file is staged first and all are renamed into
// place only when every one is complete, so a failure leaves the output folder as it was.

import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { AtomicFile } from '../io/atomic-file.js';
import { checkOutputFolder } from '../io/folders.js';
import { errorCode, fsError } from '../io/fs-errors.js';
import { createProgress, formatCount } from '../progress.js';
import { cohortRows, sharedBetween } from './cohort-rows.js';
import { dayOfIsoDate } from '../dates.js';
import { ymdNumber } from './dates.js';
import { parseIndexDateRange } from './date-range.js';
import { loadSchema } from './load-schema.js';
import { HORIZON_END, HORIZON_START, simulatePopulation } from './population.js';
import { loadPopulationSize } from '../pipeline/load-project.js';
import { inputError, showValue } from '../input/shapes.js';
import { compileColumns } from './variables.js';
import { stageCohortFile, type StagedFile } from './write-cohort.js';

export const DEFAULT_SEED = 1;
export const MAX_POPULATION = 20_000_000;
/** Used when there is no project.yaml or it sets no population size (cohort-extractor's old default). */
export const DEFAULT_POPULATION = 1000;

export interface GenerateDummyOptions {
  /** The schema file (JSON) describing the study definition's columns. */
  schema: string;
  /** Folder to write `input<suffix>_<date>.csv` files into (created if missing). */
  outputDir: string;
  /** e.g. "2019-03-01 to 2021-03-01 by month"; without it one file for the schema's index_date. */
  indexDateRange?: string;
  /** People in the simulated population on any date. Default: project.yaml's expectations.population_size, else 1000. */
  population?: number;
  /** Seed of the simulation. Default 1, so two runs give the same bytes. */
  seed?: number;
  /** project.yaml to take the default population from. Default `project.yaml` in the working folder. */
  projectFile?: string;
  /** Show progress on stderr when it is a terminal. Default true. */
  progress?: boolean;
}

export interface GenerateDummySummary {
  files: Array<{ path: string; date: string | null; rows: number }>;
  rows: number;
  population: number;
  /** Where the population size came from. */
  populationFrom: 'option' | 'project' | 'default';
  /** People simulated: everyone in the population at some time between 2010 and 2035. */
  simulatedPeople: number;
  seed: number;
  /** Share of the last file's patients who are also in the first file (how persistent ids are). */
  sharedWithFirst: number | null;
  warnings: string[];
  elapsedMs: number;
}

export async function generateDummy(options: GenerateDummyOptions): Promise<GenerateDummySummary> {
  const started = performance.now();
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new UserError(`--seed ${seed}: expected a whole number from 0 to 4294967295`);
  const schema = await loadSchema(options.schema);
  const dates = options.indexDateRange !== undefined ? parseIndexDateRange(options.indexDateRange) : null;
  if (dates === null && schema.indexDate === null) {
    throw new UserError('give --index-date-range, or an "index_date" in the schema for a single file', { file: options.schema });
  }
  const { population, populationFrom } = await resolvePopulation(options);
  const warnings = horizonWarnings(dates ?? [schema.indexDate!]);

  const targets = (dates ?? [null]).map((date) => ({
    date,
    path: join(options.outputDir, date === null ? `input${schema.suffix}.csv` : `input${schema.suffix}_${date}.csv`),
  }));
  await checkOutputFolder(options.outputDir, '--output-dir');
  for (const target of targets) await checkWritable(target.path);

  const people = simulatePopulation(population, seed);
  const columns = compileColumns(schema.variables, people);
  const header = ['patient_id', ...schema.variables.map((v) => v.name)];
  const progress = options.progress === false ? null : createProgress({ label: 'generate-dummy', totalFiles: targets.length });
  const staged: StagedFile[] = [];
  const indexDates = targets.map((t) => {
    const day = dayOfIsoDate(t.date ?? schema.indexDate!)!;
    return { day, ymd: ymdNumber(day) };
  });
  let rowsBefore = 0;
  try {
    for (const [i, target] of targets.entries()) {
      const rows = cohortRows(people, schema.population, columns, indexDates[i]!);
      const file = await stageCohortFile(target.path, header, rows, (n) => progress?.update(rowsBefore + n, i));
      staged.push(file);
      rowsBefore += file.rows;
      progress?.update(rowsBefore, i + 1);
    }
    await AtomicFile.commitAll(staged.map(({ file }) => file));
  } catch (error) {
    await Promise.all(staged.map(({ file }) => file.abort()));
    throw error;
  } finally {
    progress?.stop();
  }
  return {
    files: targets.map((t, i) => ({ path: t.path, date: t.date, rows: staged[i]!.rows })),
    rows: rowsBefore,
    population,
    populationFrom,
    simulatedPeople: people.count,
    seed,
    sharedWithFirst: indexDates.length > 1 ? sharedBetween(people, schema.population, indexDates[0]!, indexDates[indexDates.length - 1]!) : null,
    warnings,
    elapsedMs: performance.now() - started,
  };
}

async function resolvePopulation(options: GenerateDummyOptions): Promise<{ population: number; populationFrom: GenerateDummySummary['populationFrom'] }> {
  if (options.population !== undefined) {
    if (!Number.isInteger(options.population) || options.population < 1 || options.population > MAX_POPULATION) {
      throw new UserError(`--population ${options.population}: expected a whole number from 1 to ${formatCount(MAX_POPULATION)}`);
    }
    return { population: options.population, populationFrom: 'option' };
  }
  const fromProject = await loadPopulationSize(options.projectFile ?? 'project.yaml');
  if (fromProject !== null && fromProject > MAX_POPULATION) {
    const problem = `expected a whole number from 1 to ${formatCount(MAX_POPULATION)} (the most generate-dummy simulates), got ${showValue(fromProject)}`;
    throw inputError(options.projectFile ?? 'project.yaml', ['expectations', 'population_size'], problem);
  }
  return fromProject === null ? { population: DEFAULT_POPULATION, populationFrom: 'default' } : { population: fromProject, populationFrom: 'project' };
}

/** A folder in a file's place would fail its rename after others were already in place. */
async function checkWritable(path: string): Promise<void> {
  try {
    if (!(await stat(path)).isFile()) throw new UserError('is in the way of a cohort file: it exists and is not a file', { file: path });
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw fsError(error, path, 'write');
  }
}

function horizonWarnings(dates: readonly string[]): string[] {
  const outside = dates.filter((d) => dayOfIsoDate(d)! < HORIZON_START || dayOfIsoDate(d)! >= HORIZON_END);
  if (outside.length === 0) return [];
  return [`${outside.length} index date(s) fall outside 2010-01-01 to 2034-12-31, where the simulated population is steady; it thins out there (e.g. ${outside[0]})`];
}
