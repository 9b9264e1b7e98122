/** The penalty-notice window and the leave-of-absence rule on hand-made registers. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { leaveOfAbsenceCheck, penaltyNoticeCandidates, statutoryAssessmentWords } from "../analytics/escalation.ts";
import { importCalendar } from "../analytics/import/index.ts";
import { seedRegister, type TestMark } from "./helpers/register.ts";
import { onFreshInstances, removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("escalation");

// Spring 2 2026: 23 Feb – 27 Mar (5 weeks); Easter holiday; summer 1 from 13 April (weeks of 13, 20, 27 Apr, 4, 11 May).
const CALENDAR = "kind,name,start_date,end_date\nhalf_term,spring-2,2026-02-23,2026-03-27\nhalf_term,summer-1,2026-04-13,2026-05-22\n";

const unauthorised = (upn: string, dates: string[], code = "O"): TestMark[] => dates.flatMap((d) => [[upn, d, "AM", code], [upn, d, "PM", code]] as TestMark[]);

beforeAll(async () => {
  await withConnection(db, async (c) => {
    await importCalendar(c, { file: "calendar.csv", text: CALENDAR, by: { name: "t", role: "t" } });
    await seedRegister(c, {
      pupils: [
        { upn: "A", surname: "Atkins" },
        { upn: "B", surname: "Bell", spells: [{ from: "2025-09-01", year_group: "5" }] },
        { upn: "C", surname: "Cole" },
        // D joined on 9 March: every school day of hers is marked (a register with gaps is not judged).
        { upn: "D", surname: "Dunn", admission_date: "2026-03-09", spells: [{ from: "2025-09-01", year_group: "6" }] },
      ],
      marks: [
        // A: 10 sessions of O/G in the week of 2 March and the week of 13 April: inside a 10-school-week window ending 22 May (the holiday weeks do not count).
        ...unauthorised("A", ["2026-03-02", "2026-03-03", "2026-03-04"]),
        ...unauthorised("A", ["2026-04-13", "2026-04-14"], "G"),
        // B: 9 sessions only.
        ...unauthorised("B", ["2026-04-20", "2026-04-21", "2026-04-22", "2026-04-23"]),
        ["B", "2026-04-24", "AM", "U"],
        // C: 10 sessions, but in the week of 23 February: outside the 10 school weeks ending 22 May.
        ...unauthorised("C", ["2026-02-23", "2026-02-24", "2026-02-25", "2026-02-26", "2026-02-27"]),
        // D: leave-of-absence: 20 sessions, 3 authorised (15 %), no unauthorised.
        ...["2026-03-09", "2026-03-10", "2026-03-11", "2026-03-12", "2026-03-13", "2026-03-16", "2026-03-17", "2026-03-18", "2026-03-19", "2026-03-20"].flatMap(
          (d, i) => [["D", d, "AM", i < 3 ? "M" : "/"], ["D", d, "PM", "\\"]] as TestMark[],
        ),
      ],
    });
  });
});
afterAll(() => removeDb(db));

describe("penalty-notice threshold", () => {
  it("counts unauthorised sessions in the latest 10 school weeks, across the holiday", async () => {
    const rows = await withConnection(db, (c) => penaltyNoticeCandidates(c, { asOf: "2026-05-22", sessions: 10, windowWeeks: 10 }));
    // School weeks back from 22 May: 18 May, 11 May, 4 May, 27 Apr, 20 Apr, 13 Apr, 23 Mar, 16 Mar, 9 Mar, 2 Mar; 23 Feb is the 11th.
    expect(rows.map((r) => [r.upn, r.unauthorised_sessions, r.window_from])).toEqual([["A", 10, "2026-03-02"]]);
    // One week earlier the window reaches back to 23 February: C is caught as well.
    const earlier = await withConnection(db, (c) => penaltyNoticeCandidates(c, { asOf: "2026-05-15", sessions: 10, windowWeeks: 10 }));
    expect(earlier.map((r) => r.upn).sort()).toEqual(["A", "C"]);
  });
});

// Eight pupils of one name with as many unauthorised sessions: listed by UPN, the same on every
// fresh instance. Before the UPN was a key they came out in the aggregate's order, which varies
// from one instance to the next (3 orders in 8 on the 4,500-pupil register); seeded in reverse
// UPN order here, so neither the insertion nor that order reads as ascending UPNs by chance.
describe("penalty-notice candidates of one name", () => {
  const tiedDb = tempDbPath("escalation-tied");
  const upns = ["T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8"];
  beforeAll(async () => {
    await withConnection(tiedDb, async (c) => {
      await importCalendar(c, { file: "calendar.csv", text: CALENDAR, by: { name: "t", role: "t" } });
      const reversed = [...upns].reverse();
      await seedRegister(c, {
        pupils: reversed.map((upn) => ({ upn, surname: "Smith", forename: "Sam" })),
        marks: reversed.flatMap((upn) => unauthorised(upn, ["2026-05-11", "2026-05-12", "2026-05-13", "2026-05-14", "2026-05-15"])),
      });
    });
  });
  afterAll(() => removeDb(tiedDb));

  it("lists them by UPN on every fresh instance", async () => {
    for (const rows of await onFreshInstances(tiedDb, 6, (c) => penaltyNoticeCandidates(c, { asOf: "2026-05-22", sessions: 10, windowWeeks: 10 }))) {
      expect(rows.map((r) => [r.upn, r.unauthorised_sessions])).toEqual(upns.map((upn) => [upn, 10]));
    }
  });
});

describe("leave of absence", () => {
  it("refuses where authorised absence is above 10 %", async () => {
    const check = await withConnection(db, (c) => leaveOfAbsenceCheck(c, { upn: "D", asOf: "2026-03-20" }));
    expect(check.may_be_considered).toBe(false);
    expect(check.authorised_pct).toBeCloseTo(15, 10);
    expect(check.reasons).toEqual(["authorised absence of 15.0% is above 10%"]);
  });

  it("refuses where there is any unauthorised absence, and allows a clean record", async () => {
    const b = await withConnection(db, (c) => leaveOfAbsenceCheck(c, { upn: "B", asOf: "2026-05-15" }));
    expect(b.reasons).toEqual(["9 sessions of unauthorised absence this academic year"]);
    const d = await withConnection(db, (c) => leaveOfAbsenceCheck(c, { upn: "D", asOf: "2026-03-20", authorisedLimitPct: 20 }));
    expect(d.may_be_considered).toBe(true);
  });

  it("says the pupil's statutory assessment beside the verdict: the policy refuses leave around it (Year 6: the key stage 2 tests)", async () => {
    const d = await withConnection(db, (c) => leaveOfAbsenceCheck(c, { upn: "D", asOf: "2026-03-20", authorisedLimitPct: 20 }));
    expect(d.assessment).toBe("Year 6: the key stage 2 tests (SATs), in May");
    const b = await withConnection(db, (c) => leaveOfAbsenceCheck(c, { upn: "B", asOf: "2026-05-15" }));
    expect(b.assessment).toBeNull(); // Year 5 sits none
    expect(statutoryAssessmentWords("Y4")).toBe("Year 4: the multiplication tables check, in June");
    expect(statutoryAssessmentWords("R")).toMatch(/^Reception: the reception baseline assessment/);
    expect(statutoryAssessmentWords("3")).toBeNull();
  });
});
