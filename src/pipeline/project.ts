// A checked project.yaml: the pipeline's actions, what each runs, needs and declares as outputs.

import type { PrivacyLevel } from './patterns.js';

export interface OutputSpec {
  level: PrivacyLevel;
  /** The name the output is given in project.yaml (e.g. `cohort`). */
  name: string;
  /** Relative POSIX path pattern; `*` is the only wildcard. */
  pattern: string;
}

export interface ActionSpec {
  name: string;
  /** The `run:` line as written. */
  run: string;
  /** The run line split into words. */
  command: string[];
  needs: string[];
  outputs: OutputSpec[];
}

export interface Project {
  /** project.yaml as given, for messages. */
  file: string;
  /** The folder holding project.yaml: where every action runs. */
  dir: string;
  populationSize: number;
  /** In the order project.yaml lists them. */
  actions: ActionSpec[];
}

/** The magic action name that OpenSAFELY reads as "every action". */
export const RUN_ALL = 'run_all';
