// What the check found in one file: problems (it cannot be released as it is) and warnings (an
// output checker should look at it).

export interface Findings {
  problems: string[];
  warnings: string[];
}
