// An action's outputs must stay inside the project folder. Patterns with `..` are refused when
// project.yaml is read; this checks, before anything runs, that no folder or file on the way to
// an output is a symbolic link leading out of the project (output/ linked to a shared drive).
// After an action, only real files under real folders match its patterns (see patterns.ts).

import { lstat, readdir, readlink, realpath } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { UserError, quote } from '../errors.js';
import { errorCode } from '../io/fs-errors.js';
import { patternMatches } from './patterns.js';
import type { ActionSpec, Project } from './project.js';

export async function checkOutputPaths(project: Project, actions: readonly ActionSpec[]): Promise<void> {
  const root = await realpath(project.dir);
  for (const action of actions) {
    for (const output of action.outputs) {
      const escape = await findEscape(project.dir, root, output.pattern);
      if (escape !== null) {
        throw new UserError(
          `action ${quote(action.name)}: output ${quote(output.pattern)} leads outside the project folder: ${escape.link} is a symbolic link to ${escape.target}; outputs must stay inside the project. Nothing was run`,
          { file: project.file },
        );
      }
    }
  }
}

interface Escape {
  /** The link, relative to the project folder. */
  link: string;
  /** Where it leads. */
  target: string;
}

/** The first symbolic link on the way to a file the pattern can match that leads out of `root`. */
async function findEscape(projectDir: string, root: string, pattern: string): Promise<Escape | null> {
  const segments = pattern.split('/');
  let current = [''];
  for (const [i, segment] of segments.entries()) {
    const next: string[] = [];
    for (const dir of current) {
      const names = segment.includes('*') ? await namesIn(join(projectDir, dir), segment) : [segment];
      for (const name of names) {
        const path = dir === '' ? name : `${dir}/${name}`;
        let stats;
        try {
          stats = await lstat(join(projectDir, path));
        } catch (error) {
          if (errorCode(error) === 'ENOENT') continue;
          throw error;
        }
        if (stats.isSymbolicLink()) {
          const target = await linkTarget(join(projectDir, path));
          if (!isInside(root, target)) return { link: path, target };
        }
        if (i < segments.length - 1) next.push(path);
      }
    }
    current = next;
  }
  return null;
}

async function namesIn(dir: string, segment: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((name) => patternMatches(segment, name));
  } catch {
    return [];
  }
}

/** Where a link leads: its real path, or for a link to nothing (or a loop) the path it names. */
async function linkTarget(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return resolve(dirname(path), await readlink(path));
  }
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel));
}
