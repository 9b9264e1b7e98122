/**
 * rollcall export parquet --out DIR [--school URN] [--db FILE]
 *
 * The school's register as Parquet in hive layout, partitioned by school and academic year
 * (analytics/lake.ts), for a trust or local authority that reads many schools' registers with
 * DuckDB or any engine that reads Parquet. It holds pupils' names and UPNs, so each run is
 * recorded in the audit trail as an export. Exit 0; 2 for bad usage.
 */
import fs from "node:fs";
import { plural } from "../../plural.ts";
import { resolveDbPath, withConnection, type Connection } from "../../db.ts";
import { DEMO_URN } from "../../school-urn.ts";
import { isDemoDatabase } from "../../users/store.ts";
import { URN_PATTERN, exportParquet, recordedUrn } from "../../lake.ts";
import { DB_OPTION, UsageError, parseOptions } from "../args.ts";
import { auditCli } from "../audit.ts";
import { cliOut } from "../context.ts";
import { formatTable } from "../table.ts";

export const usage = `rollcall export parquet --out DIR [--school URN] [--json] [--db FILE]
  The register (marks, pupils, calendar and the store's aggregates) as Parquet under DIR,
  in folders school=URN/academic_year=YYYY-YY; another school's export may share DIR.
  URN: the school's six-digit URN, needed only when the database records none: by default the one
  \`rollcall init --urn\` or \`rollcall import --school\` recorded (the demo school's is ${DEMO_URN}).`;

const FORMATS = ["parquet"];

/**
 * The URN whose folders the export writes. A database holds one school (analytics/school-urn.ts),
 * so: the URN it records (`init --urn`, the first `import --school`, the demo's DEMO_URN), with
 * `--school` needed only where it records none (a school set up without --urn) — a demo file
 * built before the demo recorded its URN counts as DEMO_URN. `--school` naming another school
 * than the one recorded is refused: its folders would hold this school's register.
 * @throws UsageError when no URN is known, or `--school` is not the recorded one.
 */
async function exportedSchool(connection: Connection, named: string | undefined): Promise<string> {
  const recorded = (await recordedUrn(connection)) ?? ((await isDemoDatabase(connection)) ? DEMO_URN : null);
  if (named !== undefined && recorded !== null && named !== recorded) {
    throw new UsageError(
      `this database holds the register of the school with URN ${recorded}, and --school ${named} names another school, so nothing was exported: leave --school out, or give that school's database with --db FILE`,
    );
  }
  const school = named ?? recorded;
  if (!school) throw new UsageError("--school URN is needed: this database records no URN (rollcall init --urn or rollcall import --school records one)");
  return school;
}

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
  // A file where the folder should be: said, not DuckDB's or Node's "EEXIST: file already exists, mkdir" (review 48).
  const outStat = fs.statSync(values.out, { throwIfNoEntry: false });
  if (outStat && !outStat.isDirectory()) throw new UsageError(`--out ${values.out}: that is a file; give the folder to write the Parquet files into (made if it is not there)`);
  if (values.school !== undefined && !URN_PATTERN.test(values.school)) {
    throw new UsageError(`--school takes the school's six-digit unique reference number (got "${values.school.slice(0, 20)}")`);
  }
  const db = resolveDbPath(values.db);
  const written = await withConnection(db, async (connection) =>
    exportParquet(connection, { out: values.out!, school: await exportedSchool(connection, values.school) }),
  );
  const marks = written.tables.find((t) => t.table === "marks")?.rows ?? 0;
  const pupils = written.tables.find((t) => t.table === "pupils")?.rows ?? 0;
  await auditCli(db, {}, {
    action: "export",
    target: `Parquet register (command line) to ${written.out}`,
    detail: `school ${written.school}: ${pupils} ${plural(pupils, "pupil")}, ${marks} ${plural(marks, "mark")}, ${written.files} ${plural(written.files, "file")}, ${written.bytes} bytes`,
  });
  if (values.json) {
    cliOut(`${JSON.stringify(written, null, 2)}\n`);
  } else {
    cliOut(`${formatTable(written.tables.map(({ table, rows }) => ({ table, rows: String(rows) })))}\n`);
    cliOut(`School ${written.school}: ${written.files} Parquet files, ${(written.bytes / 1024 / 1024).toFixed(1)} MB, in ${written.out}\n`);
  }
  return 0;
}
