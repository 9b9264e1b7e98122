/**
 * The weeks, months and half terms a period cuts short (analytics/cut-groups.ts), on a hand-made
 * calendar: Autumn 1 2026 from Tuesday 1 September to Friday 23 October, Autumn 2 from Monday 2
 * November to Friday 18 December, the school closed on Friday 27 November (an INSET day); the
 * register's marks run from Wednesday 2 September (its first day, the 1st, not recorded) to
 * Wednesday 2 December.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { cutGroupsWords, groupsCutByPeriod } from "../analytics/cut-groups.ts";
import { importCalendar, importMarks, importPupils } from "../analytics/import/index.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { BY, marksCsv, pupil, pupilsCsv, upn } from "./fixtures/import/helpers.ts";

const db = tempDbPath("cut-groups");
const CALENDAR =
  "kind,name,start_date,end_date\nhalf_term,autumn-1,2026-09-01,2026-10-23\nhalf_term,autumn-2,2026-11-02,2026-12-18\nclosure,INSET day,2026-11-27,2026-11-27\n";

beforeAll(() =>
  withConnection(db, async (c) => {
    await importCalendar(c, { file: "calendar.csv", text: CALENDAR, by: BY });
    await importPupils(c, { file: "pupils.csv", text: pupilsCsv([pupil(1)]), by: BY, asOf: "2026-09-01" });
    // The register's first marks: Wednesday 2 September; its last: Wednesday 2 December (a
    // register behind, or today that day).
    const days = ["2026-09-02", "2026-12-02"].flatMap((date) => [[upn(1), date, "AM", "/"], [upn(1), date, "PM", "/"]]);
    await importMarks(c, { file: "marks.csv", text: marksCsv(days), by: BY, today: "2026-12-02" });
  }),
);
afterAll(() => removeDb(db));

const cut = (from: string, to: string, grain: string) => withConnection(db, (c) => groupsCutByPeriod(c, { from, to }, grain));

describe("groupsCutByPeriod", () => {
  it("gives November's last week, one school day of its five, and not the whole weeks before it", async () => {
    // November 2026: the weeks of 2, 9, 16 and 23 November are whole (the 23rd's has 4 school
    // days, the INSET day closed: all 4 in the month); Monday 30 November is one of its week's 5.
    expect(await cut("2026-11-01", "2026-11-30", "week")).toEqual([{ group: "2026-11-30", schoolDaysInPeriod: 1, schoolDays: 5 }]);
  });

  it("counts school days, not weekdays: the closed day and the holiday are no days of their groups", async () => {
    // 23–26 November is the whole of its week's school days (Friday 27th closed): not cut.
    expect(await cut("2026-11-23", "2026-11-26", "week")).toEqual([]);
    // Wednesday 21 October to Monday 2 November: Autumn 1's last week from its Wednesday (3 of
    // 5), the half-term holiday week (no school days: no group), Monday 2 November (1 of 5).
    expect(await cut("2026-10-21", "2026-11-02", "week")).toEqual([
      { group: "2026-10-19", schoolDaysInPeriod: 3, schoolDays: 5 },
      { group: "2026-11-02", schoolDaysInPeriod: 1, schoolDays: 5 },
    ]);
  });

  it("cuts months and half terms the same way, and no other grain", async () => {
    // 15 October to 6 November: October from its 15th (7 of its 17 school days: 1–2, 5–9,
    // 12–16, 19–23 October), November to the 6th (5 of its 20: 21 weekdays less the INSET day).
    // Autumn 1: September's 22 school days (1–4, 7–11, 14–18, 21–25, 28–30) and October's 17;
    // Autumn 2: November's 20 and December's 14 (1–4, 7–11, 14–18).
    expect(await cut("2026-10-15", "2026-11-06", "month")).toEqual([
      { group: "2026-10", schoolDaysInPeriod: 7, schoolDays: 17 },
      { group: "2026-11", schoolDaysInPeriod: 5, schoolDays: 20 },
    ]);
    expect(await cut("2026-10-15", "2026-11-06", "half_term")).toEqual([
      { group: "autumn-1-2026", schoolDaysInPeriod: 7, schoolDays: 39 },
      { group: "autumn-2-2026", schoolDaysInPeriod: 5, schoolDays: 34 },
    ]);
    expect(await cut("2026-10-15", "2026-11-06", "weekday")).toEqual([]);
  });

  it("counts a group's days only within the register's marks: the week and month in progress are cut, and a register begun mid-week", async () => {
    // A custom range past the marks (1 November to 31 December, marks to Wednesday 2 December):
    // the week of 30 November is drawn from 3 of its 5 school days and December from 2 of its
    // 14, though the range holds all of both; the weeks after the marks have no bars and no days.
    expect(await cut("2026-11-01", "2026-12-31", "week")).toEqual([{ group: "2026-11-30", schoolDaysInPeriod: 3, schoolDays: 5 }]);
    expect(await cut("2026-11-01", "2026-12-31", "month")).toEqual([{ group: "2026-12", schoolDaysInPeriod: 2, schoolDays: 14 }]);
    // The year to date from 1 August: the register begins on Wednesday 2 September, so the
    // first week's bar has 3 of its 4 school days (Tuesday 1st not recorded).
    expect(await cut("2026-08-01", "2026-12-31", "week")).toEqual([
      { group: "2026-08-31", schoolDaysInPeriod: 3, schoolDays: 4 },
      { group: "2026-11-30", schoolDaysInPeriod: 3, schoolDays: 5 },
    ]);
    // A range wholly after the marks has no group in progress.
    expect(await cut("2026-12-07", "2026-12-18", "week")).toEqual([]);
  });

  it("says them in a sentence, named as the pages name them", () => {
    expect(cutGroupsWords([{ group: "2026-11-30", schoolDaysInPeriod: 1, schoolDays: 5 }], "week")).toBe(
      "One week is only partly in the period, so its bars count only the school days inside it: w/c 30 Nov 2026 (1 of its 5 school days).",
    );
    expect(
      cutGroupsWords(
        [
          { group: "2026-10", schoolDaysInPeriod: 7, schoolDays: 17 },
          { group: "2026-11", schoolDaysInPeriod: 5, schoolDays: 20 },
        ],
        "month",
      ),
    ).toBe("2 months are only partly in the period, so their bars count only the school days inside it: Oct 2026 (7 of its 17 school days) and Nov 2026 (5 of its 20 school days).");
    expect(cutGroupsWords([], "week")).toBeNull();
  });
});
