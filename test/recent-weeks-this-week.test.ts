/**
 * Trial 30: on Friday 4 Dec 2026 after both registers had closed, the Overview's "Since last
 * week" set the week of 16 Nov against that of 23 Nov, while the weekly chart drew the week of
 * 30 Nov whole. Today's week is compared once every school day's registers are due.
 * Register by hand: pupil P, every school day of 16 Nov – 4 Dec 2026, all present except
 * Wednesday 2 Dec (both sessions N): the week of 30 Nov is 8 of 10 sessions, 80 %; the weeks
 * of 16 and 23 Nov 100 %.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { recentWeeks, weekInProgress } from "../app/lib/recent.server.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { registerOf, seedSchoolDays } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";

const db = tempDbPath("recent-weeks-this-week");

beforeAll(async () => {
  await withConnection(db, async (c) => {
    const days = await seedSchoolDays(c, [{ from: "2026-11-02", to: "2026-12-18", half: "autumn-2-2026", term: "autumn-2026" }]);
    const marked = days.filter((day) => day >= "2026-11-16" && day <= "2026-12-04");
    await seedRegister(c, { pupils: [{ upn: "P", admission_date: "2026-09-01" }], marks: registerOf("P", marked, { "2026-12-02": ["N", "N"] }) });
  });
});
afterAll(() => removeDb(db));

const weeksOn = (today: string, due: { date: string; pm: boolean } | null) =>
  withConnection(db, async (c) => {
    const change = await recentWeeks(c, today, {}, null, due);
    return [change.previous?.label, change.latest?.label, change.latest?.attendance_pct];
  });

describe("Since last week: today's week once its registers are all due", () => {
  it("Friday after the afternoon's register closes: the week of 23 Nov against this week (80 %)", async () => {
    expect(await weeksOn("2026-12-04", { date: "2026-12-04", pm: true })).toEqual(["Week beginning 23 Nov 2026", "Week beginning 30 Nov 2026", 80]);
  });
  it("a Saturday: this week is complete too", async () => {
    expect(await weeksOn("2026-12-05", { date: "2026-12-05", pm: true })).toEqual(["Week beginning 23 Nov 2026", "Week beginning 30 Nov 2026", 80]);
  });
  it("Friday with only the morning due: the two weeks before this one", async () => {
    expect(await weeksOn("2026-12-04", { date: "2026-12-04", pm: false })).toEqual(["Week beginning 16 Nov 2026", "Week beginning 23 Nov 2026", 100]);
  });
  it("Thursday evening: this week has a school day to come", async () => {
    expect(await weeksOn("2026-12-03", { date: "2026-12-03", pm: true })).toEqual(["Week beginning 16 Nov 2026", "Week beginning 23 Nov 2026", 100]);
  });
});

/**
 * The Overview's weekly chart says its last point is this week while registers of it are still
 * to come (trial 50: a Monday morning's point, one session a pupil, drawn as a week). By hand:
 * the week of 30 Nov has 5 school days, 10 sessions; Monday 30 Nov with the morning due: 1 of
 * 10; Wednesday 2 Dec with both due: Mon, Tue, Wed = 6.
 */
describe("weekInProgress: today's week until its last register is due", () => {
  const open = (today: string, due: { date: string; pm: boolean } | null) => withConnection(db, (c) => weekInProgress(c, today, due));
  it("Monday with the morning's register due: 1 of 10", async () => {
    expect(await open("2026-11-30", { date: "2026-11-30", pm: false })).toEqual({ monday: "2026-11-30", sessionsDue: 1, sessions: 10 });
  });
  it("Monday before the morning's register closes (Friday before due): none of 10", async () => {
    expect(await open("2026-11-30", { date: "2026-11-27", pm: true })).toEqual({ monday: "2026-11-30", sessionsDue: 0, sessions: 10 });
  });
  it("Wednesday evening: 6 of 10", async () => {
    expect(await open("2026-12-02", { date: "2026-12-02", pm: true })).toEqual({ monday: "2026-11-30", sessionsDue: 6, sessions: 10 });
  });
  it("Friday after the afternoon's register, and the weekend: none in progress", async () => {
    expect(await open("2026-12-04", { date: "2026-12-04", pm: true })).toBeNull();
    expect(await open("2026-12-06", { date: "2026-12-06", pm: true })).toBeNull();
  });
  it("a holiday week (no school day): none in progress", async () => {
    expect(await open("2026-12-22", { date: "2026-12-22", pm: false })).toBeNull();
  });
});
