// The long-form rows describing one cohort file: the population, then each variable by its type,
// every count released through the disclosure rules. `full` is the per-file table; `summary`
// is the shorter form repeated for every date in the summary table.

import type { ColumnProfileData } from './column-profile.js';
import {
  MIN_COUNT_FOR_SUMMARY,
  MIN_SHARED_VALUE,
  formatSummaryValue,
  releasedCount,
  releasedPercent,
} from '../release/statistics.js';
import { roundCount } from '../release/rules.js';
import { meanAndSdReleasable } from '../release/dominance.js';
import type { NumericData } from './numeric-accumulator.js';
import { nearestRank } from './quartiles.js';
import type { VariablePlan } from './variable-plan.js';
import type { Statistic, StatisticRow } from '../layouts/descriptive-table.js';


export type Detail = 'full' | 'summary';

export function populationRows(rows: number): StatisticRow[] {
  return [{ variable: 'population', type: 'population', level: '', statistic: 'count', value: text(releasedCount(rows)) }];
}

/** Rows for one variable in one file (`population` = the file's row count). */
export function variableRows(plan: VariablePlan, profile: ColumnProfileData, population: number, detail: Detail): StatisticRow[] {
  const total = releasedCount(population);
  const out: StatisticRow[] = [];
  const add = (level: string, statistic: Statistic, value: string | number | null) =>
    out.push({ variable: plan.name, type: plan.type, level, statistic, value: text(value) });
  const addLevel = (level: string, statistic: 'count' | 'missing', count: number) => {
    const shown = releasedCount(count);
    add(level, statistic, shown);
    add(level, 'percent', releasedPercent(shown, total));
  };

  switch (plan.type) {
    case 'flag':
    case 'categorical': {
      const counts = new Map(profile.levels ?? []);
      const levels = plan.type === 'flag' && detail === 'summary' ? ['1'] : plan.levels;
      for (const level of levels) addLevel(level, 'count', counts.get(level) ?? 0);
      if (plan.type === 'categorical' || detail === 'full') addLevel('', 'missing', profile.missing);
      break;
    }
    case 'date': {
      add('', 'count', releasedCount(profile.present));
      add('', 'missing', releasedCount(profile.missing));
      if (detail === 'full') {
        const counts = new Map((profile.years ?? []).map(([year, n]) => [String(year), n]));
        for (const year of plan.levels) addLevel(year, 'count', counts.get(year) ?? 0);
      }
      break;
    }
    case 'numeric': {
      add('', 'count', releasedCount(profile.present));
      add('', 'missing', releasedCount(profile.missing));
      const summary = numericSummary(profile.numeric);
      const wanted = detail === 'full' ? (['mean', 'sd', 'p25', 'median', 'p75'] as const) : (['mean', 'median'] as const);
      for (const statistic of wanted) add('', statistic, summary[statistic]);
      break;
    }
    case 'text':
      add('', 'count', releasedCount(profile.present));
      add('', 'missing', releasedCount(profile.missing));
      break;
  }
  return out;
}

type NumericSummary = Record<'mean' | 'sd' | 'p25' | 'median' | 'p75', string | null>;

/** Mean, sd and quartiles as released: see the README's disclosure rules. */
export function numericSummary(numeric: NumericData | null): NumericSummary {
  const none: NumericSummary = { mean: null, sd: null, p25: null, median: null, p75: null };
  if (numeric === null || roundCount(numeric.count) < MIN_COUNT_FOR_SUMMARY) return none;
  const quartile = (q: number): string | null => {
    const found = nearestRank(numeric.distribution, q);
    if (found === null || found.shared < MIN_SHARED_VALUE) return null;
    // An exact value is one many patients share; a sketch bucket stands for values within 1%.
    return numeric.exact ? String(found.value) : String(Number(found.value.toPrecision(3)));
  };
  // A mean or sd that one outlying value dominates would give that value away.
  const spread = meanAndSdReleasable(numeric);
  return {
    mean: spread ? formatSummaryValue(numeric.mean) : null,
    sd: spread && numeric.count > 1 ? formatSummaryValue(Math.sqrt(numeric.m2 / (numeric.count - 1))) : null,
    p25: quartile(0.25),
    median: quartile(0.5),
    p75: quartile(0.75),
  };
}

function text(value: string | number | null): string {
  return value === null ? '' : String(value);
}
