// Output patterns as OpenSAFELY's pipeline accepts them: relative POSIX paths in normal form with
// a file extension, where only `*` is a wildcard (matching within one folder level), and matching
// them against the files in the project folder.

import { readdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { RELEASABLE_TYPES } from '../release/limits.js';

export type PrivacyLevel = 'highly_sensitive' | 'moderately_sensitive' | 'minimally_sensitive';
export const PRIVACY_LEVELS: readonly PrivacyLevel[] = ['highly_sensitive', 'moderately_sensitive', 'minimally_sensitive'];


/** Why a pattern is not allowed, or null when it is fine. */
export function patternProblem(pattern: string, level: PrivacyLevel): string | null {
  if (pattern.includes('\\')) return 'contains a backslash (use forward slashes only)';
  for (const wildcard of ['**', '?', '[']) {
    if (pattern.includes(wildcard)) return `contains ${JSON.stringify(wildcard)} (only the * wildcard is supported)`;
  }
  if (pattern.startsWith('/') || /^[A-Za-z]:/.test(pattern)) return 'is an absolute path (give a path inside the project folder)';
  if (posix.normalize(pattern) !== pattern || pattern.endsWith('/') || pattern.startsWith('./')) {
    return 'is not in standard form (it contains "//", "." or ".." parts, or ends with "/")';
  }
  if (pattern.split('/').includes('..')) return 'points outside the project folder';
  if (pattern === 'metadata' || pattern.startsWith('metadata/')) return 'is inside metadata/, which holds the logs';
  const extension = posix.extname(pattern);
  if (extension === '' || extension.includes('*')) return 'has no file type extension at the end (such as .csv)';
  if (level === 'moderately_sensitive' && !RELEASABLE_TYPES.includes(extension)) {
    return `is a ${extension} file, which cannot be released from moderately_sensitive outputs (allowed: ${RELEASABLE_TYPES.join(' ')})`;
  }
  return null;
}

/** Files (not folders) under `root` matching the pattern, as sorted relative POSIX paths. */
export async function matchPattern(root: string, pattern: string): Promise<string[]> {
  const segments = pattern.split('/');
  let current = [''];
  for (const [i, segment] of segments.entries()) {
    const last = i === segments.length - 1;
    const regex = segmentRegex(segment);
    const next: string[] = [];
    for (const dir of current) {
      let entries;
      try {
        entries = await readdir(join(root, dir), { withFileTypes: true });
      } catch {
        continue;
      }
      for (const entry of entries) {
        if (!regex.test(entry.name) || (last ? !entry.isFile() : !entry.isDirectory())) continue;
        next.push(dir === '' ? entry.name : `${dir}/${entry.name}`);
      }
    }
    current = next;
  }
  return current.sort();
}

/** `*` matches any characters but `/`; everything else literally. A leading dot must be matched literally, as in a shell. */
function segmentRegex(segment: string): RegExp {
  const body = segment
    .split('*')
    .map((part) => part.replace(/[.+^${}()|[\]\\?]/g, '\\$&'))
    .join('[^/]*');
  const hidden = segment.startsWith('.') ? '' : '(?!\\.)';
  return new RegExp(`^${hidden}${body}$`);
}

/** Whether a relative POSIX path matches a pattern. */
export function patternMatches(pattern: string, path: string): boolean {
  const segments = pattern.split('/');
  const parts = path.split('/');
  return segments.length === parts.length && segments.every((segment, i) => segmentRegex(segment).test(parts[i]!));
}
