// DuckDB, the peer: the same join and measures written as the SQL an analyst would write, run
// in the same process shape as ours (a fresh process, timed from the first statement to the last
// result, opening the database included).

import { mkdirSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const POPULATION = 'population';

function sqlString(text) {
  return `'${text.replaceAll("'", "''")}'`;
}

function ident(name) {
  return `"${name.replaceAll('"', '""')}"`;
}

function filesOf(glob) {
  const dir = dirname(glob);
  const pattern = new RegExp(`^${basename(glob).replaceAll('.', '\\.').replaceAll('*', '.*')}$`);
  return readdirSync(dir).filter((n) => pattern.test(n)).sort().map((n) => join(dir, n));
}

/** Left-joins the ethnicity column onto every cohort file, one COPY per file (row order not kept: in DuckDB's favour). */
export async function duckdbJoin({ cohort, ethnicity, outputDir }) {
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  mkdirSync(outputDir, { recursive: true });
  await connection.run(`CREATE TABLE eth AS SELECT patient_id, ethnicity FROM read_csv(${sqlString(ethnicity)}, all_varchar = true)`);
  let rows = 0;
  for (const file of filesOf(cohort)) {
    const source = `read_csv(${sqlString(file)}, all_varchar = true)`;
    const result = await connection.run(
      `COPY (SELECT c.*, eth.ethnicity FROM ${source} c LEFT JOIN eth USING (patient_id)) TO ${sqlString(join(outputDir, basename(file)))} (HEADER)`,
    );
    rows += Number((await result.getRows())[0]?.[0] ?? 0);
  }
  connection.closeSync();
  return { rows };
}

/** Every measure in one pass over all files: GROUPING SETS over (file, group_by), sums of each count column. */
export async function duckdbMeasures({ definitions, cohort }) {
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  const measures = definitions.measures;
  const counts = [...new Set(measures.flatMap((m) => [m.numerator, m.denominator]).filter((c) => c !== POPULATION))];
  const groupings = [...new Map(measures.map((m) => [JSON.stringify(m.group_by ?? []), m.group_by ?? []])).values()];
  const groupColumns = [...new Set(groupings.flat())];
  const sums = [...counts.map((c) => `sum(${ident(c)}) AS ${ident(c)}`), 'count(*) AS population'].join(', ');
  const sets = groupings.map((g) => `(${['filename', ...g.map(ident)].join(', ')})`).join(', ');
  const sql =
    `SELECT filename, ${[...groupColumns.map(ident), sums].join(', ')} ` +
    `FROM read_csv(${sqlString(cohort)}, filename = true) GROUP BY GROUPING SETS (${sets})`;
  const reader = await connection.runAndReadAll(sql);
  const groups = reader.getRows().length;
  connection.closeSync();
  return { rows: groups };
}
