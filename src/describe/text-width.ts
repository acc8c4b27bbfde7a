// How wide Vega lays text out when it renders in Node. Vega measures text with a canvas, which
// Node has not; its fallback counts 0.8 em for every character, about half again as wide as the
// text is drawn, so a long title made a chart's SVG far wider than its plot and the page shrank
// it. This estimate uses the widths of a wide sans-serif font's characters (DejaVu Sans, as a
// Linux browser draws system-ui), by class, erring wide so no text is ever cut off.

/** The parts of a Vega text item the width depends on. */
export interface TextItem {
  fontSize?: number | string;
  fontWeight?: number | string;
  /** Vega truncates a text to this many pixels (with an ellipsis) when it is above 0. */
  limit?: number;
}

const NARROW = new Set("fijlrtI.,:;!|'()[]{} ");
const WIDE = new Set('mwMW@%');

/** Width in ems of one character of a regular sans-serif font. */
function emsOf(char: string): number {
  if (NARROW.has(char)) return 0.36;
  if (WIDE.has(char)) return 0.95;
  if (char >= 'A' && char <= 'Z') return 0.74;
  if (char >= '0' && char <= '9') return 0.66;
  return 0.64;
}

/** Pixels `text` takes in `item`'s font (bold a little wider), within the item's limit. */
export function estimateTextWidth(item: TextItem, text: unknown): number {
  const value = text === null || text === undefined ? '' : String(text).trim();
  const size = item.fontSize === undefined ? 11 : Number(item.fontSize) || 0;
  const bold = item.fontWeight === 'bold' || Number(item.fontWeight) >= 600;
  let ems = 0;
  for (const char of value) ems += emsOf(char);
  const width = Math.ceil(ems * size * (bold ? 1.12 : 1));
  return item.limit !== undefined && item.limit > 0 ? Math.min(width, item.limit) : width;
}
