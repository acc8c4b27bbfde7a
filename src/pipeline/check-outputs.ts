// After an action: which files its declared patterns match, which patterns match nothing (the
// action fails), which moderately_sensitive files break the release rules (excluded; the run
// exits 1), which files it wrote that no pattern of it declares (reported, not picked up), and
// which outputs of its earlier run it did not write again (obsolete: removed when it succeeds, as
// the job runner removes them, so a stale month never passes for a fresh one).

import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { matchPattern, type PrivacyLevel } from './patterns.js';
import type { ActionSpec, OutputSpec } from './project.js';
import { checkFile } from '../release/check/check-file.js';
import { filesWrittenSince } from './written-files.js';

export interface OutputCheck {
  /** Every matched file (relative POSIX path) with its privacy level, obsolete ones left out. */
  outputs: Map<string, PrivacyLevel>;
  unmatched: OutputSpec[];
  excluded: Array<{ path: string; reason: string }>;
  undeclared: string[];
  /** Outputs of the action's earlier run that this run did not write. */
  obsolete: string[];
}

export async function checkOutputs(action: ActionSpec, projectDir: string, startedMs: number, earlierOutputs: ReadonlySet<string>): Promise<OutputCheck> {
  const written = new Set(await filesWrittenSince(projectDir, startedMs));
  const outputs = new Map<string, PrivacyLevel>();
  const obsolete = new Set<string>();
  const unmatched: OutputSpec[] = [];
  for (const spec of action.outputs) {
    const files = (await matchPattern(projectDir, spec.pattern)).filter((file) => {
      const stale = earlierOutputs.has(file) && !written.has(file);
      if (stale) obsolete.add(file);
      return !stale;
    });
    if (files.length === 0) unmatched.push(spec);
    // A file declared at two levels is checked as the one that may be released.
    for (const file of files) if (outputs.get(file) !== 'moderately_sensitive') outputs.set(file, spec.level);
  }
  const excluded: OutputCheck['excluded'] = [];
  for (const [path, level] of outputs) {
    if (level !== 'moderately_sensitive') continue;
    // Counts must fit a released pattern, whichever the study uses ("round", "midpoint6" or "suppress").
    const { problems } = await checkFile(join(projectDir, path), path, { rule: 'any' });
    if (problems.length > 0) excluded.push({ path, reason: summarise(problems) });
  }
  const undeclared = [...written].filter((file) => !outputs.has(file)).sort();
  return { outputs, unmatched, excluded, undeclared, obsolete: [...obsolete].sort() };
}

/** Whether every declared pattern matches a file and every output recorded for the last run still exists. */
export async function outputsPresent(action: ActionSpec, projectDir: string, recorded: Iterable<string>): Promise<boolean> {
  for (const spec of action.outputs) if ((await matchPattern(projectDir, spec.pattern)).length === 0) return false;
  for (const path of recorded) {
    try {
      await access(join(projectDir, path));
    } catch {
      return false;
    }
  }
  return true;
}

/** The first problems of a file, for one line of the run's summary; the rest are counted. */
function summarise(problems: readonly string[]): string {
  const shown = problems.slice(0, MAX_PROBLEMS_SHOWN).join('; ');
  const more = problems.length - MAX_PROBLEMS_SHOWN;
  return more > 0 ? `${shown}; and ${more} more (analyse check lists them all)` : shown;
}

const MAX_PROBLEMS_SHOWN = 3;
