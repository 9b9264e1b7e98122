/**
 * A session is missing only once its register has closed (analytics/register-due.ts), the same
 * in every count of unmarked days: a register exported after the morning's registers holds no
 * PM marks for its last day, and that afternoon is nobody's gap yet.
 *
 * Register by hand: school days Mon 2 – Fri 13 March 2026. A and B are marked both sessions
 * Mon 2 – Thu 5 and the AM only on Fri 6 (the export was taken at lunchtime); C is marked
 * Mon 2 – Thu 5 and not at all on Fri 6. So the last marked day is Fri 6, with no PM mark.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { importCalendar } from "../analytics/import/index.ts";
import { monthCoverage } from "../analytics/pupil.ts";
import { registerGaps } from "../analytics/quality.ts";
import { DEFAULT_REGISTER_CLOSES, dueThrough, lastDueSession, momentOf, sessionDue } from "../analytics/register-due.ts";
import { unmarkedDaysByPupil } from "../analytics/unmarked-days.ts";
import { daysOf, seedRegister, type TestMark } from "./helpers/register.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("register-due");
const FULL_DAYS = ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05"];
const full = (upn: string): TestMark[] => FULL_DAYS.flatMap((date) => daysOf(upn, { [date]: ["/", "\\"] }));

beforeAll(async () => {
  await withConnection(db, async (c) => {
    await importCalendar(c, { file: "calendar.csv", text: "kind,name,start_date,end_date\nhalf_term,spring-2,2026-03-02,2026-03-13\n", by: { name: "Test", role: "Test" } });
    await seedRegister(c, {
      pupils: [{ upn: "A", surname: "Able" }, { upn: "B", surname: "Baker" }, { upn: "C", surname: "Cole" }],
      marks: [...full("A"), ...full("B"), ...full("C"), ...daysOf("A", { "2026-03-06": ["/", null] }), ...daysOf("B", { "2026-03-06": ["/", null] })],
    });
  });
});
afterAll(() => removeDb(db));

describe("unmarked days count only the sessions the register holds", () => {
  it("the last marked day's afternoon, with no PM mark anywhere, is nobody's gap: only C's Friday is unmarked", async () => {
    const byPupil = await withConnection(db, (c) => unmarkedDaysByPupil(c, { from: "2026-03-02", to: "2026-03-13" }, dueThrough("2026-03-13")));
    expect(Object.fromEntries(byPupil)).toEqual({ C: 1 });
  });

  it("a month to date at 00:00 on Mon 9 March covers the 5 days to Fri 6, not today; A has 9 of 9 sessions marked", async () => {
    const due = lastDueSession(momentOf("2026-03-09"), DEFAULT_REGISTER_CLOSES);
    const [month] = await withConnection(db, (c) => monthCoverage(c, { from: "2026-03-02", to: "2026-03-09" }, "A", "month", due));
    expect(month).toEqual({ month: "2026-03", covered: 5, schoolDays: 10, partial: true, marked: { sessions: 9, sessionsExpected: 9, unmarkedDays: 0 } });
  });
});

describe("one rule for \"today is not yet a gap\": the chart's unmarked days are Register checks' gaps", () => {
  // Today is Fri 6 March; the register was exported with A's and B's morning marks before the
  // morning register closed (09:30). C has no mark today.
  const span = { from: "2026-03-02", to: "2026-03-06" };
  const at = async (time: string) =>
    withConnection(db, async (c) => {
      const due = lastDueSession({ date: "2026-03-06", time }, DEFAULT_REGISTER_CLOSES);
      const [month] = await monthCoverage(c, span, "C", "month", due);
      const gaps = (await registerGaps(c, span, due)).filter((g) => g.upn === "C").map((g) => `${g.date} ${g.session}`);
      return { chart: month.marked, checks: gaps, list: Object.fromEntries(await unmarkedDaysByPupil(c, span, due)) };
    });

  it("at 09:00 neither counts C's Friday morning: its register has not closed", async () => {
    // Before: the chart said "8 of 9 sessions marked; 1 school day unmarked" while Register checks listed nothing.
    expect(await at("09:00")).toEqual({ chart: { sessions: 8, sessionsExpected: 8, unmarkedDays: 0 }, checks: [], list: {} });
  });

  it("from 09:30 both count it, and the afternoon (no PM mark anywhere) only in Register checks once it closes", async () => {
    expect(await at("09:30")).toEqual({ chart: { sessions: 8, sessionsExpected: 9, unmarkedDays: 1 }, checks: ["2026-03-06 AM"], list: { C: 1 } });
  });
});

describe("sessionDue", () => {
  it("is dueSessionSql's rule for a session in hand: every earlier day's, that day's AM, its PM only once due", () => {
    const morning = { date: "2026-12-04", pm: false };
    expect(sessionDue(morning, "2026-12-03", true)).toBe(true);
    expect(sessionDue(morning, "2026-12-04", false)).toBe(true);
    expect(sessionDue(morning, "2026-12-04", true)).toBe(false);
    expect(sessionDue(morning, "2026-12-05", false)).toBe(false);
    expect(sessionDue({ date: "2026-12-04", pm: true }, "2026-12-04", true)).toBe(true);
  });
});

describe("momentOf reads London's clock (formatted once a minute)", () => {
  // Instants by hand: BST began at 01:00 UTC on Sun 29 March 2026 (clocks 01:00 -> 02:00 London).
  it("gives each clock's own London date and time, asked again within a minute, across minutes, backwards and across the change to BST", () => {
    const at = (iso: string) => momentOf(undefined, new Date(iso));
    expect(at("2026-03-29T00:59:00Z")).toEqual({ date: "2026-03-29", time: "00:59" });
    expect(at("2026-03-29T00:59:59Z")).toEqual({ date: "2026-03-29", time: "00:59" });
    expect(at("2026-03-29T01:00:00Z")).toEqual({ date: "2026-03-29", time: "02:00" });
    expect(at("2026-03-29T01:00:30Z")).toEqual({ date: "2026-03-29", time: "02:00" });
    expect(at("2026-03-29T01:01:00Z")).toEqual({ date: "2026-03-29", time: "02:01" });
    expect(at("2026-03-28T23:30:00Z")).toEqual({ date: "2026-03-28", time: "23:30" });
    expect(at("2026-07-01T23:15:00Z")).toEqual({ date: "2026-07-02", time: "00:15" });
    // A fixed ROLLCALL_TODAY is read as it is, whatever the clock.
    expect(momentOf("2026-03-13T09:30", new Date("2026-07-01T23:15:00Z"))).toEqual({ date: "2026-03-13", time: "09:30" });
  });

  it("gives a copy: a caller changing what it was given changes nothing another is given", () => {
    const first = momentOf(undefined, new Date("2026-05-05T10:00:00Z"));
    first.time = "23:59";
    expect(momentOf(undefined, new Date("2026-05-05T10:00:10Z"))).toEqual({ date: "2026-05-05", time: "11:00" });
  });
});
