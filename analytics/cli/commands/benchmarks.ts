/** rollcall benchmarks import FILE | rollcall benchmarks list */
import path from "node:path";
import { resolveDbPath, withConnection } from "../../db.ts";
import { readTextFile } from "../../import/decode.ts";
import { givenFileProblem } from "../../import/given-file.ts";
import { benchmarkImportWords, ensureShippedBenchmarks, importBenchmarkFile } from "../../benchmarks/load.ts";
import { CENSUS_PUBLICATION, DAILY_PUBLICATION, listFigures } from "../../benchmarks/store.ts";
import { DB_OPTION, UsageError, actingRole, actorFrom, optionalAcademicYear, optionalDate, parseOptions } from "../args.ts";
import { formatTable } from "../table.ts";
import { auditCli } from "../audit.ts";
import { cliOut } from "../context.ts";

export const usage = `rollcall benchmarks import FILE [--db FILE] [--publication daily|census] [--data-to YYYY-MM-DD] [--source-url URL]
    Imports a DfE open-data CSV (explore-education-statistics): national, regional and local
    authority absence rates for primary and all state-funded schools. All or nothing; a
    repeat changes nothing. --publication says what "Academic year" rows are: daily = the
    year to date (Pupil attendance in schools, the default), census = the full year.
rollcall benchmarks list [--year 2024/25] [--area CODE] [--json] [--db FILE]`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, {
    ...DB_OPTION,
    publication: { type: "string" },
    "data-to": { type: "string" },
    "source-url": { type: "string" },
    year: { type: "string" },
    area: { type: "string" },
    json: { type: "boolean", default: false },
    user: { type: "string" },
    role: { type: "string" },
  });
  const [action, file] = positionals;
  const db = resolveDbPath(values.db);
  if (action === "import") {
    if (!file) throw new UsageError("benchmarks import needs a FILE");
    const role = actingRole(values.role, "import", "benchmark import");
    const publication = values.publication ?? "daily";
    if (publication !== "daily" && publication !== "census") throw new UsageError(`--publication must be daily or census (got "${publication}")`);
    // Said in words, as an import's missing file is, not Node's "ENOENT" (review 48).
    const problem = await givenFileProblem("benchmark file", file);
    if (problem) throw new Error(problem);
    const { text } = readTextFile(file, path.basename(file));
    const summary = await withConnection(db, (connection) =>
      importBenchmarkFile(connection, {
        file: path.basename(file),
        text,
        by: actorFrom({ user: values.user, role }),
        options: {
          publication: publication === "census" ? CENSUS_PUBLICATION : DAILY_PUBLICATION,
          periodEnd: optionalDate(values["data-to"], "--data-to") ?? null,
          ...(values["source-url"] ? { sourceUrl: values["source-url"] } : {}),
        },
      }),
    );
    await auditCli(db, { user: values.user, role }, {
      action: "import",
      target: summary.file,
      detail: `benchmarks: ${summary.rowsRead} rows read, ${summary.inserted} figures new, ${summary.unchanged} already stored`,
    });
    if (values.json) cliOut(`${JSON.stringify(summary, null, 2)}\n`);
    else
      cliOut(
        `${benchmarkImportWords(summary)}\n`,
      );
    return 0;
  }
  if (action === "list") {
    const academicYear = optionalAcademicYear(values.year, "--year");
    const figures = await withConnection(db, async (connection) => {
      await ensureShippedBenchmarks(connection);
      return listFigures(connection, { academicYear, areaCode: values.area, geographicLevel: values.area ? undefined : "national" });
    });
    const rows = figures.map((f) => ({
      year: f.academic_year,
      period: f.period,
      data_to: f.period_end,
      phase: f.phase,
      area: f.area_name,
      group: f.group_name,
      measure: f.measure,
      value: f.value_text,
      publication: f.publication,
      release: f.release,
    }));
    cliOut(values.json ? `${JSON.stringify(rows, null, 2)}\n` : `${formatTable(rows)}\n`);
    return 0;
  }
  throw new UsageError(`benchmarks takes import or list (got "${action ?? ""}")`);
}
