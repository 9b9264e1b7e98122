/** Named periods resolved against a school calendar, and the academic-year arithmetic. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { importCalendar } from "../analytics/import/index.ts";
import { academicYearOf, resolvePeriod, samePeriodLastYear, termBounds } from "../analytics/periods.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("periods");
const CALENDAR = [
  "kind,name,start_date,end_date",
  "half_term,autumn-1,2026-09-01,2026-10-23",
  "half_term,autumn-2,2026-11-02,2026-12-18",
  "closure,INSET day,2026-09-01,2026-09-02",
].join("\n");

beforeAll(() => withConnection(db, (c) => importCalendar(c, { file: "calendar.csv", text: CALENDAR, by: { name: "t", role: "t" } })));
afterAll(() => removeDb(db));

const resolve = (name: Parameters<typeof resolvePeriod>[1]["name"], today: string, extra = {}) =>
  withConnection(db, (c) => resolvePeriod(c, { name, today, ...extra }));

describe("periods", () => {
  it("knows academic years", () => {
    expect(academicYearOf("2026-07-31")).toBe("2025/26");
    expect(academicYearOf("2026-08-01")).toBe("2026/27");
    expect(samePeriodLastYear({ from: "2026-08-01", to: "2026-11-23" })).toEqual({ from: "2025-08-01", to: "2025-11-23" });
  });

  it("resolves weeks, months and the year to date", async () => {
    expect(await resolve("this-week", "2026-11-25")).toMatchObject({ from: "2026-11-23", to: "2026-11-25" });
    expect(await resolve("last-week", "2026-11-25")).toMatchObject({ from: "2026-11-16", to: "2026-11-20" });
    expect(await resolve("last-month", "2026-11-25")).toMatchObject({ from: "2026-10-01", to: "2026-10-31" });
    expect(await resolve("ytd", "2026-11-25")).toMatchObject({ from: "2026-08-01", to: "2026-11-25", academicYear: "2026/27" });
  });

  it("resolves the half term and term from the calendar, using the last one during a holiday", async () => {
    expect(await resolve("half-term", "2026-11-25")).toMatchObject({ from: "2026-11-02", to: "2026-11-25", label: "Autumn 2 2026" });
    // In the October holiday, "this half term" is the half term just ended (school days start after the INSET days).
    expect(await resolve("half-term", "2026-10-28")).toMatchObject({ from: "2026-09-03", to: "2026-10-23" });
    expect(await resolve("term", "2026-11-25")).toMatchObject({ from: "2026-09-03", to: "2026-11-25" });
    expect(await withConnection(db, (c) => termBounds(c, "autumn-2026"))).toEqual({ from: "2026-09-03", to: "2026-12-18" });
    expect(await withConnection(db, (c) => termBounds(c, "spring-2027"))).toBeUndefined();
  });

  it("refuses a custom range with a day its month does not have (trial21: 31 Sep reached DuckDB)", async () => {
    await expect(resolve("custom", "2026-11-25", { from: "2026-09-31", to: "2026-10-02" })).rejects.toThrow(/needs from and to dates/);
    await expect(resolve("custom", "2027-03-25", { from: "2027-02-01", to: "2027-02-29" })).rejects.toThrow(/needs from and to dates/);
    // 2028 is a leap year: 29 Feb is a day.
    expect(await resolve("custom", "2028-03-25", { from: "2028-02-28", to: "2028-02-29" })).toMatchObject({ from: "2028-02-28", to: "2028-02-29" });
  });

  it("refuses a custom range that ends before it starts", async () => {
    await expect(resolve("custom", "2026-11-25", { from: "2026-11-20", to: "2026-11-01" })).rejects.toThrow(/after it ends/);
  });
});
