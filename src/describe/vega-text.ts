// Text from the data inside a Vega spec. Vega's expression parser looks string literals up in a
// plain object of keywords, so a literal that names an Object property ("constructor",
// "toString", a group column or group called so) turns into an identifier and the chart fails
// to render. Such a text is written as an expression joining two literals, which shows the same.

/** Whether Vega would mistake the text, as a string literal, for an identifier. */
function misread(text: string): boolean {
  return text in Object.prototype;
}

/** A Vega expression whose value is `text`. */
function literal(text: string): string {
  return misread(text) ? `${JSON.stringify(text.slice(0, 1))} + ${JSON.stringify(text.slice(1))}` : JSON.stringify(text);
}

/** A title or label: the text itself, or a signal of it when Vega would misread it. */
export function vegaText(text: string): string | { signal: string } {
  return misread(text) ? { signal: literal(text) } : text;
}

/** A list of values (legend entries): as it is, or a signal of it when Vega would misread one. */
export function vegaTextList(texts: readonly string[]): string[] | { signal: string } {
  return texts.some(misread) ? { signal: `[${texts.map(literal).join(', ')}]` } : [...texts];
}
