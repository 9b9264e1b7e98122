/**
 * rollcall export parquet --out DIR [--db FILE]
 *
 * Writes the register (marks with UPNs, pupils and their characteristics, the calendar and
 * its school days) as Parquet files into DIR (analytics/export-parquet.ts), and records the
 * export in the audit trail, as every export of pupil data is.
 */
import { resolveDbPath, withConnection } from "../../db.ts";
import { exportParquet } from "../../export-parquet.ts";
import { DB_OPTION, UsageError, parseOptions } from "../args.ts";
import { auditCli } from "../audit.ts";
import { cliOut } from "../context.ts";

export const usage = `rollcall export parquet --out DIR [--db FILE]
  Writes the register as Parquet files in DIR: marks.parquet (with UPN), pupils.parquet,
  pupil_characteristics.parquet, calendar.parquet and school_days.parquet, for DuckDB or any engine that reads Parquet.`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, { ...DB_OPTION, out: { type: "string" } });
  if (positionals[0] !== "parquet") throw new UsageError(positionals[0] === undefined ? "give the format: parquet" : `unknown export format "${positionals[0]}" (the formats: parquet)`);
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  if (!values.out) throw new UsageError("give --out DIR, the folder to write the Parquet files into");
  const db = resolveDbPath(values.db);
  const result = await withConnection(db, (connection) => exportParquet(connection, values.out!));
  // Marks and pupils name pupils: writing them out is an export of pupil data.
  await auditCli(db, {}, {
    action: "export",
    target: result.dir,
    detail: `Parquet: ${result.files.map((f) => `${f.name} ${f.rows}`).join(", ")}`,
  });
  for (const f of result.files) cliOut(`${f.file}: ${f.rows} rows\n`);
  return 0;
}
