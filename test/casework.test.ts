/**
 * The casework rules on hand-built registers: each rule exactly at and either side of its
 * threshold (issue 12, "Done when"), on a real calendar with a weekend, a half-term holiday
 * and a closure, computed by the real SQL on a real DuckDB.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection, type Connection } from "../analytics/db.ts";
import { rebuildSchoolDays } from "../analytics/import/calendar.ts";
import { computeCasework, type CaseworkEntry } from "../analytics/casework/compute.ts";
import { DEFAULT_POLICY_NUMBERS } from "../analytics/casework/policy.ts";
import type { RuleId } from "../analytics/casework/rules.ts";
import { seedRegister, type TestMark, type TestPupil } from "./helpers/register.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

// 2025/26: autumn 1 to Fri 24 Oct, half-term holiday 27–31 Oct, autumn 2 from Mon 3 Nov;
// spring 1 from Mon 5 Jan 2026. Wednesday 1 October 2025 is a closure (training day).
const HALF_TERMS = [
  ["autumn-1-2025", "2025-09-01", "2025-10-24"],
  ["autumn-2-2025", "2025-11-03", "2025-12-19"],
  ["spring-1-2026", "2026-01-05", "2026-02-13"],
  ["spring-2-2026", "2026-02-23", "2026-03-27"],
] as const;
const CLOSURE = "2025-10-01";

/** The calendar's school days, worked out here independently of the SQL. */
function schoolDays(): string[] {
  const days: string[] = [];
  for (const [, start, end] of HALF_TERMS) {
    for (let d = new Date(`${start}T00:00:00Z`); d <= new Date(`${end}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) {
      const iso = d.toISOString().slice(0, 10);
      if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6 && iso !== CLOSURE) days.push(iso);
    }
  }
  return days;
}
const DAYS = schoolDays();
/** School days from `from` to `to` inclusive. */
const between = (from: string, to: string) => DAYS.filter((d) => d >= from && d <= to);
/** The n school days ending on `to` (inclusive). */
const lastDays = (n: number, to: string) => DAYS.filter((d) => d <= to).slice(-n);

type Day = [string, string];
/**
 * A pupil present ("/", "\\") on every school day from `from` to `to`, except the days given
 * (date → [AM, PM]; null removes the day's marks, leaving a register gap).
 */
function register(upn: string, from: string, to: string, except: Record<string, Day | null> = {}): TestMark[] {
  const marks: TestMark[] = [];
  for (const date of between(from, to)) {
    const day = date in except ? except[date] : (["/", "\\"] as Day);
    if (!day) continue;
    marks.push([upn, date, "AM", day[0]], [upn, date, "PM", day[1]]);
  }
  return marks;
}
const absent = (dates: string[], code = "I"): Record<string, Day> => Object.fromEntries(dates.map((d) => [d, [code, code] as Day]));

const db = tempDbPath("casework");
const pupils: TestPupil[] = [];
const marks: TestMark[] = [];
function pupil(upn: string, extra: Partial<TestPupil>, pupilMarks: TestMark[]): void {
  pupils.push({ upn, admission_date: "2025-09-01", ...extra });
  marks.push(...pupilMarks);
}

// ---- absent_more_than_3_days (as of Fri 14 Nov 2025) ----
const RUNS_AS_OF = "2025-11-14";
pupil("RUN3", {}, register("RUN3", "2025-09-01", RUNS_AS_OF, absent(between("2025-09-08", "2025-09-10"))));
pupil("RUN4", {}, register("RUN4", "2025-09-01", RUNS_AS_OF, absent(between("2025-09-08", "2025-09-11"))));
// Thu 11, Fri 12, Mon 15, Tue 16 September: the weekend does not break it.
pupil("RUNWEEKEND", {}, register("RUNWEEKEND", "2025-09-01", RUNS_AS_OF, absent(["2025-09-11", "2025-09-12", "2025-09-15", "2025-09-16"])));
// Thu 23, Fri 24 October, Mon 3, Tue 4 November: nor does the half-term holiday.
pupil("RUNHOLIDAY", {}, register("RUNHOLIDAY", "2025-09-01", RUNS_AS_OF, absent(["2025-10-23", "2025-10-24", "2025-11-03", "2025-11-04"], "O")));
// Mon 29, Tue 30 September, (closure Wed 1 October), Thu 2, Fri 3 October: nor does a closure.
pupil("RUNCLOSURE", {}, register("RUNCLOSURE", "2025-09-01", RUNS_AS_OF, absent(["2025-09-29", "2025-09-30", "2025-10-02", "2025-10-03"], "M")));
// Three days absent, a day present in the afternoon, three more: two runs of three.
pupil(
  "RUNBROKEN",
  {},
  register("RUNBROKEN", "2025-09-01", RUNS_AS_OF, {
    ...absent(between("2025-09-15", "2025-09-17")),
    "2025-09-18": ["I", "\\"],
    ...absent(between("2025-09-19", "2025-09-23")),
  }),
);
// Three days absent, a school day with no mark, three more: the gap breaks the run too.
pupil(
  "RUNGAP",
  {},
  register("RUNGAP", "2025-09-01", RUNS_AS_OF, { ...absent(between("2025-09-15", "2025-09-17")), "2025-09-18": null, ...absent(between("2025-09-19", "2025-09-23")) }),
);
// Two runs of more than three: the latest one is reported (5 days from Mon 10 November), not the longer first.
pupil(
  "RUNTWICE",
  {},
  register("RUNTWICE", "2025-09-01", RUNS_AS_OF, { ...absent(between("2025-09-08", "2025-09-15")), ...absent(between("2025-11-10", "2025-11-14")) }),
);

// ---- children missing education (as of Fri 12 Dec 2025) ----
const CME_AS_OF = "2025-12-12";
pupil("CME19", {}, register("CME19", "2025-09-01", CME_AS_OF, absent(lastDays(19, CME_AS_OF), "O")));
pupil("CME20", {}, register("CME20", "2025-09-01", CME_AS_OF, absent(lastDays(20, CME_AS_OF), "G")));
// 10 unauthorised days after two days of authorised leave / after a present day / 9 after leave.
const tenDays = lastDays(10, CME_AS_OF);
const dayBefore = (dates: string[]) => DAYS[DAYS.indexOf(dates[0]) - 1];
pupil("NORETURN", {}, register("NORETURN", "2025-09-01", CME_AS_OF, { ...absent(lastDays(12, CME_AS_OF).slice(0, 2), "C"), ...absent(tenDays, "O") }));
pupil("PRESENTBEFORE", {}, register("PRESENTBEFORE", "2025-09-01", CME_AS_OF, { ...absent([dayBefore([dayBefore(tenDays)])], "C"), ...absent(tenDays, "O") }));
pupil("NORETURN9", {}, register("NORETURN9", "2025-09-01", CME_AS_OF, { ...absent(lastDays(10, CME_AS_OF).slice(0, 1), "I"), ...absent(lastDays(9, CME_AS_OF), "N") }));
// The unauthorised run must reach the latest school day: one present day at the end ends it.
pupil("CMEENDED", {}, register("CMEENDED", "2025-09-01", CME_AS_OF, absent(lastDays(21, CME_AS_OF).slice(0, 20), "O")));

// ---- health_more_than_15_days (as of Fri 12 Dec 2025) ----
pupil("ILL30", {}, register("ILL30", "2025-09-01", CME_AS_OF, absent(between("2025-09-01", "2025-12-12").filter((_, i) => i % 4 === 0).slice(0, 15), "I")));
pupil(
  "ILL31",
  {},
  register("ILL31", "2025-09-01", CME_AS_OF, { ...absent(between("2025-09-01", "2025-12-12").filter((_, i) => i % 4 === 0).slice(0, 15), "I"), "2025-12-10": ["I", "\\"] }),
);

// ---- penalty_notice_threshold (as of Fri 16 Jan 2026: the latest 10 school weeks begin Mon 20 Oct 2025) ----
const PENALTY_AS_OF = "2026-01-16";
pupil(
  "PEN10",
  {},
  register("PEN10", "2025-09-01", PENALTY_AS_OF, { "2025-10-20": ["O", "O"], ...absent(["2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08"], "G") }),
);
pupil(
  "PEN9",
  {},
  register("PEN9", "2025-09-01", PENALTY_AS_OF, { "2025-10-17": ["O", "/"], "2025-10-20": ["/", "O"], ...absent(["2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08"], "U") }),
);

// ---- n_code_overdue (as of Fri 19 Sep 2025) ----
const N_AS_OF = "2025-09-19";
pupil("NCODE5", {}, register("NCODE5", "2025-09-01", N_AS_OF, { "2025-09-12": ["N", "\\"] }));
pupil("NCODE6", {}, register("NCODE6", "2025-09-01", N_AS_OF, { "2025-09-11": ["N", "\\"], "2025-09-15": ["/", "N"] }));
// Across the closure: Tue 30 Sep has 5 school days after it to Wed 8 Oct (1 Oct is closed), 6 to Thu 9 Oct.
pupil("NCLOSURE", {}, register("NCLOSURE", "2025-09-01", "2025-10-08", { "2025-09-30": ["N", "N"] }));

// ---- a leaver (left Mon 15 Sep 2025, absent throughout) ----
pupil("LEAVER", { leaving_date: "2025-09-15" }, register("LEAVER", "2025-09-01", "2025-09-15", absent(between("2025-09-01", "2025-09-15"), "O")));

// ---- attendance bands and the term rule: 50 school days, 100 possible sessions ----
const FIFTY = DAYS[49];
const withAbsentSessions = (upn: string, sessions: number) => {
  const except: Record<string, Day> = {};
  const days = DAYS.slice(0, 50);
  for (let i = 0; i < sessions; i++) {
    const date = days[Math.floor(i / 2)];
    except[date] = i % 2 === 0 ? ["O", "\\"] : ["O", "O"];
  }
  pupil(upn, {}, register(upn, "2025-09-01", FIFTY, except));
};
for (const sessions of [4, 5, 10, 11, 15, 16, 49, 50, 20, 21]) withAbsentSessions(`ABS${sessions}`, sessions);

beforeAll(async () => {
  await withConnection(db, async (c: Connection) => {
    for (const [key, start, end] of HALF_TERMS) {
      await c.run("INSERT INTO calendar_periods VALUES ($key, $start::DATE, $end::DATE)", { key, start, end });
    }
    await c.run("INSERT INTO closures VALUES ($date::DATE, 'Training day')", { date: CLOSURE });
    await rebuildSchoolDays(c);
    // Through the store's own writer (an appender), so the aggregates are kept as an import keeps them.
    await seedRegister(c, { pupils, marks });
    const count = await c.runAndReadAll("SELECT count(*)::INTEGER AS n FROM marks");
    expect(Number(count.getRowObjects()[0].n)).toBe(marks.length);
  });
});
afterAll(() => removeDb(db));

const numbers = DEFAULT_POLICY_NUMBERS;
async function listed(asOf: string, rule: RuleId, upns: string[]): Promise<Record<string, CaseworkEntry | undefined>> {
  const entries = await withConnection(db, (c) => computeCasework(c, { asOf, numbers, rules: [rule] }));
  expect(entries.every((e) => e.rule === rule)).toBe(true);
  return Object.fromEntries(upns.map((upn) => [upn, entries.find((e) => e.upn === upn)]));
}

describe("the calendar the tests use", () => {
  it("matches the school_days the import builds", async () => {
    const rows = await withConnection(db, (c) => c.runAndReadAll("SELECT strftime(date, '%Y-%m-%d') AS d FROM school_days ORDER BY date"));
    expect(rows.getRowObjects().map((r) => r.d)).toEqual(DAYS);
    expect(FIFTY).toBe("2025-11-17");
    expect(dayBefore(tenDays)).toBe("2025-11-28");
  });
});

describe("absent_more_than_3_days", () => {
  it("lists a run of 4 days, not 3; weekends, a half-term holiday and a closure do not break a run; a present session or a missing mark does", async () => {
    const r = await listed(RUNS_AS_OF, "absent_more_than_3_days", ["RUN3", "RUN4", "RUNWEEKEND", "RUNHOLIDAY", "RUNCLOSURE", "RUNBROKEN", "RUNGAP"]);
    expect(r.RUN3).toBeUndefined();
    expect(r.RUN4).toEqual({ upn: "RUN4", rule: "absent_more_than_3_days", value: 4, since: "2025-09-08" });
    expect(r.RUNWEEKEND).toMatchObject({ value: 4, since: "2025-09-11" });
    expect(r.RUNHOLIDAY).toMatchObject({ value: 4, since: "2025-10-23" });
    expect(r.RUNCLOSURE).toMatchObject({ value: 4, since: "2025-09-29" });
    expect(r.RUNBROKEN).toBeUndefined();
    expect(r.RUNGAP).toBeUndefined();
  });

  it("reports the latest run of more than the threshold, not the longest", async () => {
    const r = await listed(RUNS_AS_OF, "absent_more_than_3_days", ["RUNTWICE"]);
    expect(r.RUNTWICE).toMatchObject({ value: 5, since: "2025-11-10" });
  });

  it("follows the policy's number", async () => {
    const entries = await withConnection(db, (c) => computeCasework(c, { asOf: RUNS_AS_OF, numbers: { ...numbers, consecutive_absence_days: 2 }, rules: ["absent_more_than_3_days"] }));
    expect(entries.find((e) => e.upn === "RUN3")).toMatchObject({ value: 3, since: "2025-09-08" });
  });
});

describe("children missing education", () => {
  it("lists a run of 20 unauthorised days ending on the latest school day, not 19, and not one that has ended", async () => {
    const r = await listed(CME_AS_OF, "cme_unauthorised_20_days", ["CME19", "CME20", "CMEENDED"]);
    expect(r.CME19).toBeUndefined();
    expect(r.CME20).toEqual({ upn: "CME20", rule: "cme_unauthorised_20_days", value: 20, since: lastDays(20, CME_AS_OF)[0] });
    expect(r.CMEENDED).toBeUndefined();
  });

  it("on a Saturday, the run ending on Friday counts", async () => {
    const r = await listed("2025-12-13", "cme_unauthorised_20_days", ["CME20"]);
    expect(r.CME20).toMatchObject({ value: 20 });
  });

  it("lists 10 unauthorised days after authorised leave, not after a present day, and not 9", async () => {
    const r = await listed(CME_AS_OF, "cme_no_return_10_days", ["NORETURN", "PRESENTBEFORE", "NORETURN9", "CME20"]);
    expect(r.NORETURN).toEqual({ upn: "NORETURN", rule: "cme_no_return_10_days", value: 10, since: tenDays[0] });
    expect(r.PRESENTBEFORE).toBeUndefined();
    expect(r.NORETURN9).toBeUndefined();
    expect(r.CME20).toBeUndefined(); // present before its run
  });
});

describe("health_more_than_15_days", () => {
  it("lists 31 illness sessions (15.5 days), not 30", async () => {
    const r = await listed(CME_AS_OF, "health_more_than_15_days", ["ILL30", "ILL31"]);
    expect(r.ILL30).toBeUndefined();
    expect(r.ILL31).toEqual({ upn: "ILL31", rule: "health_more_than_15_days", value: 15.5, since: null });
  });
});

describe("penalty_notice_threshold", () => {
  it("lists 10 sessions of G, N, O, U in a window of 10 school weeks spanning two terms, not 9", async () => {
    const r = await listed(PENALTY_AS_OF, "penalty_notice_threshold", ["PEN10", "PEN9"]);
    expect(r.PEN10).toEqual({ upn: "PEN10", rule: "penalty_notice_threshold", value: 10, since: "2025-10-20" });
    expect(r.PEN9).toBeUndefined();
  });
});

describe("n_code_overdue", () => {
  it("lists an N mark 6 school days old, not 5, counting school days after the mark up to the as-of date", async () => {
    const r = await listed(N_AS_OF, "n_code_overdue", ["NCODE5", "NCODE6"]);
    expect(r.NCODE5).toBeUndefined();
    // Only the 11 September mark is overdue; the 15 September one is 4 school days old.
    expect(r.NCODE6).toEqual({ upn: "NCODE6", rule: "n_code_overdue", value: 1, since: "2025-09-11" });
    const later = await listed("2025-09-23", "n_code_overdue", ["NCODE5", "NCODE6"]);
    expect(later.NCODE5).toMatchObject({ value: 1, since: "2025-09-12" });
    expect(later.NCODE6).toMatchObject({ value: 2, since: "2025-09-11" });
  });

  it("does not count a closure as a school day", async () => {
    expect((await listed("2025-10-08", "n_code_overdue", ["NCLOSURE"])).NCLOSURE).toBeUndefined();
    expect((await listed("2025-10-09", "n_code_overdue", ["NCLOSURE"])).NCLOSURE).toMatchObject({ value: 2, since: "2025-09-30" });
  });
});

describe("only pupils on roll on the as-of date", () => {
  // Was severe_absence (value 100): the leaver's 22 possible sessions are now too few for a
  // rate rule (40, analytics/judged-span.ts), so the roll is tested on the run of days absent.
  it("lists a leaver up to their leaving date and not after", async () => {
    expect((await listed("2025-09-15", "absent_more_than_3_days", ["LEAVER"])).LEAVER).toMatchObject({ value: 11, since: "2025-09-01" });
    expect((await listed("2025-09-15", "severe_absence", ["LEAVER"])).LEAVER).toBeUndefined();
    expect((await listed("2025-09-16", "absent_more_than_3_days", ["LEAVER"])).LEAVER).toBeUndefined();
    const all = await withConnection(db, (c) => computeCasework(c, { asOf: "2025-09-19", numbers }));
    expect(all.filter((e) => e.upn === "LEAVER")).toEqual([]);
  });
});

describe("attendance bands, persistent and severe absence", () => {
  const upns = ["ABS4", "ABS5", "ABS10", "ABS11", "ABS15", "ABS16", "ABS49", "ABS50"];
  it("puts exactly 96 %, 90 % and 85 % in the band above", async () => {
    const below96 = await listed(FIFTY, "attendance_below_96", upns);
    const below90 = await listed(FIFTY, "attendance_below_90", upns);
    const below85 = await listed(FIFTY, "attendance_below_85", upns);
    const bands = Object.fromEntries(upns.map((u) => [u, below96[u] ? 96 : below90[u] ? 90 : below85[u] ? 85 : null]));
    expect(bands).toEqual({ ABS4: null, ABS5: 96, ABS10: 96, ABS11: 90, ABS15: 90, ABS16: 85, ABS49: 85, ABS50: 85 });
    expect(below96.ABS5?.value).toBe(95);
    expect(below90.ABS11?.value).toBe(89);
    expect(below85.ABS16?.value).toBe(84);
  });

  it("persistent absence from exactly 10 %, severe from exactly 50 %", async () => {
    const pa = await listed(FIFTY, "persistent_absence", upns);
    const sa = await listed(FIFTY, "severe_absence", upns);
    expect(upns.filter((u) => pa[u])).toEqual(["ABS10", "ABS11", "ABS15", "ABS16", "ABS49", "ABS50"]);
    expect(pa.ABS10?.value).toBe(10);
    expect(upns.filter((u) => sa[u])).toEqual(["ABS50"]);
    expect(sa.ABS50).toEqual({ upn: "ABS50", rule: "severe_absence", value: 50, since: null });
  });

  it("percentages are unrounded", async () => {
    // 16 absent sessions of 42 possible as of the 21st school day: 26 of 42, 61.904… % attendance.
    // (Was ABS5 on the third school day, 1 of 6: 6 sessions are now too few to judge.)
    const r = await listed(DAYS[20], "attendance_below_85", ["ABS16"]);
    expect(r.ABS16?.value).toBeCloseTo(2600 / 42, 12);
  });

  it("judges a pupil only from 40 possible sessions this year (20 school days)", async () => {
    // ABS5: 5 absent of 6 by the third school day, 16.7 % attendance, on no list;
    // ABS50 on its 20th school day: 40 of 40 absent, listed; on its 19th (38 sessions) not.
    for (const rule of ["attendance_below_85", "persistent_absence", "severe_absence"] as const) {
      expect((await listed(DAYS[2], rule, ["ABS5"])).ABS5).toBeUndefined();
      expect((await listed(DAYS[18], rule, ["ABS50"])).ABS50).toBeUndefined();
      expect((await listed(DAYS[19], rule, ["ABS50"])).ABS50).toBeDefined();
    }
  });
});

describe("absent_more_than_10_days_in_term", () => {
  it("lists 21 absence sessions in the term (10.5 days), not 20", async () => {
    const r = await listed(FIFTY, "absent_more_than_10_days_in_term", ["ABS20", "ABS21"]);
    expect(r.ABS20).toBeUndefined();
    expect(r.ABS21).toEqual({ upn: "ABS21", rule: "absent_more_than_10_days_in_term", value: 10.5, since: null });
  });

  it("counts only the term containing the as-of date; a holiday belongs to the term just ended", async () => {
    expect((await listed("2025-12-19", "absent_more_than_10_days_in_term", ["ABS21"])).ABS21).toMatchObject({ value: 10.5 });
    expect((await listed("2025-12-27", "absent_more_than_10_days_in_term", ["ABS21"])).ABS21).toMatchObject({ value: 10.5 });
    // In January the autumn absences no longer count.
    expect((await listed(PENALTY_AS_OF, "absent_more_than_10_days_in_term", ["ABS21"])).ABS21).toBeUndefined();
  });
});

describe("the whole list", () => {
  it("is sorted by upn then rule id, with since an ISO date or null", async () => {
    const all = await withConnection(db, (c) => computeCasework(c, { asOf: FIFTY, numbers }));
    expect(all.length).toBeGreaterThan(10);
    const keys = all.map((e) => `${e.upn}\u0000${e.rule}`);
    expect(keys).toEqual([...keys].sort());
    for (const e of all) expect(e.since === null || /^\d{4}-\d{2}-\d{2}$/.test(e.since)).toBe(true);
  });
});
