// metadata/<action>.log: what the action printed, then, as the job runner appends it, how it
// ended and what became of its outputs. Written atomically when the action ends.

import { join } from 'node:path';
import { AtomicFile } from '../io/atomic-file.js';
import { formatDuration } from '../progress.js';
import type { OutputCheck } from './check-outputs.js';
import type { Execution } from './execute.js';
import { METADATA_DIR } from './manifest.js';
import type { ActionSpec } from './project.js';

export function logPath(action: ActionSpec): string {
  return `${METADATA_DIR}/${action.name}.log`;
}

export async function openActionLog(projectDir: string, action: ActionSpec, reason: string): Promise<AtomicFile> {
  const log = await AtomicFile.open(join(projectDir, logPath(action)));
  await log.write(`action: ${action.name}\nrun: ${action.run}\nwhy: ${reason}\nstarted: ${new Date().toISOString()}\n\n`);
  return log;
}

/** `killed`: why the action was stopped by `analyse run` itself, or null. */
export function logFooter(execution: Execution, check: OutputCheck | null, killed: string | null = null): string {
  const lines = ['', '---'];
  lines.push(`exit code: ${execution.startError ?? (execution.exitCode ?? `killed by ${execution.signal}`)}`);
  if (killed !== null) lines.push(`status: ${killed}`);
  lines.push(`finished: ${new Date().toISOString()} (${formatDuration(execution.durationMs)})`);
  if (check) {
    lines.push('', 'outputs:');
    if (check.outputs.size === 0) lines.push('  (none)');
    for (const [path, level] of [...check.outputs].sort(([a], [b]) => (a < b ? -1 : 1))) lines.push(`  ${path}  - ${level}`);
    if (check.unmatched.length > 0) {
      lines.push('', 'declared outputs that matched no file (the action failed):');
      for (const spec of check.unmatched) lines.push(`  ${spec.name}: ${spec.pattern}  - ${spec.level}`);
    }
    if (check.excluded.length > 0) {
      lines.push('', 'moderately_sensitive outputs excluded from release:');
      for (const { path, reason } of check.excluded) lines.push(`  ${path}  - ${reason}`);
    }
    if (check.obsolete.length > 0) {
      lines.push('', 'outputs of an earlier run not written again, removed as obsolete:');
      for (const path of check.obsolete) lines.push(`  ${path}`);
    }
    if (check.undeclared.length > 0) {
      lines.push('', 'files written but not declared as outputs of this action:');
      for (const path of check.undeclared) lines.push(`  ${path}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
