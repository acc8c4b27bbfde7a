// metadata/manifest.json records how each action last ended, so a later run can tell whether a
// dependency is up to date. A missing or unreadable manifest just means nothing is known to be.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic-file.js';
import type { PrivacyLevel } from './patterns.js';

export interface ManifestEntry {
  /** `killed`: stopped by a signal passed on by `analyse run` when it was itself stopped. */
  status: 'succeeded' | 'failed' | 'killed';
  /** The run line it ran with. */
  run: string;
  /** When it finished (ISO 8601). */
  finished: string;
  durationMs: number;
  /** Its outputs (relative paths) and their privacy levels. */
  outputs: Record<string, PrivacyLevel>;
}

export interface Manifest {
  /** By action name (a Map: an action may be called "constructor"). */
  actions: Map<string, ManifestEntry>;
}

export const METADATA_DIR = 'metadata';

export function manifestPath(projectDir: string): string {
  return join(projectDir, METADATA_DIR, 'manifest.json');
}

export async function readManifest(projectDir: string): Promise<Manifest> {
  try {
    const parsed = JSON.parse(await readFile(manifestPath(projectDir), 'utf8')) as { actions?: unknown } | null;
    if (typeof parsed === 'object' && parsed !== null && typeof parsed.actions === 'object' && parsed.actions !== null) {
      return { actions: new Map(Object.entries(parsed.actions as Record<string, ManifestEntry>)) };
    }
  } catch {
    // Missing or damaged: every dependency will simply run again.
  }
  return { actions: new Map() };
}

export async function writeManifest(projectDir: string, manifest: Manifest): Promise<void> {
  const json = { actions: Object.fromEntries(manifest.actions) };
  await writeFileAtomic(manifestPath(projectDir), `${JSON.stringify(json, null, 2)}\n`);
}
