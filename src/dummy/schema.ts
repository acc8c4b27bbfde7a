// A dummy-data schema, checked: what one study definition's cohort files look like. The JSON
// mirrors cohort-extractor's return_expectations (category ratios, incidence, int distributions,
// date earliest/latest with a rate) and adds what persistence over time needs (see README).

/** A share that may change over time: linear between dated points, constant beyond them. */
export interface Incidence {
  /** Days since 1970-01-01, ascending, with the share at each. One point means constant. */
  days: number[];
  values: number[];
}

export type IntDistribution =
  | { distribution: 'population_ages' }
  | { distribution: 'normal'; mean: number; stddev: number }
  | { distribution: 'uniform'; min: number; max: number }
  | { distribution: 'poisson'; mean: number };

/** A date bound: a fixed day, or the index date of each file. */
export type DateBound = number | 'index_date';

export type DateFormat = 'YYYY' | 'YYYY-MM' | 'YYYY-MM-DD';

/** How a flag's share differs between the practices of a practice variable. */
export interface PracticeVariation {
  /** The practice variable. */
  of: string;
  /** Standard deviation, across practices, of the shift in the flag's log odds. */
  sd: number;
}

interface Named {
  name: string;
}

export type VariableSpec = Named &
  (
    | { kind: 'category'; labels: string[]; ratios: number[]; incidence: Incidence }
    | { kind: 'int'; int: IntDistribution; incidence: Incidence }
    | { kind: 'code'; prefix: string; min: number; max: number; digits: number; incidence: Incidence }
    | { kind: 'date'; earliest: DateBound; latest: DateBound; rate: 'uniform' | 'exponential_increase'; format: DateFormat; incidence: Incidence }
    | { kind: 'bool'; incidence: Incidence; persistence: number; practiceVariation: PracticeVariation | null }
    | { kind: 'previous'; of: string; months: number[] }
    | { kind: 'derived'; allOf: string[]; noneOf: string[] }
    | { kind: 'bands'; of: string; bands: Array<{ label: string; min: number; max: number }>; otherwise: string }
    | { kind: 'practice'; count: number }
  );

export type VariableKind = VariableSpec['kind'];

export interface PopulationFilter {
  /** true: only people in a care home on the index date; false: only people not in one. */
  careHome: boolean | null;
  /** Age on the index date. */
  minAge: number | null;
  maxAge: number | null;
  /** Everyone registered at any time between these days (inclusive), not only on the index date. */
  registeredBetween: [number, number] | null;
}

export interface DummySchema {
  /** The schema file, for messages. */
  file: string;
  /** Added to `input` in file names: `input<suffix>_<date>.csv`. */
  suffix: string;
  /** The date of the single file written without --index-date-range (YYYY-MM-DD). */
  indexDate: string | null;
  population: PopulationFilter;
  /** In column order; `patient_id` comes first and is not listed. */
  variables: VariableSpec[];
}

/** Kinds whose value is a 0/1 flag that can be asked for at any date. */
export const FLAG_KINDS: ReadonlySet<VariableKind> = new Set(['bool', 'previous', 'derived']);
