/**
 * Break test (session 15): after a run of imports through DuckDB's path (a file, the same file
 * again, a file that changes marks — codes, minutes late only, a mark changed back — and adds
 * marks), the aggregates (mark_days, mark_weeks, mark_week_codes) equal a rebuild from
 * mark_store (analytics/store.ts rebuildAggregates), and the store holds the last file's codes.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, withConnection } from "../analytics/db.ts";
import { importFiles } from "../analytics/import/index.ts";
import { keptAndRebuilt } from "./helpers/aggregates.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { BY, pupil, pupilsCsv, upn } from "./fixtures/import/helpers.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-amend-agg-"));
const write = (name: string, content: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
};
const CALENDAR = ["kind,name,start_date,end_date", "half_term,autumn-1,2024-09-02,2024-10-25", "half_term,autumn-2,2024-11-04,2024-12-20"].join("\n");
const DATES = ["2024-09-02", "2024-09-03", "2024-09-04", "2024-09-05", "2024-09-06", "2024-09-09", "2024-09-10", "2024-09-11"];
const csv = (code: (p: number, date: string, s: string) => string | null) => {
  const rows = ["upn,date,session,code,minutes_late"];
  for (const date of DATES) for (const p of [1, 2, 3]) for (const s of ["AM", "PM"]) {
    const c = code(p, date, s);
    if (c !== null) rows.push(`${upn(p)},${date},${s},${c}`);
  }
  return rows.join("\n") + "\n";
};
let db: string;
const paths: string[] = [];
const run = async (name: string, content: string) => {
  const [summary] = await importFiles(db, { marks: write(name, content) }, { by: BY, onMarksPath: (p) => paths.push(p) });
  return summary;
};
beforeAll(async () => {
  process.env.ROLLCALL_TODAY = "2024-12-20";
  db = tempDbPath("amend-agg");
  await importFiles(db, { calendar: write("calendar.csv", CALENDAR), pupils: write("pupils.csv", pupilsCsv([1, 2, 3].map((n) => pupil(n, { admission_date: "2019-09-02" })))) }, { by: BY, asOf: "2024-09-02" });
}, 120_000);
afterAll(async () => {
  delete process.env.ROLLCALL_TODAY;
  await removeDb(db);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("amendments through DuckDB's path keep the aggregates equal to a rebuild", () => {
  it("first file, the same again, then changes (codes, minutes late, back again) and additions", async () => {
    // First: weeks 1–2 to Tuesday; pupil 2 late 10 minutes on Tuesday AM.
    const first = csv((p, d, s) => (d === "2024-09-11" ? null : p === 2 && d === "2024-09-03" && s === "AM" ? "L,10" : p === 3 && d === "2024-09-04" ? "I," : s === "AM" ? "/," : "\\,"));
    expect(await run("first.csv", first)).toMatchObject({ inserted: 42 });
    expect(await run("first-again.csv", first)).toMatchObject({ inserted: 0, amended: 0 });
    // Second: pupil 3's illness on Wednesday becomes unauthorised (O), pupil 2's lateness 25
    // minutes (same code), pupil 1's Monday PM an N, Wednesday 11th added for everyone.
    const second = csv((p, d, s) =>
      p === 2 && d === "2024-09-03" && s === "AM" ? "L,25" : p === 3 && d === "2024-09-04" ? "O," : p === 1 && d === "2024-09-09" && s === "PM" ? "N," : s === "AM" ? "/," : "\\,",
    );
    const s2 = await run("second.csv", second);
    expect(s2).toMatchObject({ inserted: 6 });
    // Third: pupil 3's Wednesday back to I; pupil 1's N now authorised as C.
    const third = csv((p, d, s) =>
      p === 2 && d === "2024-09-03" && s === "AM" ? "L,25" : p === 3 && d === "2024-09-04" ? "I," : p === 1 && d === "2024-09-09" && s === "PM" ? "C," : s === "AM" ? "/," : "\\,",
    );
    const s3 = await run("third.csv", third);
    expect(s3).toMatchObject({ inserted: 0, amended: 3 });
    expect(paths.every((p) => p === "sql")).toBe(true);

    await withConnection(db, async (conn) => {
      const codes = await queryRows<{ upn: string; date: string; session: string; code: string; minutes_late: number | null }>(
        conn,
        "SELECT upn, strftime(date, '%Y-%m-%d') AS date, session::VARCHAR AS session, code::VARCHAR AS code, minutes_late FROM marks WHERE (upn = $u2 AND date = '2024-09-03' AND session = 'AM') OR (upn = $u3 AND date = '2024-09-04') OR (upn = $u1 AND date = '2024-09-09' AND session = 'PM') ORDER BY upn[2:], date, session",
        { u1: upn(1), u2: upn(2), u3: upn(3) },
      );
      expect(codes.map((r) => `${r.upn.slice(-2)} ${r.date} ${r.session} ${r.code} ${r.minutes_late ?? ""}`)).toEqual([
        `${upn(1).slice(-2)} 2024-09-09 PM C `,
        `${upn(2).slice(-2)} 2024-09-03 AM L 25`,
        `${upn(3).slice(-2)} 2024-09-04 AM I `,
        `${upn(3).slice(-2)} 2024-09-04 PM I `,
      ]);
    });
    const { kept, rebuilt } = await keptAndRebuilt(db);
    expect(kept).toEqual(rebuilt);
  });
});
