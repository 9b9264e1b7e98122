import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { inTransaction, queryRows, withConnection, type Connection } from "../analytics/db.ts";
import { InputError } from "../analytics/csv.ts";
import { importCalendar } from "../analytics/import/index.ts";
import { tempDbPath, removeDb } from "./helpers/db.ts";
import { BY, fingerprint } from "./fixtures/import/helpers.ts";

let db: string;
beforeEach(() => {
  db = tempDbPath("import-calendar");
});
afterEach(async () => {
  await removeDb(db);
});

const tx = <T>(work: (conn: Connection) => Promise<T>) => withConnection(db, (conn) => inTransaction(conn, () => work(conn)));
const load = (text: string, file = "calendar.csv") => tx((conn) => importCalendar(conn, { file, text, by: BY }));
const fixture = (name: string) => fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "import", name), "utf8");

/*
 * By hand (test/fixtures/import/calendar-small.csv):
 *   autumn-1  Mon 2025-09-01 .. Fri 2025-09-12  10 weekdays, INSET Mon 09-01       ->  9
 *   autumn-2  Mon 2025-11-03 .. Wed 2025-11-12   8 weekdays, strike Thu 6 + Fri 7  ->  6
 *   spring-1  Mon 2026-01-05 .. Fri 2026-01-09   5 weekdays (Sat 10th closure, no effect) -> 5
 *   closure in the October holiday (2025-10-27) lies outside every half term   -> no effect
 *   total 20 school days, all in 2025/26.
 */
const SMALL = fixture("calendar-small.csv");

describe("importCalendar", () => {
  it("builds school_days: weekdays inside half terms that are not closures, with year, term and half-term keys", async () => {
    const s = await load(SMALL, "calendar-small.csv");
    expect(s).toEqual({ kind: "calendar", file: "calendar-small.csv", rowsRead: 7, inserted: 7, amended: 0, unchanged: 0, importId: 1 });
    await withConnection(db, async (conn) => {
      expect(await queryRows(conn, "SELECT academic_year, term, half_term, count(*) AS days FROM school_days GROUP BY ALL ORDER BY min(date)")).toEqual([
        { academic_year: "2025/26", term: "autumn-2025", half_term: "autumn-1-2025", days: 9 },
        { academic_year: "2025/26", term: "autumn-2025", half_term: "autumn-2-2025", days: 6 },
        { academic_year: "2025/26", term: "spring-2026", half_term: "spring-1-2026", days: 5 },
      ]);
      const days = (await queryRows(conn, "SELECT date FROM school_days ORDER BY date")).map((r) => r.date);
      expect(days).toHaveLength(20);
      expect(days).not.toContain("2025-09-01");
      expect(days.slice(0, 2)).toEqual(["2025-09-02", "2025-09-03"]);
      expect(days).not.toContain("2025-11-06");
      expect(await queryRows(conn, "SELECT half_term, start_date, end_date FROM calendar_periods ORDER BY start_date")).toEqual([
        { half_term: "autumn-1-2025", start_date: "2025-09-01", end_date: "2025-09-12" },
        { half_term: "autumn-2-2025", start_date: "2025-11-03", end_date: "2025-11-12" },
        { half_term: "spring-1-2026", start_date: "2026-01-05", end_date: "2026-01-09" },
      ]);
      expect(await queryRows(conn, "SELECT date, reason FROM closures ORDER BY date")).toEqual([
        { date: "2025-09-01", reason: "INSET day" },
        { date: "2025-10-27", reason: "Staff training" },
        { date: "2025-11-06", reason: "Strike, NEU" },
        { date: "2025-11-07", reason: "Strike, NEU" },
        { date: "2026-01-10", reason: "Bank holiday" },
      ]);
    });
  });

  it("accepts aliases, a BOM, CRLF, quoted fields, UK dates and spaced half-term names", async () => {
    const text =
      "\uFEFFType,Start Date,End Date,Description,Notes\r\n" +
      '"Half Term",01/09/2025,12/09/2025,Autumn 1,first\r\n' +
      "closure,01/09/2025,01/09/2025,\"INSET day\",\r\n";
    expect((await load(text)).inserted).toBe(2);
    const [row] = await withConnection(db, (conn) => queryRows(conn, "SELECT count(*) AS n, min(half_term) AS h FROM school_days"));
    expect(row).toEqual({ n: 9, h: "autumn-1-2025" });
  });

  it("re-importing the same file changes nothing; a revised file replaces its academic year only", async () => {
    const other = "kind,name,start_date,end_date\nhalf_term,summer-2,2025-06-02,2025-07-18\nclosure,Bank holiday,2025-05-26,2025-05-26\n";
    await load(other, "2024-25.csv");
    await load(SMALL);
    const before = await withConnection(db, fingerprint);
    expect(await load(SMALL)).toMatchObject({ inserted: 0, amended: 0, unchanged: 7, importId: null });
    expect(await withConnection(db, fingerprint)).toEqual(before);

    const revised = SMALL.replace("autumn-2,2025-11-03,2025-11-12", "autumn-2,2025-11-03,2025-11-14").replace(/^closure,Staff training.*\n/m, "");
    const s = await load(revised, "revised.csv");
    expect(s).toMatchObject({ rowsRead: 6, inserted: 0, amended: 1, unchanged: 5, importId: 3 });
    await withConnection(db, async (conn) => {
      const [n] = await queryRows(conn, "SELECT count(*) AS n FROM school_days WHERE academic_year = '2025/26'");
      expect(n.n).toBe(22);
      // 2024/25 is untouched: summer-2 2025 has 35 weekdays.
      expect(await queryRows(conn, "SELECT half_term, count(*) AS n FROM school_days WHERE academic_year = '2024/25' GROUP BY ALL")).toEqual([
        { half_term: "summer-2-2025", n: 35 },
      ]);
      expect((await queryRows(conn, "SELECT date FROM closures ORDER BY date")).map((r) => r.date)).toEqual([
        "2025-05-26",
        "2025-09-01",
        "2025-11-06",
        "2025-11-07",
        "2026-01-10",
      ]);
    });
  });

  describe("refuses a bad file whole, naming file, line and column, and changes nothing", () => {
    const h = "kind,name,start_date,end_date\n";
    const cases: [string, string, string][] = [
      ["unknown kind", `${h}half_term,autumn-1,2025-09-01,2025-10-24\nholiday,Christmas,2025-12-22,2026-01-02\n`, 'bad.csv:3:1: kind must be half_term or closure, not "holiday"'],
      ["bad half-term name", `${h}half_term,autumn-3,2025-09-01,2025-10-24\n`, 'bad.csv:2:2: half term "autumn-3" is not one of autumn-1, autumn-2, spring-1, spring-2, summer-1, summer-2'],
      ["bad date", `${h}closure,INSET day,2025-09-31,2025-09-31\n`, 'bad.csv:2:3: start date: "2025-09-31" is not a date'],
      ["end before start", `${h}half_term,autumn-1,2025-09-01,2025-08-24\n`, "bad.csv:2:4: end date 2025-08-24 is before the start date 2025-09-01"],
      ["empty closure reason", `${h}closure,,2025-09-01,2025-09-01\n`, "bad.csv:2:2: closure reason is empty"],
      [
        "overlapping half terms",
        `${h}half_term,autumn-1,2025-09-01,2025-10-24\nclosure,INSET,2025-09-01,2025-09-01\nhalf_term,autumn-2,2025-10-20,2025-12-19\n`,
        "bad.csv:4:3: autumn-2 (2025-10-20 to 2025-12-19) overlaps autumn-1 (2025-09-01 to 2025-10-24) on line 2",
      ],
      ["half term given twice", `${h}half_term,autumn-1,2025-09-01,2025-09-05\nhalf_term,Autumn 1,2025-09-08,2025-09-12\n`, "bad.csv:3:2: autumn-1 2025/26 is already given on line 2"],
      ["autumn half term in spring", `${h}half_term,autumn-1,2026-01-05,2026-02-13\n`, "bad.csv:2:3: autumn-1 starts on 2026-01-05: it must start between August and December"],
      ["missing column", "kind,name,start_date\n", 'bad.csv:1:1: missing column "end_date"'],
    ];
    for (const [label, text, message] of cases) {
      it(label, async () => {
        await load(SMALL);
        const before = await withConnection(db, fingerprint);
        const error = await load(text, "bad.csv").catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InputError);
        const got = (error as Error).message;
        expect(got.startsWith(message), got).toBe(true);
        expect(await withConnection(db, fingerprint)).toEqual(before);
      });
    }
  });
});
