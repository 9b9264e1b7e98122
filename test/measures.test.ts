/**
 * The measures on a register small enough to work out by hand. The week of 6–10 January
 * 2025 plus Monday 13 January AM. Figures in the comments are the hand calculation.
 *
 *            Mon 6    Tue 7    Wed 8    Thu 9    Fri 10   Mon 13
 * A (FSM*)   / \      / \      / \      / \      / I      –         10 possible, 1 absent (exactly 10 %: PA)
 * B (SEN K)  I I      I I      I \      / \      / \      –         10 possible, 5 absent (exactly 50 %: SA)
 * C (SEN E)  K B      P W      V L      / \      / X      –          9 possible (X not counted), 0 absent, 5 AEA
 * D          Y1 #     –        –        –        –        –          only not-counted marks: not a pupil in the rates
 * E joiner   (admitted Wed 8)  O N      U G      / \      –          6 possible, 4 unauthorised (SA)
 * F leaver   C M      / \      (left Tue 7)                          4 possible, 2 authorised (50 %: SA)
 * G          I \      / \      / \      / \      / \      /         11 possible, 1 absent (9.09 %: not PA)
 *
 * * A's FSM eligibility starts on 9 January: before that A is not FSM.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { aggregateLevel, markLevel, PUPIL_DIMENSIONS, SESSION_DIMENSIONS, type PeriodCodeSessions } from "../analytics/measures.ts";
import { daysOf, seedRegister } from "./helpers/register.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("measures");
/**
 * Every test runs twice over: on the aggregates kept at import (what pages read) and on the
 * mark-level definition, and with two periods holding the same marks: 6–13 January (read
 * day by day from the aggregates) and 1–19 January (the week of 6 January read whole).
 */
const SOURCES = [
  ["aggregates", aggregateLevel],
  ["marks", markLevel],
] as const;
const PERIODS = [
  ["6–13 January", { from: "2025-01-06", to: "2025-01-13" }],
  ["1–19 January", { from: "2025-01-01", to: "2025-01-19" }],
] as const;

beforeAll(async () => {
  await withConnection(db, (c) =>
    seedRegister(c, {
      pupils: [
        {
          upn: "A",
          spells: [
            { from: "2024-09-01", to: "2025-01-08", fsm: "N" },
            { from: "2025-01-09", fsm: "Y" },
          ],
        },
        { upn: "B", spells: [{ from: "2024-09-01", sen: "K", year_group: "4", reg_group: "4A" }] },
        { upn: "C", spells: [{ from: "2024-09-01", sen: "E", year_group: "4", reg_group: "4A" }] },
        { upn: "D" },
        { upn: "E", admission_date: "2025-01-08", spells: [{ from: "2025-01-08", fsm: "Y" }] },
        { upn: "F", leaving_date: "2025-01-07", sex: "M" },
        { upn: "G", sex: "M" },
      ],
      marks: [
        ...daysOf("A", { "2025-01-06": ["/", "\\"], "2025-01-07": ["/", "\\"], "2025-01-08": ["/", "\\"], "2025-01-09": ["/", "\\"], "2025-01-10": ["/", "I"] }),
        ...daysOf("B", { "2025-01-06": ["I", "I"], "2025-01-07": ["I", "I"], "2025-01-08": ["I", "\\"], "2025-01-09": ["/", "\\"], "2025-01-10": ["/", "\\"] }),
        ...daysOf("C", { "2025-01-06": ["K", "B"], "2025-01-07": ["P", "W"], "2025-01-08": ["V", "L"], "2025-01-09": ["/", "\\"], "2025-01-10": ["/", "X"] }),
        ...daysOf("D", { "2025-01-06": ["Y1", "#"] }),
        ...daysOf("E", { "2025-01-08": ["O", "N"], "2025-01-09": ["U", "G"], "2025-01-10": ["/", "\\"] }),
        ...daysOf("F", { "2025-01-06": ["C", "M"], "2025-01-07": ["/", "\\"] }),
        ...daysOf("G", { "2025-01-06": ["I", "\\"], "2025-01-07": ["/", "\\"], "2025-01-08": ["/", "\\"], "2025-01-09": ["/", "\\"], "2025-01-10": ["/", "\\"], "2025-01-13": ["/", null] }),
      ],
    }),
  );
});
afterAll(() => removeDb(db));

const run = <T>(work: Parameters<typeof withConnection<T>>[1]) => withConnection(db, work);

describe.each(SOURCES)("measures from %s", (_source, { lateness, pupilMeasures, sessionsByCode, summarise, summariseBy }) => {
  describe.each(PERIODS)("over %s", (_label, WEEK) => {
    describe("whole-school measures", () => {
      it("counts every category and the rates from them", async () => {
        const m = await run((c) => summarise(c, WEEK));
        // possible = 10 + 10 + 9 + 0 + 6 + 4 + 11 = 50
        expect(m).toMatchObject({
          pupils: 6, // D has no possible session
          possible_sessions: 50,
          present_sessions: 32, // A9 B5 C4 E2 F2 G10
          aea_sessions: 5, // C: K B P W V
          authorised_sessions: 9, // A1 B5 F2 G1
          unauthorised_sessions: 4, // E: O N U G
          pa_pupils: 4, // A (exactly 10 %), B, E, F
          sa_pupils: 3, // B (exactly 50 %), E, F
        });
        expect(m.attendance_pct).toBeCloseTo((100 * 37) / 50, 10);
        expect(m.absence_pct).toBeCloseTo((100 * 13) / 50, 10);
        expect(m.authorised_pct).toBeCloseTo((100 * 9) / 50, 10);
        expect(m.unauthorised_pct).toBeCloseTo((100 * 4) / 50, 10);
        expect(m.pa_pct).toBeCloseTo((100 * 4) / 6, 10);
        expect(m.sa_pct).toBeCloseTo((100 * 3) / 6, 10);
      });

      it("counts a joiner from admission and a leaver up to leaving", async () => {
        // Wed 8 – Fri 10: F has left; E has joined. D is on roll but has no marks.
        const m = await run((c) => summarise(c, { from: "2025-01-08", to: "2025-01-10" }));
        // A 6 (1 abs), B 6 (1 abs: Wed AM), C 5 (X not counted), E 6 (4 abs), G 6 (0 abs)
        expect(m).toMatchObject({ pupils: 5, possible_sessions: 29, authorised_sessions: 2, unauthorised_sessions: 4, pa_pupils: 3, sa_pupils: 1 });
        const before = await run((c) => summarise(c, { from: "2025-01-06", to: "2025-01-07" }));
        // A 4, B 4 (4 abs), C 4, F 4 (2 abs), G 4 (1 abs); E not yet admitted
        expect(before).toMatchObject({ pupils: 5, possible_sessions: 20, authorised_sessions: 7, pa_pupils: 3, sa_pupils: 2 });
      });

      it("leaves out a pupil whose only marks are not counted", async () => {
        const m = await run((c) => summarise(c, { ...WEEK, filter: { upn: "D" } }));
        expect(m).toMatchObject({ pupils: 0, possible_sessions: 0, pa_pupils: 0 });
        expect(m.attendance_pct).toBeNull();
        expect(m.pa_pct).toBeNull();
      });

      it("gives zeros and nulls, not NaN, for a period with no school days", async () => {
        const m = await run((c) => summarise(c, { from: "2025-01-11", to: "2025-01-12" }));
        expect(m.possible_sessions).toBe(0);
        expect(m.attendance_pct).toBeNull();
        expect(Object.values(m).some((v) => typeof v === "number" && Number.isNaN(v))).toBe(false);
      });

      it("refuses a period that ends before it starts", async () => {
        await expect(run((c) => summarise(c, { from: "2025-01-10", to: "2025-01-06" }))).rejects.toThrow(/after it ends/);
      });
    });

    describe("breakdowns", () => {
      it("weights groups by sessions and uses characteristics at the end of the period", async () => {
        const rows = await run((c) => summariseBy(c, WEEK, "fsm"));
        expect(rows.map((r) => r.group)).toEqual(["Y", "N"]);
        const [fsm, notFsm] = rows;
        // FSM at 13 Jan: A (10 possible, 1 absent) and E (6, 4): 5 / 16, not the mean of 10 % and 66.7 %
        expect(fsm).toMatchObject({ pupils: 2, possible_sessions: 16, pa_pupils: 2, sa_pupils: 1 });
        expect(fsm.absence_pct).toBeCloseTo((100 * 5) / 16, 10);
        // Not FSM: B 10/5, C 9/0, F 4/2, G 11/1 -> 8 / 34
        expect(notFsm).toMatchObject({ pupils: 4, possible_sessions: 34, pa_pupils: 2, sa_pupils: 2 });
        expect(notFsm.absence_pct).toBeCloseTo((100 * 8) / 34, 10);
        // Ending on 8 January, A was not yet FSM: only E (Wed 8: O N) is.
        const early = await run((c) => summariseBy(c, { from: "2025-01-06", to: "2025-01-08" }, "fsm"));
        expect(early.find((r) => r.group === "Y")).toMatchObject({ pupils: 1, possible_sessions: 2, unauthorised_sessions: 2 });
      });

      it("breaks down by SEN provision and year group, adding up to the whole school", async () => {
        const sen = await run((c) => summariseBy(c, WEEK, "sen"));
        expect(sen.map((r) => [r.group, r.pupils, r.possible_sessions])).toEqual([
          ["E", 1, 9],
          ["K", 1, 10],
          ["N", 4, 31],
        ]);
        const years = await run((c) => summariseBy(c, WEEK, "year_group"));
        expect(years.map((r) => [r.group, r.pupils, r.possible_sessions])).toEqual([
          ["3", 4, 31],
          ["4", 2, 19],
        ]);
      });

      it("breaks down by weekday with PA inside each weekday", async () => {
        const rows = await run((c) => summariseBy(c, WEEK, "weekday"));
        expect(rows.map((r) => r.group)).toEqual(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]);
        // Mondays (6 and 13): A 2/0, B 2/2, C 2/0 (K, B), F 2/2, G 3/1
        expect(rows[0]).toMatchObject({ pupils: 5, possible_sessions: 11, present_sessions: 4, aea_sessions: 2, authorised_sessions: 5, pa_pupils: 3, sa_pupils: 2 });
        // Friday: A 2/1 (50 %), B 2/0, C 1/0 (X), E 2/0, G 2/0
        expect(rows[4]).toMatchObject({ pupils: 5, possible_sessions: 9, present_sessions: 8, authorised_sessions: 1, pa_pupils: 1, sa_pupils: 1 });
      });

      it("breaks down by session", async () => {
        const rows = await run((c) => summariseBy(c, WEEK, "session"));
        // AM possible: A5 B5 C5 E3 F2 G6 = 26; PM: A5 B5 C4 E3 F2 G5 = 24
        expect(rows.map((r) => [r.group, r.possible_sessions])).toEqual([
          ["AM", 26],
          ["PM", 24],
        ]);
      });

      it("counts sessions by code, including codes not counted in possible sessions", async () => {
        const rows = await run((c) => sessionsByCode(c, WEEK));
        const byCode = Object.fromEntries(rows.map((r) => [r.code, r.sessions]));
        expect(byCode).toEqual({
          "/": 16, "\\": 15, I: 7, L: 1, K: 1, B: 1, P: 1, W: 1, V: 1, X: 1, Y1: 1, "#": 1, O: 1, N: 1, U: 1, G: 1, C: 1, M: 1,
        });
        expect(rows.find((r) => r.code === "Y1")?.category).toBe("not_counted");
      });

      it("gives each pupil's own measures and flags", async () => {
        const rows = await run((c) => pupilMeasures(c, WEEK));
        const flags = Object.fromEntries(rows.map((r) => [r.upn, [r.possible_sessions, r.is_pa, r.is_sa]]));
        expect(flags).toEqual({
          A: [10, true, false],
          B: [10, true, true],
          C: [9, false, false],
          D: [0, false, false],
          E: [6, true, true],
          F: [4, true, true],
          G: [11, false, false],
        });
        // B was absent Mon AM – Wed AM in one run: one spell. G's single absence: one spell.
        expect(rows.find((r) => r.upn === "B")?.absence_spells).toBe(1);
        expect(rows.find((r) => r.upn === "E")?.absence_spells).toBe(1);
      });

      it("narrows to the pupils with a given code, counting all their marks", async () => {
        // Illness (I): A, B and G. Their whole week: 10 + 10 + 11 possible, 1 + 5 + 1 absent.
        const m = await run((c) => summarise(c, { ...WEEK, withCode: "I" }));
        expect(m).toMatchObject({ pupils: 3, possible_sessions: 31, authorised_sessions: 7, pa_pupils: 2 });
        const rows = await run((c) => pupilMeasures(c, { ...WEEK, withCode: "G" }));
        expect(rows.map((r) => r.upn)).toEqual(["E"]);
        await expect(run((c) => summarise(c, { ...WEEK, withCode: "ZZ" }))).rejects.toThrow(/unknown attendance code/);
      });

      it("counts lateness before and after registers close", async () => {
        expect(await run((c) => lateness(c, WEEK))).toEqual({ late_before_close: 1, late_after_close: 1, pupils_late: 2, minutes_late: 0 });
      });
    });
  });
});

/**
 * One pupil's figures (a UPN filter, as a pupil's page asks them) are read from the pupil's
 * days alone (analytics/measures.ts onePupil), not whole weeks: the same as the mark-level
 * definition for every pupil, measure and breakdown, over both periods (1–19 January reads
 * the week of 6 January whole for the school, day by day for one pupil).
 */
describe("one pupil's figures, read from their days", () => {
  const groups = [...PUPIL_DIMENSIONS, ...SESSION_DIMENSIONS];
  it.each(PERIODS)("equal the mark-level definition for every pupil, measure and breakdown over %s", async (_label, period) => {
    await run(async (c) => {
      for (const upn of ["A", "B", "C", "D", "E", "F", "G"]) {
        const query = { ...period, filter: { upn } };
        expect(await aggregateLevel.summarise(c, query)).toEqual(await markLevel.summarise(c, query));
        for (const by of groups) expect(await aggregateLevel.summariseBy(c, query, by)).toEqual(await markLevel.summariseBy(c, query, by));
        expect(await aggregateLevel.sessionsByCode(c, query)).toEqual(await markLevel.sessionsByCode(c, query));
        // Codes of one group and first date in either order (as test/store.test.ts compares them).
        const sorted = (rows: PeriodCodeSessions[]) => [...rows].sort((a, b) => a.group.localeCompare(b.group) || a.code.localeCompare(b.code));
        for (const by of SESSION_DIMENSIONS) expect(sorted(await aggregateLevel.sessionsByCodeOver(c, query, by))).toEqual(sorted(await markLevel.sessionsByCodeOver(c, query, by)));
        expect(await aggregateLevel.pupilMeasures(c, query)).toEqual(await markLevel.pupilMeasures(c, query));
        expect(await aggregateLevel.lateness(c, query)).toEqual(await markLevel.lateness(c, query));
      }
    });
  });

  it("gives G's weeks and B's academic year as worked out by hand", async () => {
    await run(async (c) => {
      // G: week of 6 January 10 possible, 1 authorised (Mon AM I); Mon 13 AM present.
      const weeks = await aggregateLevel.summariseBy(c, { from: "2025-01-01", to: "2025-01-19", filter: { upn: "G" } }, "week");
      expect(weeks.map(({ group, pupils, possible_sessions, present_sessions, authorised_sessions, pa_pupils }) => ({ group, pupils, possible_sessions, present_sessions, authorised_sessions, pa_pupils }))).toEqual([
        { group: "2025-01-06", pupils: 1, possible_sessions: 10, present_sessions: 9, authorised_sessions: 1, pa_pupils: 1 }, // 1 of 10: exactly 10 %
        { group: "2025-01-13", pupils: 1, possible_sessions: 1, present_sessions: 1, authorised_sessions: 0, pa_pupils: 0 },
      ]);
      // B: 10 possible, 5 illness (I) in 2024/25: exactly 50 %, severe.
      const years = await aggregateLevel.summariseBy(c, { from: "2024-09-01", to: "2025-01-31", filter: { upn: "B" } }, "academic_year");
      expect(years).toMatchObject([{ group: "2024/25", pupils: 1, possible_sessions: 10, authorised_sessions: 5, pa_pupils: 1, sa_pupils: 1 }]);
    });
  });
});
