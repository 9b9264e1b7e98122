/**
 * Times the import of a school year's register (90,000 marks: 250 pupils × 180 days × AM/PM)
 * into a fresh DuckDB file: first load, an identical re-import, and a re-import with 1% of
 * marks changed (amendments). Run: npx tsx scripts/bench-import.ts
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { closeInstance, queryRows, withConnection } from "../analytics/db.ts";
import { importFiles } from "../analytics/import/index.ts";
import { syntheticMarkLine } from "../analytics/demo/synthetic-marks.ts";

const PUPILS = 250;
const DAYS = 180;
const by = { name: "Bench", role: "script" };

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-bench-"));
const db = path.join(dir, "rollcall.duckdb");
const upn = (n: number) => `A${String(n).padStart(11, "0")}1`;

const schoolDays: string[] = [];
for (let d = new Date(Date.UTC(2024, 8, 2)); schoolDays.length < DAYS; d = new Date(d.getTime() + 86_400_000)) {
  const dow = d.getUTCDay();
  if (dow !== 0 && dow !== 6) schoolDays.push(d.toISOString().slice(0, 10));
}

const pupilLines = ["upn,forename,surname,dob,sex,year_group,reg_group,admission_date,leaving_date,sen,fsm,eal,lac,ethnicity"];
for (let p = 0; p < PUPILS; p++) {
  pupilLines.push(`${upn(p)},F${p},S${p},2017-05-04,${p % 2 ? "F" : "M"},${1 + (p % 6)},C${p % 8},2021-09-01,,N,${p % 5 ? "N" : "Y"},N,N,WBRI`);
}

// The shared synthetic-mark rule (analytics/demo/synthetic-marks.ts), `changeEvery` marks amended.
function marksFile(changeEvery: number): string {
  const lines = ["upn,date,session,code,minutes_late"];
  let i = 0;
  for (let p = 0; p < PUPILS; p++) {
    for (const date of schoolDays) {
      for (const session of ["AM", "PM"] as const) lines.push(syntheticMarkLine(upn(p), date, ++i, session, changeEvery));
    }
  }
  return lines.join("\n") + "\n";
}

const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};
const pupilsFile = write("pupils.csv", pupilLines.join("\n") + "\n");
const marksA = write("marks.csv", marksFile(0));
const marksB = write("marks-changed.csv", marksFile(100));

async function timed(label: string, files: Parameters<typeof importFiles>[1]) {
  const start = performance.now();
  const summaries = await importFiles(db, files, { by, asOf: "2024-09-02" });
  const ms = performance.now() - start;
  const s = summaries[summaries.length - 1];
  console.log(`${label.padEnd(34)} ${(ms / 1000).toFixed(2)} s  rows ${s.rowsRead}  inserted ${s.inserted}  amended ${s.amended}  unchanged ${s.unchanged}`);
}

try {
  await importFiles(db, { pupils: pupilsFile }, { by, asOf: "2024-09-02" });
  await timed("first load (90,000 marks)", { marks: marksA });
  await timed("identical re-import", { marks: marksA });
  await timed("re-import with 1% changed", { marks: marksB });
  const [row] = await withConnection(db, (conn) => queryRows(conn, "SELECT (SELECT count(*) FROM marks) AS marks, (SELECT count(*) FROM amendments) AS amendments"));
  console.log(`store: ${row.marks} marks, ${row.amendments} amendments`);
} finally {
  await closeInstance(db);
  fs.rmSync(dir, { recursive: true, force: true });
}
