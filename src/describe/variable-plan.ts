// Decides, over every cohort file, how each column is described: its type (from the config, or
// inferred from the profiles) and, for flags, categories and dates, the levels every file lists,
// so a level shown in one month and small or absent in another still appears (blank) in both.

import { MAX_CATEGORICAL_LEVELS, MAX_CODED_LEVELS, isFlagText, isWholeNumberText, type ColumnType, type ConfiguredType } from './column-types.js';
import { numberOfText } from '../csv/cell-number.js';
import type { ColumnProfileData } from './column-profile.js';
import type { FileProfile } from './profile-file.js';
import { MIN_SHARED_VALUE } from '../release/statistics.js';

export interface VariablePlan {
  name: string;
  type: ColumnType;
  /** Levels listed for a flag or categorical variable (years for a date), in display order. */
  levels: string[];
}

/** One plan per described column, in order of first appearance over the files. */
export function planVariables(files: readonly FileProfile[], configured: ReadonlyMap<string, ConfiguredType>): VariablePlan[] {
  const byName = new Map<string, ColumnProfileData[]>();
  for (const file of files) {
    for (const column of file.columns) {
      const list = byName.get(column.name);
      if (list) list.push(column);
      else byName.set(column.name, [column]);
    }
  }
  return [...byName].map(([name, profiles]) => {
    const setting = configured.get(name);
    const type = setting !== undefined && setting !== 'ignore' ? setting : inferType(profiles);
    return { name, type, levels: levelsOf(type, profiles) };
  });
}

/** The rules the README documents, in this order: flag, date, coded (categorical), numeric, categorical, text. */
export function inferType(profiles: readonly ColumnProfileData[]): ColumnType {
  if (profiles.every((p) => p.present === 0)) return 'text';
  const levels = unionOfLevels(profiles);
  if (levels !== null && [...levels].every(isFlagText)) return 'flag';
  if (profiles.every((p) => p.years !== null)) return 'date';
  if (levels !== null && levels.size <= MAX_CODED_LEVELS && [...levels].every(isWholeNumberText)) return 'categorical';
  if (profiles.every((p) => p.numeric !== null)) return 'numeric';
  if (levels !== null && levels.size <= MAX_CATEGORICAL_LEVELS) return 'categorical';
  return 'text';
}

function levelsOf(type: ColumnType, profiles: readonly ColumnProfileData[]): string[] {
  if (type === 'flag') return ['0', '1'];
  if (type === 'date') return [...sharedValues(profiles.map((p) => p.years ?? []))].sort((a, b) => a - b).map(String);
  if (type !== 'categorical') return [];
  return sortLevels([...sharedValues(profiles.map((p) => p.levels ?? []))]);
}

/**
 * The values (levels or years) that at least MIN_SHARED_VALUE patients hold in some file, so
 * their count shows there. A value fewer share in every month could be one patient's (a
 * free-text note, an id, the year of someone's earliest event), so it is never listed.
 */
function sharedValues<T>(perFile: ReadonlyArray<ReadonlyArray<readonly [T, number]>>): Set<T> {
  const shared = new Set<T>();
  for (const counts of perFile) for (const [value, patients] of counts) if (patients >= MIN_SHARED_VALUE) shared.add(value);
  return shared;
}

function unionOfLevels(profiles: readonly ColumnProfileData[]): Set<string> | null {
  const union = new Set<string>();
  for (const p of profiles) {
    if (p.levels === null) return null;
    for (const [level] of p.levels) union.add(level);
  }
  return union;
}

/** Numeric codes in numeric order (2 before 10), anything else in code-point order. */
function sortLevels(levels: string[]): string[] {
  const numbers = levels.map(numberOfText);
  if (numbers.every((n) => n !== null)) {
    return levels.map((level, i) => [level, numbers[i]!] as const).sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)).map(([level]) => level);
  }
  return levels.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
