// Reads one cohort file, streaming, into a profile of every described column. Memory depends on
// the number of columns and distinct values (bounded), never on the number of rows.

import { UserError, quote } from '../errors.js';
import { readCsvFile } from '../csv/read-file.js';
import { checkDistinct } from '../csv/header.js';
import type { CsvHandlers } from '../csv/reader.js';
import { readWithFallback } from '../csv/compiled.js';
import type { TaskHandler } from '../parallel/protocol.js';
import { describeType, MAX_TRACKED_LEVELS, type ConfiguredType } from './column-types.js';
import { ColumnProfile, type ColumnProfileData } from './column-profile.js';
import { NativeProfiler } from './native-profiler.js';

export interface ProfileTask {
  path: string;
  /** Types the config sets, by column; `ignore`d columns are not read. */
  types: ReadonlyMap<string, ConfiguredType>;
  /** Columns never described (the patient key). */
  excluded: readonly string[];
}

export interface FileProfile {
  path: string;
  rows: number;
  /** Described columns in file order. */
  columns: ColumnProfileData[];
}

/** CSV handlers that profile a file's rows, and `finish` to collect the profile once it is read. */
export interface FileProfiler {
  handlers: CsvHandlers;
  finish(rows: number): FileProfile;
}

/** `native`: hand the rows to the compiled profile path where it is built (see native-profiler.ts). */
export function createFileProfiler(task: ProfileTask, native = false): FileProfiler {
  const profiles: ColumnProfile[] = [];
  const fields: number[] = [];
  let compiled: NativeProfiler | null = null;
  const fail = (profile: ColumnProfile, problem: 'type' | 'levels', line: number, value: string): never => {
    const location = { file: task.path, line, column: profile.name };
    if (problem === 'type') {
      throw new UserError(`${quote(value)} is not ${describeType(task.types.get(profile.name)!)}, as the config says this column holds`, location);
    }
    throw new UserError(
      `more than ${MAX_TRACKED_LEVELS} distinct values in a column the config calls categorical; call it "text" to count it without listing values`,
      location,
    );
  };
  return {
    handlers: {
      header(names, _row, _bom, control) {
        checkDistinct(names, task.path);
        const presenceOnly: boolean[] = [];
        names.forEach((name, field) => {
          const type = task.types.get(name) ?? null;
          if (task.excluded.includes(name) || type === 'ignore') return;
          profiles.push(new ColumnProfile(name, type));
          fields.push(field);
          presenceOnly.push(type === 'text');
        });
        compiled = native ? NativeProfiler.create(names.length, fields, profiles, presenceOnly) : null;
        if (compiled !== null) {
          control.readOnly(fields);
          control.readBlocks(compiled);
        }
      },
      row(row) {
        for (let c = 0; c < profiles.length; c++) {
          const problem = profiles[c]!.add(row, fields[c]!);
          if (problem !== null) fail(profiles[c]!, problem, row.lineOfField(fields[c]!), row.text(fields[c]!));
        }
      },
    },
    finish(rows) {
      compiled?.finish();
      return { path: task.path, rows, columns: profiles.map((p) => p.toData()) };
    },
  };
}

export function profileFile(_init: null): TaskHandler<ProfileTask, FileProfile> {
  // The compiled profile path, or the JavaScript one where it meets a row it leaves to it.
  return (task, progress) =>
    readWithFallback(progress, async (native, rowsSoFar) => {
      const profiler = createFileProfiler(task, native);
      const summary = await readCsvFile(task.path, profiler.handlers, { afterChunk: rowsSoFar });
      return profiler.finish(summary.rows);
    });
}
