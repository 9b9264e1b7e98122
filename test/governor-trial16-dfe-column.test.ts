/**
 * Issue 13, cases 1 and 8 together, found by session 16's fresh-clone trial: the FGB pack's
 * headline prints the whole school's figures and, beside the national ones, the school's on
 * the DfE's population (pupils aged 5–15 on 31 August). With one Reception child on roll the
 * two differ by that child alone: the Overview and Benchmarks withheld the DfE-basis figures,
 * but the pack printed them (and its workbook gave 96.03489294210944 %, which only 16,954 of
 * 17,654 sessions make), so a governor read the child's attendance off the difference.
 *
 * Register (Autumn 1 2024 only, 20 school days from Monday 2 September, 40 sessions each;
 * today 4 October 2024): Year 3 — 3A: A0–A7, 3B: B0–B7 (born 1 May 2016), Year 4 — 4A: C0–C7,
 * 4B: D0–D7 (born 1 May 2015) — and one Reception child R0 in class RA, born 1 May 2020 (aged 4
 * on 31 August 2024: outside the DfE's population). Off ill (I): each of the 32 in Years 3 and
 * 4 one whole day (2 sessions), R0 on 10 September and the morning of 11 September (3).
 * Nobody persistently absent (5 % and 7.5 %).
 * By hand: whole roll 33 pupils, 1,320 possible sessions, 1,253 attended (94.92 %); DfE basis
 * 32 pupils, 1,280 possible, 1,216 attended (95.0 %). The difference: R0 attended 37 of 40.
 */
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { buildFgbPack } from "../analytics/packs/fgb.ts";
import { packWorkbook } from "../analytics/packs/xlsx.ts";
import type { Cell, PackTable } from "../analytics/packs/model.ts";
import { daysOfHalf, marksOf, restoreTodayAfterAll, seedCalendar, yearThreeClasses, type Half } from "./helpers/break-register.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { seedRegister } from "./helpers/register.ts";

restoreTodayAfterAll();

describe("the FGB pack's DfE-basis column beside one Reception child", () => {
  const db = tempDbPath("governor-trial16-dfe-column");
  const A1: Half = { key: "autumn-1-2024", term: "autumn-2024", year: "2024/25", monday: "2024-09-02" };
  beforeAll(async () => {
    const yearFour = ["C", "D"].flatMap((cls) => Array.from({ length: 8 }, (_, i) => ({ upn: `${cls}${i}`, dob: "2015-05-01", spells: [{ from: "2024-09-01", year_group: "4", reg_group: `4${cls}` }] })));
    const pupils = [
      ...yearThreeClasses(),
      ...yearFour,
      { upn: "R0", dob: "2020-05-01", spells: [{ from: "2024-09-01", year_group: "R", reg_group: "RA" }] },
    ];
    // Each Year 3 and 4 pupil off ill (I) one whole day, the i-th pupil on the i-th school day mod 20.
    const days = daysOfHalf(A1);
    const absent: Record<string, Record<string, string>> = { R0: { "2024-09-10": "I" } };
    pupils.filter((p) => p.upn !== "R0").forEach((p, i) => (absent[p.upn] = { [days[i % 20]]: "I" }));
    const marks = marksOf(pupils.map((p) => p.upn), days, absent);
    marks.push(["R0", "2024-09-11", "AM", "I"]);
    const seen = new Set<string>();
    // The later R0 morning mark replaces the present one marksOf wrote.
    const register = marks.reverse().filter((m) => {
      const key = `${m[0]} ${m[1]} ${m[2]}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    await withConnection(db, async (c) => {
      await seedCalendar(c, [A1]);
      await seedRegister(c, { pupils, marks: register });
    });
  });
  afterAll(() => removeDb(db));

  it("withholds the DfE-basis column where the whole roll less it is one child, and the workbook gives rates as printed", async () => {
    process.env.ROLLCALL_TODAY = "2024-10-04";
    const pack = await withConnection(db, (c) => buildFgbPack(c, { term: "autumn-2024", today: "2024-10-04" }));
    const table = pack.sections
      .find((s) => s.id === "headline")!
      .blocks.flatMap((b) => (b.kind === "table" ? [b.table] : [])) [0] as PackTable;
    const column = (label: RegExp) => table.columns.findIndex((c) => label.test(c.label));
    const row = (label: string) => table.rows.find((r) => r[0].kind === "text" && r[0].text === label)!;
    const ytd = column(/^Year to date$/);
    const dfe = column(/DfE basis/);
    const value = (cell: Cell) => (cell.kind === "pct" || cell.kind === "count" ? cell.value : cell.kind);
    // The whole roll's figures are printed (so the test is not passing on an empty pack).
    expect(value(row("Attendance")[ytd])).toBeCloseTo((1253 / 1320) * 100, 9);
    expect(value(row("Possible sessions")[ytd])).toBe(1320);
    // Every DfE-basis figure is withheld: printed, 95.0 % of 1,280 beside 94.92 % of 1,320 gave R0's 37 of 40.
    for (const label of ["Attendance", "Overall absence", "Authorised absence", "Unauthorised absence", "Persistent absence (% of pupils)", "Severe absence (% of pupils)"]) {
      expect([label, value(row(label)[dfe])]).toEqual([label, "suppressed"]);
    }

    // The workbook: every rate and change as printed, one decimal (never 94.92424242424242).
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await packWorkbook(pack)) as unknown as ArrayBuffer);
    const numbers: number[] = [];
    for (const sheet of book.worksheets) sheet.eachRow((r) => r.eachCell((c) => typeof c.value === "number" && numbers.push(c.value)));
    expect(numbers).toContain(94.9);
    expect(numbers.filter((n) => Math.abs(n * 10 - Math.round(n * 10)) > 1e-9)).toEqual([]);
  });
});
