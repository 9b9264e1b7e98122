/**
 * Whether a change to the import writes the same store: the generated school's 2025/26 marks
 * imported (importFiles, as the bench does) onto its earlier years, then the same file with every
 * 97th mark's code changed (an amendment import), and each store table's rows digested in their
 * physical order (rowid). Run before and after a change and compare the two files: equal lines
 * mean the same rows in the same order (issue 11's import work must change no row and no order).
 *
 *   npx tsx scripts/import-store-digest.ts OUT.txt [--pupils N --years Y]
 *
 * OUT.txt: the two imports' summaries (import ids left out), then per table "name rows sha256"
 * (mark_store, mark_days, mark_weeks, mark_week_code_store, amendments, pupil_ids, imports;
 * the times of amendments and imports left out). The database is kept beside it as
 * OUT.txt.duckdb, for `rollcall summary --json` on each side. A tool, not part of `npm run bench`.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createHash } from "node:crypto";
import { parseArgs } from "node:util";
import { closeAllInstances, inTransaction, queryRows, withConnection } from "../analytics/db.ts";
import { importCalendar, importFiles, importMarks, importPupils } from "../analytics/import/index.ts";
import { generateDemoSchool } from "../analytics/demo/index.ts";

const { values, positionals } = parseArgs({ options: { pupils: { type: "string" }, years: { type: "string" } }, allowPositionals: true });
const out = positionals[0];
if (!out) throw new Error("usage: npx tsx scripts/import-store-digest.ts OUT.txt [--pupils N --years Y]");
const sized = values.pupils !== undefined || values.years !== undefined;
const files = generateDemoSchool({ today: "2026-11-23", ...(sized ? { pupils: values.pupils ? Number(values.pupils) : undefined, years: Number(values.years ?? 3) } : {}) });
const at = files.marksCsvByYear.findIndex((m) => m.academicYear === "2025/26");
const by = { name: "Benchmark", role: "System" };
/** Each table with the column of the time it was written, left out of its digest (it differs every run). */
const TABLES: [string, string | null][] = [
  ["mark_store", null], ["mark_days", null], ["mark_weeks", null], ["mark_week_code_store", null],
  ["amendments", "amended_at"], ["pupil_ids", null], ["imports", "imported_at"],
];

const work = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-store-digest-"));
try {
  const db = path.join(work, "store.duckdb");
  await withConnection(db, (c) =>
    inTransaction(c, async () => {
      await importCalendar(c, { file: "calendar.csv", text: files.calendarCsv, by });
      for (let i = 0; i < at; i++) {
        await importPupils(c, { file: `pupils-${i}.csv`, text: files.pupilSnapshots[i].csv, asOf: files.pupilSnapshots[i].asOf, by });
        await importMarks(c, { file: `marks-${i}.csv`, text: files.marksCsvByYear[i].csv, by });
      }
      await importPupils(c, { file: "pupils.csv", text: files.pupilSnapshots[at].csv, asOf: files.pupilSnapshots[at].asOf, by });
    }),
  );
  const csv = files.marksCsvByYear[at].csv;
  const first = path.join(work, "marks.csv");
  fs.writeFileSync(first, csv);
  const lines = csv.trimEnd().split("\n");
  const code = lines[0].split(",").indexOf("code");
  // Present becomes N (no reason yet), anything else present: amendments of both kinds.
  const amended = lines.map((line, i) => {
    if (i === 0 || i % 97 !== 1) return line;
    const fields = line.split(",");
    fields[code] = fields[code] === "/" || fields[code] === "\\" ? "N" : "/";
    return fields.join(",");
  });
  const second = path.join(work, "marks-amended.csv");
  fs.writeFileSync(second, `${amended.join("\n")}\n`);
  const report: string[] = [];
  for (const [file, reason] of [[first, undefined], [second, "Store digest"]] as const) {
    const summaries = await importFiles(db, { marks: file }, { by, reason });
    report.push(JSON.stringify(summaries.map(({ importId: _, ...rest }) => rest)));
  }
  await withConnection(db, async (c) => {
    for (const [table, written] of TABLES) {
      const rows = await queryRows(c, `SELECT * ${written ? `EXCLUDE (${written})` : ""} FROM ${table} ORDER BY rowid`);
      report.push(`${table} ${rows.length} ${createHash("sha256").update(JSON.stringify(rows)).digest("hex")}`);
    }
  });
  await closeAllInstances();
  fs.writeFileSync(out, `${report.join("\n")}\n`);
  fs.copyFileSync(db, `${out}.duckdb`);
  console.log(report.slice(2).join("\n"));
} finally {
  await closeAllInstances();
  fs.rmSync(work, { recursive: true, force: true });
}
