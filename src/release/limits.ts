// What a moderately_sensitive file may be, as the OpenSAFELY job runner checks it before release:
// the one place these limits are set, for the stages that keep within them and for `analyse run`,
// which checks every declared output against them.

/** No released file may be larger. */
export const MAX_RELEASE_BYTES = 16 * 1024 * 1024;

/** No released CSV may hold more data rows. */
export const MAX_RELEASE_CSV_ROWS = 5000;

/** File types the OpenSAFELY job runner lets out of a moderately_sensitive folder. */
export const RELEASABLE_TYPES: readonly string[] = ['.csv', '.html', '.json', '.txt', '.md', '.log', '.png', '.jpg', '.jpeg', '.svg', '.svgz'];
