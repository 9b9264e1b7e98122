/**
 * rollcall export parquet --out DIR --school URN [--db FILE]
 *
 * The school's register as Parquet in hive layout, partitioned by school and academic year
 * (analytics/lake.ts), for a trust or local authority that reads many schools' registers with
 * DuckDB or any engine that reads Parquet. It holds pupils' names and UPNs, so each run is
 * recorded in the audit trail as an export. Exit 0; 2 for bad usage.
 */
import { resolveDbPath, withConnection } from "../../db.ts";
import { URN_PATTERN, exportParquet, recordedUrn } from "../../lake.ts";
import { DB_OPTION, UsageError, parseOptions } from "../args.ts";
import { auditCli } from "../audit.ts";
import { cliOut } from "../context.ts";
import { formatTable } from "../table.ts";

export const usage = `rollcall export parquet --out DIR [--school URN] [--json] [--db FILE]
  The register (marks, pupils, calendar and the store's aggregates) as Parquet under DIR,
  in folders school=URN/academic_year=YYYY-YY; another school's export may share DIR.
  URN: the school's six-digit URN, by default the one \`rollcall init --urn\` recorded.`;

const FORMATS = ["parquet"];

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, {
    ...DB_OPTION,
    out: { type: "string" },
    school: { type: "string" },
    json: { type: "boolean", default: false },
  });
  const [format, ...extra] = positionals;
  if (!format || !FORMATS.includes(format)) throw new UsageError(`export takes a format: ${FORMATS.join(", ")}${format ? ` (got "${format}")` : ""}`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if (!values.out) throw new UsageError("--out DIR is required: the folder to write the Parquet files into");
  if (values.school !== undefined && !URN_PATTERN.test(values.school)) {
    throw new UsageError(`--school takes the school's six-digit unique reference number (got "${values.school.slice(0, 20)}")`);
  }
  const db = resolveDbPath(values.db);
  const written = await withConnection(db, async (connection) => {
    const school = values.school ?? (await recordedUrn(connection));
    if (!school) throw new UsageError("--school URN is needed: no URN is recorded for this school (rollcall init --urn records one)");
    return exportParquet(connection, { out: values.out!, school });
  });
  const marks = written.tables.find((t) => t.table === "marks")?.rows ?? 0;
  const pupils = written.tables.find((t) => t.table === "pupils")?.rows ?? 0;
  await auditCli(db, {}, {
    action: "export",
    target: `Parquet register (command line) to ${written.out}`,
    detail: `school ${written.school}: ${pupils} pupils, ${marks} marks, ${written.files} files, ${written.bytes} bytes`,
  });
  if (values.json) {
    cliOut(`${JSON.stringify(written, null, 2)}\n`);
  } else {
    cliOut(`${formatTable(written.tables.map(({ table, rows }) => ({ table, rows: String(rows) })))}\n`);
    cliOut(`School ${written.school}: ${written.files} Parquet files, ${(written.bytes / 1024 / 1024).toFixed(1)} MB, in ${written.out}\n`);
  }
  return 0;
}
