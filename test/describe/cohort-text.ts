// Builds small cohort CSVs for the describe tests: rows repeated a given number of times.

/** `header` then each [row, times] pair, repeated; patient ids are numbered from 1. */
export function cohortCsv(header: string, groups: ReadonlyArray<readonly [string, number]>): string {
  const lines = [`patient_id,${header}`];
  let id = 1;
  for (const [row, times] of groups) for (let i = 0; i < times; i++) lines.push(`${id++},${row}`);
  return `${lines.join('\n')}\n`;
}

/** A minimal combined measure file, for tests that are about the tables. */
export const ONE_MEASURE = 'sex,flag,population,value,date\nF,10,20,0.5,2020-01-01\nM,15,20,0.75,2020-01-01\n';

/** Parses a CSV the describe tables wrote (no quoted newlines) into rows of cells. */
export function csvRows(text: string): string[][] {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => {
      const cells: string[] = [];
      const pattern = /("(?:[^"]|"")*"|[^,]*)(,|$)/g;
      for (let match = pattern.exec(line); match !== null && match.index < line.length + 1; match = pattern.exec(line)) {
        const cell = match[1]!;
        cells.push(cell.startsWith('"') ? cell.slice(1, -1).replaceAll('""', '"') : cell);
        if (match[2] === '') break;
      }
      return cells;
    });
}
