/**
 * Every CSV export's header is its columns', the same with no row as with rows (a fresh-clone
 * trial: /pupils.csv?year_group=5&reg_group=6A, a filter no pupil matched, gave a header
 * without the rates' numerator and denominator columns the same file has with rows, as toCsv
 * added them only "when any row has them"). Real lists on a hand-built register (DuckDB): two
 * pupils in Year 5, class 5A, 6–31 Jan 2025 (40 sessions), one present every session, one off
 * ill 8 of 40 (80 %); the casework lists as of 31 Jan 2025 with the attendance rule (< 85 %)
 * and a day-count rule.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { buildPolicy, DEFAULT_POLICY_NUMBERS } from "../analytics/casework/policy.ts";
import { caseworkLists } from "../analytics/casework/lists.ts";
import { pupilList } from "../analytics/pupil-list.ts";
import { caseworkCsv } from "../app/lib/casework-csv.ts";
import { pupilListCsv } from "../app/lib/pupil-csv.ts";
import { toCsv } from "../app/lib/csv.ts";
import { seedRegister, type TestMark } from "./helpers/register.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { weekdays } from "./helpers/calendar.ts";

const db = tempDbPath("csv-fixed-header");
const DAYS = weekdays("2025-01-06", "2025-01-31");
const PERIOD = { from: "2025-01-06", to: "2025-01-31" };

beforeAll(async () => {
  const marks = (upn: string, ill: number): TestMark[] => DAYS.flatMap((d, i) => [[upn, d, "AM", 2 * i < ill ? "I" : "/"], [upn, d, "PM", 2 * i + 1 < ill ? "I" : "\\"]] as TestMark[]);
  await withConnection(db, (c) =>
    seedRegister(c, {
      pupils: ["A", "B"].map((upn) => ({ upn, admission_date: "2024-09-01", spells: [{ from: "2024-09-01", year_group: "5", reg_group: "5A" }] })),
      marks: [...marks("A", 0), ...marks("B", 8)],
    }),
  );
});
afterAll(() => removeDb(db));

const header = (csv: string) => csv.split("\r\n")[0];

describe("a CSV's header does not depend on its rows", () => {
  it("the Pupils list: a filter no pupil matches (Year 5 in class 6A) has the header of Year 5's two pupils", async () => {
    const [matched, none] = await withConnection(db, async (c) => [
      await pupilList(c, { ...PERIOD, filter: { year_group: "5" } }, { trend: null, pageSize: null }),
      await pupilList(c, { ...PERIOD, filter: { year_group: "5", reg_group: "6A" } }, { trend: null, pageSize: null }),
    ]);
    expect(matched.rows.map((r) => r.upn)).toEqual(["A", "B"]);
    expect(none.rows).toEqual([]);
    const withRows = header(pupilListCsv(matched.rows));
    expect(withRows).toContain("Attendance %,Attendance %: sessions attended,Attendance %: possible sessions");
    expect(header(pupilListCsv(none.rows))).toBe(withRows);
  });

  it("Casework: lists with no pupil, or only a day-count rule's, have the header of an attendance list with pupils", async () => {
    const policy = buildPolicy("ludlow", DEFAULT_POLICY_NUMBERS);
    const lists = (filter: Record<string, string>) =>
      withConnection(db, (c) => caseworkLists(c, { asOf: "2025-01-31", policy, rules: ["attendance_below_85", "absent_more_than_3_days"], filter, pageSize: null }));
    const matched = await lists({ year_group: "5" });
    expect(matched.find((l) => l.rule === "attendance_below_85")?.pupils.map((p) => p.upn)).toEqual(["B"]);
    const withRows = header(caseworkCsv(matched).csv);
    expect(withRows).toContain("Attendance %,Attendance: sessions attended,Attendance: possible sessions,Absence %,Absence: sessions absent,Absence: possible sessions");
    expect(header(caseworkCsv(await lists({ year_group: "5", reg_group: "6A" })).csv)).toBe(withRows);
    expect(header(caseworkCsv([]).csv)).toBe(withRows);
  });

  it("toCsv: a rate's counts follow it from its column alone; counts: false for a rate whose rows have none", () => {
    const columns = [{ key: "label", label: "Class" }, { key: "attendance_pct", label: "Attendance", format: "pct" }];
    expect(header(toCsv([], columns))).toBe("Class,Attendance %,Attendance: sessions attended,Attendance: possible sessions");
    expect(header(toCsv([], [columns[0], { ...columns[1], counts: false }]))).toBe("Class,Attendance %");
  });
});
