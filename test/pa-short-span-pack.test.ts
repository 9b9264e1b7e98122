/**
 * Persistent and severe absence over a span of fewer than 20 school days are not given, in the
 * packs as on the Overview (issue 13, a fresh-clone trial: the SLT pack for December 2026, run
 * on 2 December, gave "PA 8.0 %, 19 pupils" for 2 school days, which the Overview refuses).
 * One rule (analytics/pa-span.ts persistentAbsenceSpan). Register by hand: Autumn 2 2026 from
 * Mon 2 Nov; pupils A (present throughout) and B (absent both sessions of Tue 1 Dec). Today
 * Wed 2 Dec: December is 1–2 Dec, 2 school days (B missed 2 of 4 sessions: "persistently" and
 * "severely" absent over it); the year to date 2 Nov – 2 Dec, 23 school days (B 2 of 46: not).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { buildSltPack } from "../analytics/packs/slt.ts";
import { cellText } from "../analytics/packs/format.ts";
import { persistentAbsenceSpan, PA_NOT_GIVEN_TEXT } from "../analytics/pa-span.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { registerOf, seedSchoolDays } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";

const db = tempDbPath("pa-short-span-pack");

beforeAll(async () => {
  await withConnection(db, async (c) => {
    const days = await seedSchoolDays(c, [{ from: "2026-11-02", to: "2026-12-02", half: "autumn-2-2026", term: "autumn-2026" }]);
    await seedRegister(c, {
      pupils: [{ upn: "A", admission_date: "2026-09-01" }, { upn: "B", admission_date: "2026-09-01" }],
      marks: [...registerOf("A", days), ...registerOf("B", days, { "2026-12-01": ["I", "I"] })],
    });
  });
});
afterAll(() => removeDb(db));

describe("persistent absence over a short span", () => {
  it("is given over 20 school days or more only (by hand)", async () => {
    await withConnection(db, async (c) => {
      const december = await persistentAbsenceSpan(c, { from: "2026-12-01", to: "2026-12-02" });
      expect([december.given, december.schoolDays]).toEqual([false, 2]);
      expect(december.why).toBe(
        "Persistent and severe absence are not given for 1 Dec 2026 to 2 Dec 2026: 2 school days, fewer than the 20 over which they are measured (a pupil missing one session of a short span would count as persistently absent).",
      );
      expect(await persistentAbsenceSpan(c, { from: "2026-08-01", to: "2026-12-02" })).toMatchObject({ given: true, schoolDays: 23, why: null });
    });
  });

  it("the SLT pack for 1–2 December gives no PA or SA for the month, says why, and gives the year to date's", async () => {
    const model = await withConnection(db, (c) => buildSltPack(c, { month: "2026-12", today: "2026-12-02" }));
    const headline = model.sections.find((s) => s.id === "headline")!;
    const table = headline.blocks.flatMap((b) => (b.kind === "table" ? [b.table] : []))[0];
    const row = (label: string) => table.rows.find((r) => cellText(r[0]) === label)!.map(cellText);
    // Columns: measure, this month, same month last year, change, year to date, last year to date, change …
    for (const label of ["Persistent absence (% of pupils)", "Persistently absent pupils", "Severe absence (% of pupils)"]) {
      expect(row(label)[1]).toBe(PA_NOT_GIVEN_TEXT);
    }
    // The year to date (23 school days): nobody is persistently absent (B missed 2 of 46).
    expect(row("Persistent absence (% of pupils)")[4]).toBe("0.0%");
    expect(table.note).toContain("Persistent and severe absence are not given for December 2026 to 2 Dec 2026: 2 school days, fewer than the 20");
    // Last year has no register here: nothing to explain for it.
    expect(table.note).not.toContain("0 school days");
    // The month's attendance is still given: 6 of 8 sessions.
    expect(row("Attendance")[1]).toBe("75.0%");
  });

  it("the SLT pack for November, run on 6 November: no PA for a year to date of 5 school days, anywhere in it", async () => {
    const model = await withConnection(db, (c) => buildSltPack(c, { month: "2026-11", today: "2026-11-06", toDateTabs: false }));
    const headline = model.sections.find((s) => s.id === "headline")!;
    const table = headline.blocks.flatMap((b) => (b.kind === "table" ? [b.table] : []))[0];
    const paRow = table.rows.find((r) => cellText(r[0]) === "Persistent absence (% of pupils)")!.map(cellText);
    expect([paRow[1], paRow[4]]).toEqual([PA_NOT_GIVEN_TEXT, PA_NOT_GIVEN_TEXT]);
    // The year groups' table, and the persistent absence movement section, say the same.
    const classes = model.sections.find((s) => s.blocks.some((b) => b.kind === "table" && /[Yy]ear group/.test(b.table.caption)))!;
    const yearTable = classes.blocks.flatMap((b) => (b.kind === "table" ? [b.table] : []))[0];
    expect(yearTable.rows.flatMap((r) => r.slice(-2).map(cellText))).toEqual(yearTable.rows.flatMap(() => [PA_NOT_GIVEN_TEXT, PA_NOT_GIVEN_TEXT]));
    // The pupil groups' table: PA for the group and the rest of the school, not given.
    const groups = model.sections.find((s) => s.id === "groups")!.blocks.flatMap((b) => (b.kind === "table" ? [b.table] : []))[0];
    expect(groups.rows.length).toBeGreaterThan(0);
    for (const r of groups.rows) expect(r.slice(-2).map(cellText)).toEqual([PA_NOT_GIVEN_TEXT, PA_NOT_GIVEN_TEXT]);
    const movement = model.sections.find((s) => s.id === "pa-movement")!;
    expect(movement.blocks).toEqual([]);
    expect(movement.intro).toMatch(/^Persistent and severe absence are not given for the year to date \(1 Aug 2026 to 6 Nov 2026\): 5 school days/);
  });
});
