// Suggests the valid name a mistyped one was probably meant to be.

/** The candidate with the smallest edit distance to `name` (case-insensitive), the first on a tie. */
export function closestName(name: string, candidates: readonly string[]): string {
  let best = candidates[0] ?? '';
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The candidate `name` was probably meant to be, or null when none is close enough to be a typo
 * (at most two edits, or a third of the name's length for longer names, and fewer edits than the
 * name has letters: any one-letter name is one edit from any other).
 */
export function suggestName(name: string, candidates: readonly string[]): string | null {
  const best = closestName(name, candidates);
  if (best === '') return null;
  const distance = editDistance(name.toLowerCase(), best.toLowerCase());
  return distance < name.length && distance <= Math.max(2, Math.floor(name.length / 3)) ? best : null;
}
