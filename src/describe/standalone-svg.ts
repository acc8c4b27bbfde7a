// A chart as a figure file for a manuscript: the SVG Vega rendered for the page, as a document of
// its own (an XML declaration, text as text, no reference to anything outside it), marked NOT FOR
// RELEASE right at its top when the page is, where `analyse check` looks for the mark.

import { NOT_FOR_RELEASE } from '../release/marker.js';

export function standaloneSvg(svg: string, notForRelease: boolean): string {
  const mark = notForRelease ? `<!-- ${NOT_FOR_RELEASE}: counts not disclosure-controlled (describe --not-for-release) -->\n` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>\n${mark}${svg}\n`;
}
