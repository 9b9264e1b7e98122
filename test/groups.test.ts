/**
 * compareGroups on a register small enough to work out by hand: the week of 5–9 January
 * 2026 (10 sessions). Figures in the comments are the hand calculation.
 *
 *      SEN FSM  eth   year  marks                                   possible present auth unauth
 * P1   N   Y    WBRI  3     I I, rest present                         10      8      2    0     20 %: PA
 * P2   K   Y    WBRI  3     N once, rest present                      10      9      0    1     10 %: PA
 * P3   N   N    AIND  3     all present                               10     10      0    0
 * P4   E   N    WBRI  3     I ×6, rest present                        10      4      6    0     60 %: PA and SA
 * P5   N   N    AIND  4     all present, one L                        10     10      0    0
 * P6   K   Y→N  BCRB  4     M once, rest present (FSM ends Wed 7)      10      9      1    0     10 %: PA
 * P7   N   N    WBRI  3     X all week (not counted): not a pupil in the rates
 *
 * Whole school: 6 pupils, 60 possible, 50 present, 9 authorised, 1 unauthorised, PA 4, SA 1.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { compareGroups } from "../analytics/groups.ts";
import { summarise } from "../analytics/measures.ts";
import { daysOf, seedRegister, type TestMark } from "./helpers/register.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("groups");
const WEEK = { from: "2026-01-05", to: "2026-01-09" };
const DATES = ["2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08", "2026-01-09"];

/** A week of marks: present unless `absences` says otherwise for a session index 0–9 (AM, PM, AM …). */
function week(upn: string, absences: Record<number, string> = {}, fill?: string): TestMark[] {
  const days: Record<string, [string, string]> = {};
  DATES.forEach((date, day) => {
    days[date] = [absences[2 * day] ?? fill ?? "/", absences[2 * day + 1] ?? fill ?? "\\"];
  });
  return daysOf(upn, days);
}

beforeAll(async () => {
  await withConnection(db, (c) =>
    seedRegister(c, {
      pupils: [
        { upn: "P1", spells: [{ from: "2024-09-01", sen: "N", fsm: "Y" }] },
        { upn: "P2", spells: [{ from: "2024-09-01", sen: "K", fsm: "Y" }] },
        { upn: "P3", ethnicity: "AIND", spells: [{ from: "2024-09-01", sen: "N", fsm: "N" }] },
        { upn: "P4", spells: [{ from: "2024-09-01", sen: "E", fsm: "N" }] },
        { upn: "P5", ethnicity: "AIND", spells: [{ from: "2024-09-01", sen: "N", fsm: "N", year_group: "4", reg_group: "4A" }] },
        {
          upn: "P6",
          ethnicity: "BCRB",
          spells: [
            { from: "2024-09-01", to: "2026-01-07", sen: "K", fsm: "Y", year_group: "4", reg_group: "4A" },
            { from: "2026-01-08", sen: "K", fsm: "N", year_group: "4", reg_group: "4A" },
          ],
        },
        { upn: "P7", spells: [{ from: "2024-09-01", sen: "N", fsm: "N" }] },
      ],
      marks: [
        ...week("P1", { 0: "I", 1: "I" }),
        ...week("P2", { 4: "N" }),
        ...week("P3"),
        ...week("P4", { 0: "I", 1: "I", 2: "I", 3: "I", 4: "I", 5: "I" }),
        ...week("P5", { 2: "L" }),
        ...week("P6", { 9: "M" }),
        ...week("P7", {}, "X"),
      ],
    }),
  );
});
afterAll(() => removeDb(db));

const run = <T>(work: Parameters<typeof withConnection<T>>[1]) => withConnection(db, work);

describe("compareGroups", () => {
  it("sets FSM pupils beside the rest, using FSM status at the end of the period", async () => {
    const rows = await run((c) => compareGroups(c, WEEK, "fsm"));
    expect(rows.map((r) => r.group)).toEqual(["Y", "N"]);
    const [fsm, notFsm] = rows;
    // FSM Y: P1, P2 (P6 left FSM on Thursday) — 20 possible, 17 present, 2 auth, 1 unauth, both PA.
    expect(fsm.measures).toMatchObject({ pupils: 2, possible_sessions: 20, present_sessions: 17, authorised_sessions: 2, unauthorised_sessions: 1, pa_pupils: 2, sa_pupils: 0 });
    // Complement: P3, P4, P5, P6 — 40 possible, 33 present, 7 auth, PA P4 and P6, SA P4.
    expect(fsm.complement).toMatchObject({ pupils: 4, possible_sessions: 40, present_sessions: 33, authorised_sessions: 7, unauthorised_sessions: 0, pa_pupils: 2, sa_pupils: 1 });
    expect(fsm.measures.attendance_pct).toBeCloseTo(85, 10);
    expect(fsm.complement.attendance_pct).toBeCloseTo(82.5, 10);
    expect(fsm.gaps.attendance_pts).toBeCloseTo(2.5, 10);
    expect(fsm.gaps.absence_pts).toBeCloseTo(-2.5, 10);
    expect(fsm.gaps.unauthorised_pts).toBeCloseTo(5, 10); // 1/20 = 5 % against 0 %
    expect(fsm.gaps.pa_pts).toBeCloseTo(50, 10); // 2/2 = 100 % against 2/4 = 50 %
    expect(fsm.gaps.sa_pts).toBeCloseTo(-25, 10); // 0 % against 1/4 = 25 %
    // For a two-valued flag the complement is simply the other group.
    expect(notFsm.complement).toEqual(fsm.measures);
    expect(notFsm.measures).toEqual(fsm.complement);
    expect(notFsm.gaps.attendance_pts).toBeCloseTo(-2.5, 10);
  });

  it("agrees with summarise filtered to the other value", async () => {
    const [fsm] = await run((c) => compareGroups(c, WEEK, "fsm"));
    const notFsm = await run((c) => summarise(c, { ...WEEK, filter: { fsm: "N" } }));
    expect(fsm.complement).toEqual(notFsm);
  });

  it("subtracts each SEN group from the whole school for a multi-valued characteristic", async () => {
    const rows = await run((c) => compareGroups(c, WEEK, "sen", { smallGroupMin: 2 }));
    expect(rows.map((r) => r.group)).toEqual(["E", "K", "N"]);
    const [ehc, support, none] = rows;
    // E: P4 alone, 4 of 10 = 40 %; everyone else 46 of 50 = 92 %.
    expect(ehc.measures).toMatchObject({ pupils: 1, possible_sessions: 10, pa_pupils: 1, sa_pupils: 1 });
    expect(ehc.complement).toMatchObject({ pupils: 5, possible_sessions: 50, present_sessions: 46, pa_pupils: 3, sa_pupils: 0 });
    expect(ehc.gaps.attendance_pts).toBeCloseTo(40 - 92, 10);
    expect(ehc.small).toBe(true);
    // K: P2, P6 — 18 of 20 = 90 %; not K: P1, P3, P4, P5 — 32 of 40 = 80 %.
    expect(support.measures).toMatchObject({ pupils: 2, possible_sessions: 20, present_sessions: 18, authorised_sessions: 1, unauthorised_sessions: 1, pa_pupils: 2 });
    expect(support.complement).toMatchObject({ pupils: 4, possible_sessions: 40, present_sessions: 32, authorised_sessions: 8, unauthorised_sessions: 0, pa_pupils: 2, sa_pupils: 1 });
    expect(support.gaps.attendance_pts).toBeCloseTo(10, 10);
    expect(support.gaps.pa_pts).toBeCloseTo(100 - 50, 10);
    expect(support.small).toBe(false);
    // N: P1, P3, P5 (P7 has no possible session) — 28 of 30; the rest P2, P4, P6 — 22 of 30.
    expect(none.measures).toMatchObject({ pupils: 3, possible_sessions: 30, present_sessions: 28 });
    expect(none.complement).toMatchObject({ pupils: 3, possible_sessions: 30, present_sessions: 22, authorised_sessions: 7, unauthorised_sessions: 1 });
    expect(none.gaps.attendance_pts).toBeCloseTo((100 * 28) / 30 - (100 * 22) / 30, 10);
  });

  it("gives the same comparison when the caller passes the whole-school measures it already has", async () => {
    const whole = await run((c) => summarise(c, WEEK));
    const reused = await run((c) => compareGroups(c, WEEK, "sen", { smallGroupMin: 2, whole }));
    const computed = await run((c) => compareGroups(c, WEEK, "sen", { smallGroupMin: 2 }));
    expect(reused).toEqual(computed);
  });

  it("compares ethnic groups, flagging small groups and small complements", async () => {
    const rows = await run((c) => compareGroups(c, WEEK, "ethnicity", { smallGroupMin: 3 }));
    expect(rows.map((r) => r.group)).toEqual(["AIND", "BCRB", "WBRI"]);
    const byGroup = Object.fromEntries(rows.map((r) => [r.group, r]));
    // WBRI: P1, P2, P4 (P7 has no possible session) — 21 of 30 = 70 %; others P3, P5, P6 — 29 of 30.
    expect(byGroup.WBRI.measures).toMatchObject({ pupils: 3, possible_sessions: 30, present_sessions: 21 });
    expect(byGroup.WBRI.complement).toMatchObject({ pupils: 3, possible_sessions: 30, present_sessions: 29 });
    // The printed rates' difference: 70.0 % − 96.7 % (29/30 = 96.67 %) = −26.7 points.
    expect(byGroup.WBRI.gaps.attendance_pts).toBe(-26.7);
    expect(byGroup.WBRI.small).toBe(false);
    expect(byGroup.BCRB.small).toBe(true); // 1 pupil
    expect(byGroup.BCRB.complement_small).toBe(false);
    expect(byGroup.AIND.measures.attendance_pct).toBe(100);
  });

  it("compares within a filter, giving no figures (not NaN) for an empty complement", async () => {
    // Year 4 is P5 and P6, both not FSM at the end of the week: no FSM group, an empty rest.
    const rows = await run((c) => compareGroups(c, { ...WEEK, filter: { year_group: "4" } }, "fsm"));
    expect(rows).toHaveLength(1);
    const [only] = rows;
    expect(only.group).toBe("N");
    expect(only.measures).toMatchObject({ pupils: 2, possible_sessions: 20, present_sessions: 19 });
    expect(only.complement).toMatchObject({ pupils: 0, possible_sessions: 0, attendance_pct: null, pa_pct: null });
    expect(only.gaps.attendance_pts).toBeNull();
  });

  it("returns no groups for a period without marks", async () => {
    const rows = await run((c) => compareGroups(c, { from: "2026-02-02", to: "2026-02-06" }, "sen"));
    expect(rows).toEqual([]);
  });
});
