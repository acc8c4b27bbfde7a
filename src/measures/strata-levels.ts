// What the levels of a standardised measure's `by` column stand for: each level belongs to one
// stratum with one weight (a level with its own weight, or an age in the band of the 2013
// European Standard Population holding it). A level that has no stratum is an error naming the
// cohort file, the first line holding it and the column.

import { UserError, listNames, quote } from '../errors.js';
import { readCsvFile } from '../csv/read-file.js';
import type { Standardisation } from './definitions.js';
import { ESP2013_WEIGHTS, esp2013Band } from './esp2013.js';

/** Whole years, as cohort-extractor writes ages: digits only. */
const WHOLE_YEARS = /^[0-9]+$/;

/** The stratum of a level of `by` (itself, or its ESP 2013 band); null when it has none. */
export function stratumOf({ weights }: Standardisation, level: string): string | null {
  if (weights === 'esp2013') return WHOLE_YEARS.test(level) ? esp2013Band(Number(level)) : null;
  return weights.has(level) ? level : null;
}

/** The standard population weight of a stratum (as stratumOf gives it). */
export function weightOf({ weights }: Standardisation, stratum: string): number {
  const weight = (weights === 'esp2013' ? ESP2013_WEIGHTS : weights).get(stratum);
  if (weight === undefined) throw new Error(`bug: the stratum ${quote(stratum)} has no weight`);
  return weight;
}

/** Why a level has no stratum, for the message. */
function levelProblem({ by, weights }: Standardisation, level: string): string {
  if (weights === 'esp2013') {
    return `${quote(level)} is not an age in whole years (such as 67), which "weights": "esp2013" needs to find its band of the 2013 European Standard Population`;
  }
  const levels = [...weights.keys()];
  return `${quote(level)} has no weight in standardise.weights, which gives weights for ${listNames(levels.slice(0, 20))}${levels.length > 20 ? ' and others' : ''}; give every level of ${quote(by)} a weight`;
}

/**
 * Checks the levels of `by` found in one cohort file: the first one without a stratum is an
 * error on the first line that holds it (the file is read again to find that line, which
 * happens only on this error path).
 */
export async function checkLevels(measureId: string, standardise: Standardisation, levels: readonly string[], file: string): Promise<void> {
  const bad = levels.find((level) => stratumOf(standardise, level) === null);
  if (bad === undefined) return;
  const reason = `${levelProblem(standardise, bad)} (measure ${quote(measureId)} is standardised over it)`;
  let field = -1;
  await readCsvFile(file, {
    header(names) {
      field = names.indexOf(standardise.by);
    },
    row(row) {
      if (row.text(field) === bad) throw new UserError(reason, { file, line: row.lineOfField(field), column: standardise.by });
    },
  });
  throw new UserError(reason, { file, column: standardise.by });
}
