// The one reading of a cell as a number, shared by every reader of numeric cells (profiles,
// measure files): a plain decimal, optionally signed, optionally with an exponent.

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The number a cell holds, or null when it is not a plain decimal number. */
export function numberOfText(text: string): number | null {
  if (!NUMBER.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}
