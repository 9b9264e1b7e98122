/**
 * The SLT pack's "Morning and afternoon" table reads the month and the year to date by session
 * in one read of the year's marks (analytics/session-attendance.ts): on a hand-built register
 * with a pupil who left during the year (and still has marks after leaving), one who left in
 * the month, one who joined in it and one who moved class, it equals the two summariseBy(…,
 * "session") it replaced, for months ending mid-week and a part of one day.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { summariseBy } from "../analytics/measures.ts";
import { sessionAttendance } from "../analytics/session-attendance.ts";
import { seedRegister, type TestMark, type TestPupil } from "./helpers/register.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const DAYS: string[] = [];
for (let d = new Date("2025-09-01T00:00:00Z"); d <= new Date("2025-11-14T00:00:00Z"); d.setUTCDate(d.getUTCDate() + 1)) {
  if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) DAYS.push(d.toISOString().slice(0, 10));
}
const CODES = ["/", "/", "I", "/", "O", "/", "M", "/", "G", "/", "L", "/", "U", "/", "C", "/", "N", "X"];
const pupils: TestPupil[] = [
  { upn: "S1", admission_date: "2025-09-01" },
  { upn: "S2", admission_date: "2025-09-01" },
  // Left in September, marked on afterwards: in no month's part after September.
  { upn: "S3", admission_date: "2025-09-01", leaving_date: "2025-09-26" },
  // Left during October.
  { upn: "S4", admission_date: "2025-09-01", leaving_date: "2025-10-15" },
  // Joined during October.
  { upn: "S5", admission_date: "2025-10-08" },
  // Moved class on 6 October.
  { upn: "S6", admission_date: "2025-09-01", spells: [{ from: "2025-09-01", to: "2025-10-05", year_group: "3", reg_group: "3B" }, { from: "2025-10-06", year_group: "4", reg_group: "4A" }] },
];
const marks: TestMark[] = [];
pupils.forEach((p, k) =>
  DAYS.forEach((date, i) => {
    if (date < (p.admission_date ?? "")) return;
    marks.push([p.upn, date, "AM", CODES[(i + 3 * k) % CODES.length]], [p.upn, date, "PM", CODES[(2 * i + k) % CODES.length]]);
  }),
);
const db = tempDbPath("session-attendance");
beforeAll(() => withConnection(db, (c) => seedRegister(c, { pupils, marks })));
afterAll(() => removeDb(db));

const YEAR_FROM = "2025-08-01";
const PARTS = [
  { from: "2025-09-01", to: "2025-09-30" },
  { from: "2025-10-01", to: "2025-10-31" },
  { from: "2025-10-01", to: "2025-10-15" }, // ends on S4's last day, mid-week
  { from: "2025-10-16", to: "2025-10-22" }, // after S4 left
  { from: "2025-11-01", to: "2025-11-12" },
  { from: "2025-11-12", to: "2025-11-12" },
];

describe("sessionAttendance", () => {
  it("equals summariseBy by session over the year to date and over its last part", async () => {
    await withConnection(db, async (c) => {
      for (const part of PARTS) {
        const year = await summariseBy(c, { from: YEAR_FROM, to: part.to }, "session");
        const month = await summariseBy(c, part, "session");
        expect(year.map((s) => s.group)).toEqual(["AM", "PM"]);
        const expected = year.map((s) => ({ group: s.group, yearToDate: s.attendance_pct, part: month.find((m) => m.group === s.group)?.attendance_pct ?? null }));
        expect(await sessionAttendance(c, { from: YEAR_FROM, to: part.to }, part.from)).toEqual(expected);
      }
    });
  });

  it("refuses a part outside the span", async () => {
    await withConnection(db, async (c) => {
      await expect(sessionAttendance(c, { from: "2025-09-01", to: "2025-10-31" }, "2025-08-15")).rejects.toThrow(/before the span/);
      await expect(sessionAttendance(c, { from: "2025-09-01", to: "2025-10-31" }, "2025-11-03")).rejects.toThrow();
    });
  });
});
