// Quartiles by nearest rank over a value → patients distribution: the q-quantile is the value
// of the ⌈q·n⌉-th smallest value, always a value patients have (or a sketch bucket), so the
// release rule can ask how many patients share it.

export interface QuantileValue {
  value: number;
  /** Patients holding exactly this value (or falling in this sketch bucket). */
  shared: number;
}

/** The nearest-rank q-quantile of `distribution` ([value, patients] in increasing value); null when empty. */
export function nearestRank(distribution: ReadonlyArray<readonly [number, number]>, q: number): QuantileValue | null {
  const total = distribution.reduce((sum, [, patients]) => sum + patients, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const [value, patients] of distribution) {
    seen += patients;
    if (seen >= rank) return { value, shared: patients };
  }
  return null;
}
