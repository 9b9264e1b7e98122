/**
 * Benchmark of the register readers (issue 10): marks per second read from a grid CSV and
 * from a CTF of the same register, each as a ratio to DuckDB's own read_csv of the long CSV
 * holding the same marks, measured side by side in the same run (median of RUNS runs). Each
 * reader's time includes making every mark's long row, the rows the import reads.
 * The register: BENCH_READERS_PUPILS pupils (4,500 by default, the performance issue's
 * large school) over one school year of 190 weekdays from Monday 1 September 2025.
 * Called once from scripts/bench.ts; `npx tsx scripts/bench-readers.ts` runs it alone.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { median } from "./bench-pages.ts";
import { readCsvIntoTable } from "./bench-reference-csv.ts";
import { marksFromRecords, readSourceFile, type CtfSource, type TableSource } from "../analytics/import/readers/index.ts";

const RUNS = 3;
const DAYS = 190;
const FIRST_MONDAY = "2025-09-01";

const addDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const upnOf = (i: number) => `B${String(820_000_000_00 + i).padStart(11, "0")}1`;

/** A deterministic mark: mostly present, some authorised and unauthorised absence, a few late. */
function markOf(pupil: number, session: number): string {
  const r = (pupil * 7919 + session * 104_729) % 1000;
  if (r < 30) return "I";
  if (r < 40) return "N";
  if (r < 55) return "L";
  if (r < 60) return "M";
  return session % 2 === 0 ? "/" : "\\";
}

/** The school days: weekdays from FIRST_MONDAY, with their offset in calendar days. */
function schoolDays(): { iso: string; offset: number }[] {
  const days: { iso: string; offset: number }[] = [];
  for (let offset = 0; days.length < DAYS; offset++) {
    const iso = addDays(FIRST_MONDAY, offset);
    const weekday = new Date(`${iso}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) days.push({ iso, offset });
  }
  return days;
}

function writeFiles(dir: string, pupils: number): { long: string; grid: string; ctf: string; marks: number } {
  const days = schoolDays();
  const long = fs.openSync(path.join(dir, "long.csv"), "w");
  const grid = fs.openSync(path.join(dir, "grid.csv"), "w");
  const ctf = fs.openSync(path.join(dir, "ctf.xml"), "w");
  fs.writeSync(long, "upn,date,session,code\n");
  const header = days.flatMap((d) => [`${d.iso} AM`, `${d.iso} PM`]);
  fs.writeSync(grid, `UPN,Surname,Forename,${header.join(",")}\n`);
  // The school's own register sent to itself (SourceSchool = DestSchool, the YearData naming no
  // school): every mark is this school's. A CTF must name its destination (analytics/import/
  // readers/ctf.ts), and one from another school's register would have none of its marks read.
  fs.writeSync(ctf, `<?xml version="1.0" encoding="UTF-8"?>\n<CTfile><Header><DateTime>2026-07-20T16:00:00</DateTime><SourceSchool><LEA>820</LEA><Estab>2000</Estab></SourceSchool><DestSchool><LEA>820</LEA><Estab>2000</Estab></DestSchool></Header><CTFpupilData>\n`);
  const span = days[days.length - 1].offset + 1;
  for (let p = 0; p < pupils; p++) {
    const upn = upnOf(p);
    const codes = days.flatMap((_, d) => [markOf(p, 2 * d), markOf(p, 2 * d + 1)]);
    let longText = "";
    days.forEach((d, i) => (longText += `${upn},${d.iso},AM,${codes[2 * i]}\n${upn},${d.iso},PM,${codes[2 * i + 1]}\n`));
    fs.writeSync(long, longText);
    fs.writeSync(grid, `${upn},Surname${p},Forename${p},${codes.join(",")}\n`);
    const chars = new Array<string>(span * 2).fill("#");
    days.forEach((d, i) => {
      chars[2 * d.offset] = codes[2 * i];
      chars[2 * d.offset + 1] = codes[2 * i + 1];
    });
    fs.writeSync(
      ctf,
      `<Pupil><UPN>${upn}</UPN><Surname>Surname${p}</Surname><Forename>Forename${p}</Forename><DOB>2016-05-01</DOB><Sex>${p % 2 ? "F" : "M"}</Sex>` +
        `<BasicDetails><NCyearActual>${(p % 6) + 1}</NCyearActual><Ethnicity>WBRI</Ethnicity></BasicDetails>` +
        `<Attendance><YearData><AttendStartDate>${FIRST_MONDAY}</AttendStartDate><AttendMarks>${chars.join("")}</AttendMarks></YearData></Attendance>` +
        `<SchoolHistory><School><EntryDate>2021-09-01</EntryDate></School></SchoolHistory></Pupil>\n`,
    );
  }
  fs.writeSync(ctf, "</CTFpupilData></CTfile>\n");
  for (const fd of [long, grid, ctf]) fs.closeSync(fd);
  return { long: path.join(dir, "long.csv"), grid: path.join(dir, "grid.csv"), ctf: path.join(dir, "ctf.xml"), marks: pupils * DAYS * 2 };
}


async function timed(work: () => Promise<number>): Promise<{ ms: number; marks: number }> {
  const times: number[] = [];
  let marks = 0;
  for (let run = 0; run < RUNS; run++) {
    const start = process.hrtime.bigint();
    marks = await work();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { ms: median(times), marks };
}

/** Runs the readers' benchmark in `dir`; returns [label, value] lines for the bench's table. */
export async function benchReaders(dir: string, pupils = Number(process.env.BENCH_READERS_PUPILS ?? 4500)): Promise<Array<[string, string]>> {
  const work = fs.mkdtempSync(path.join(dir, "readers-"));
  try {
    const files = writeFiles(work, pupils);
    // The read itself, timed inside (a fresh database each run), median of RUNS.
    const reads: Array<{ ms: number; rows: number }> = [];
    for (let run = 0; run < RUNS; run++) reads.push(await readCsvIntoTable(files.long));
    const reference = { ms: median(reads.map((r) => r.ms)), marks: reads[0].rows };
    const grid = await timed(async () => {
      const source = (await readSourceFile(files.grid, "grid.csv")) as TableSource;
      return marksFromRecords(source.records, "grid.csv").rows.length;
    });
    const ctf = await timed(async () => {
      const source = (await readSourceFile(files.ctf, "ctf.xml")) as CtfSource;
      // Every mark's long row made and read, as the import reads them: a CTF's are made as they
      // are read (analytics/import/readers/string-rows.ts), so their length alone would time less.
      let marks = 0;
      for (const row of source.ctf.marks.rows) if (row.fields[3].value !== "") marks++;
      return marks;
    });
    for (const [name, r] of [["grid", grid], ["CTF", ctf]] as const) {
      if (r.marks !== files.marks) throw new Error(`${name} reader read ${r.marks} marks, expected ${files.marks}`);
    }
    const rate = (r: { ms: number; marks: number }) => r.marks / (r.ms / 1000);
    const fmt = (n: number) => Math.round(n).toLocaleString("en-GB");
    const label = `${pupils.toLocaleString("en-GB")} pupils, ${fmt(files.marks)} marks`;
    return [
      [`readers: DuckDB read_csv of the long CSV (${label})`, `${fmt(rate(reference))} marks/s`],
      [`readers: grid CSV → long rows (${label})`, `${fmt(rate(grid))} marks/s = ${(rate(grid) / rate(reference)).toFixed(3)} × read_csv`],
      [`readers: CTF XML → pupils and long rows (${label})`, `${fmt(rate(ctf))} marks/s = ${(rate(ctf) / rate(reference)).toFixed(3)} × read_csv`],
    ];
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-bench-readers-"));
  try {
    const results = await benchReaders(dir);
    const width = Math.max(...results.map(([l]) => l.length));
    for (const [label, value] of results) console.log(`${label.padEnd(width)}  ${value}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
