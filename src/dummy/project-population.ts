// The default --population: `expectations.population_size` of the project.yaml in the working
// folder, as cohort-extractor takes it, so the dummy data matches the pipeline it runs in.

import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { UserError } from '../errors.js';

/** Used when there is no project.yaml or it sets no population size (cohort-extractor's old default). */
export const DEFAULT_POPULATION = 1000;

export async function populationFromProject(file: string): Promise<number | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let project: unknown;
  try {
    project = parse(text);
  } catch (error) {
    throw new UserError(`not valid YAML (needed for the default --population): ${(error as Error).message.split('\n')[0]}`, { file });
  }
  const expectations = (project as { expectations?: { population_size?: unknown } } | null)?.expectations;
  const size = expectations?.population_size;
  if (size === undefined || size === null) return null;
  const n = typeof size === 'string' ? Number(size) : size;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new UserError(`expectations.population_size must be a whole number of 1 or more, got ${JSON.stringify(size)}`, { file });
  }
  return n;
}
