// Checks a folder of outputs meant for release (moderately_sensitive) with `analyse check`'s own
// checker (src/release/check), for any stage's tests: every problem and every warning, as
// "relative/path: finding"; empty when all is well.

import { relative } from 'node:path';
import { checkPaths } from '../../src/release/check/check-paths.js';

export async function scanReleaseFolder(dir: string, rule: 'round' | 'midpoint6' = 'round'): Promise<string[]> {
  const report = await checkPaths([dir], { rule });
  return report.files.flatMap((file) => [
    ...file.problems.map((problem) => `${relative(dir, file.path)}: ${problem}`),
    ...file.warnings.map((warning) => `${relative(dir, file.path)}: warning: ${warning}`),
  ]);
}
