// Reads one cohort file, streaming, into a profile of every described column. Memory depends on
// the number of columns and distinct values (bounded), never on the number of rows.

import { UserError, quote } from '../errors.js';
import { readCsvFile } from '../csv/read-file.js';
import type { TaskHandler } from '../parallel/protocol.js';
import { describeType, MAX_TRACKED_LEVELS, type ConfiguredType } from './column-types.js';
import { ColumnProfile, type ColumnProfileData } from './column-profile.js';

export interface ProfileTask {
  path: string;
  /** Types the config sets, by column; `ignore`d columns are not read. */
  types: Record<string, ConfiguredType>;
  /** Columns never described (the patient key). */
  excluded: readonly string[];
}

export interface FileProfile {
  path: string;
  rows: number;
  /** Described columns in file order. */
  columns: ColumnProfileData[];
}

export function profileFile(_init: null): TaskHandler<ProfileTask, FileProfile> {
  return async (task, progress) => {
    const profiles: ColumnProfile[] = [];
    const fields: number[] = [];
    let reported = 0;
    const summary = await readCsvFile(
      task.path,
      {
        header(names) {
          checkDistinct(names, task.path);
          names.forEach((name, field) => {
            const type = task.types[name] ?? null;
            if (task.excluded.includes(name) || type === 'ignore') return;
            profiles.push(new ColumnProfile(name, type));
            fields.push(field);
          });
        },
        row(row) {
          for (let c = 0; c < profiles.length; c++) {
            const profile = profiles[c]!;
            const problem = profile.add(row, fields[c]!);
            if (problem === null) continue;
            const field = fields[c]!;
            const location = { file: task.path, line: row.lineOfField(field), column: profile.name };
            if (problem === 'type') {
              const type = task.types[profile.name]!;
              throw new UserError(`${quote(row.text(field))} is not ${describeType(type)}, as the config says this column holds`, location);
            }
            throw new UserError(
              `more than ${MAX_TRACKED_LEVELS} distinct values in a column the config calls categorical; call it "text" to count it without listing values`,
              location,
            );
          }
        },
      },
      {
        afterChunk(rowsSoFar) {
          progress(rowsSoFar - reported);
          reported = rowsSoFar;
        },
      },
    );
    return { path: task.path, rows: summary.rows, columns: profiles.map((p) => p.toData()) };
  };
}

function checkDistinct(names: readonly string[], file: string): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new UserError(`the column ${quote(name)} appears twice in the header`, { file, line: 1 });
    seen.add(name);
  }
}
