/**
 * The casework windows over the register (interventions' before and after weeks, spells of
 * absence, pupils trending down, the year-end forecast) read the store's day aggregate
 * (`pupil_days` over mark_days, analytics/register-windows.ts) instead of classifying every
 * mark. On a hand-built register with marks of every category, half days absent, a pupil
 * whose marks stop before the recent window and windows that start and end mid-week, they
 * equal the mark-level definitions they had before (written out here over `classified`) and
 * figures worked out by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, withConnection, type Connection } from "../analytics/db.ts";
import { REGIME_2024_FROM } from "../analytics/codes.ts";
import { absenceSpells, trendingDown } from "../analytics/early-warning.ts";
import { forecastYearEnd } from "../analytics/forecast.ts";
import { interventionEffects } from "../analytics/interventions/effect.ts";
import { recordIntervention } from "../analytics/interventions/store.ts";
import {
  CLASSIFIED_MARKS_CTE,
  ON_ROLL_CTE,
  SCHOOL_CALENDAR_CTES,
  yearAndRecentSessionsCtes,
} from "../analytics/register-windows.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { absentDays, registerOf, seedAutumn2025 } from "./helpers/calendar.ts";
import { seedRegister, type TestMark } from "./helpers/register.ts";
import { SPELL_RUNS_FROM_MARKS } from "./helpers/spells-from-marks.ts";

const db = tempDbPath("register-windows-aggregates");
const AS_OF = "2025-11-19"; // a Wednesday: the recent window's last week is cut mid-week
const YEAR_FROM = "2025-08-01";
// Every category: present, late, AEA (B), authorised (I M C), unauthorised (G N O U), not counted (# Y1).
const CODES = ["/", "I", "M", "O", "G", "B", "#", "L", "N", "C", "U", "Y1", "/", "/"];

beforeAll(async () => {
  await withConnection(db, async (c) => {
    // Autumn 1: 1 Sep – 17 Oct; half term 20–24 Oct; Autumn 2 from 27 Oct.
    const days = await seedAutumn2025(c);
    const upTo = days.filter((d) => d <= AS_OF);
    const marks: TestMark[] = [];
    // MIX: a different code each session, so half days absent and whole days absent both occur.
    upTo.forEach((date, i) => marks.push(["MIX", date, "AM", CODES[i % CODES.length]], ["MIX", date, "PM", CODES[(3 * i + 1) % CODES.length]]));
    // GONE: marks stop on 10 October, before the recent 4 weeks: no recent sessions at all.
    marks.push(...registerOf("GONE", upTo.filter((d) => d <= "2025-10-10"), absentDays(["2025-09-10", "2025-09-11", "2025-10-01"])));
    // FALL: present until November, then absent most days (trending down), two spells.
    marks.push(...registerOf("FALL", upTo, { ...absentDays(["2025-09-15", "2025-09-16"], "O"), ...absentDays(["2025-11-03", "2025-11-04", "2025-11-05", "2025-11-10", "2025-11-11", "2025-11-12", "2025-11-13", "2025-11-17"]) }));
    await seedRegister(c, {
      pupils: ["MIX", "GONE", "FALL"].map((upn) => ({ upn, admission_date: "2025-09-01" })),
      marks,
    });
    const by = { by: "Ms Lead", role: "attendance_lead", today: AS_OF };
    await recordIntervention(c, { ...by, upn: "MIX", type: "phone_call", date: "2025-10-01", note: "" });
    await recordIntervention(c, { ...by, upn: "FALL", type: "phone_call", date: "2025-11-05", note: "" });
    await recordIntervention(c, { ...by, upn: "GONE", type: "phone_call", date: "2025-09-24", note: "" });
  });
});
afterAll(() => removeDb(db));

const markParams = { regime_from: REGIME_2024_FROM, marks_from: YEAR_FROM, marks_to: AS_OF };

describe("the casework windows from the store's day aggregate", () => {
  it("year-to-date and recent sessions per pupil equal the counts of the marks", async () => {
    await withConnection(db, async (c: Connection) => {
      const sessions = yearAndRecentSessionsCtes([4], { from: YEAR_FROM, to: AS_OF });
      const fromDays = await queryRows(
        c,
        `WITH ${SCHOOL_CALENDAR_CTES}, ${sessions.sql}
         SELECT upn, y_pos, y_att, r4_pos AS r_pos, r4_att AS r_att FROM per_pupil ORDER BY upn`,
        { as_of: AS_OF, ...sessions.params },
      );
      // The definition over the marks, as it was.
      const fromMarks = await queryRows(
        c,
        `WITH ${SCHOOL_CALENDAR_CTES}, ${CLASSIFIED_MARKS_CTE},
         recent AS (SELECT min(first_day) AS first_day FROM (SELECT first_day FROM school_weeks WHERE first_day <= $as_of::DATE ORDER BY week DESC LIMIT 4))
         SELECT m.upn,
                count(*) FILTER (WHERE m.counted) AS y_pos, count(*) FILTER (WHERE m.attended) AS y_att,
                count(*) FILTER (WHERE m.counted AND m.date >= recent.first_day) AS r_pos,
                count(*) FILTER (WHERE m.attended AND m.date >= recent.first_day) AS r_att
         FROM classified m CROSS JOIN recent GROUP BY m.upn ORDER BY m.upn`,
        { as_of: AS_OF, ...markParams },
      );
      expect(fromDays).toEqual(fromMarks);
      // By hand: FALL has 53 school days to 19 Nov (106 sessions), 10 days absent (20
      // sessions); the recent 4 school weeks start Mon 27 Oct: 18 days, 8 of them absent.
      expect(fromDays.find((r) => r.upn === "FALL")).toEqual({ upn: "FALL", y_pos: 106, y_att: 86, r_pos: 36, r_att: 20 });
      // GONE has no mark in the recent weeks: 0, not nothing.
      expect(fromDays.find((r) => r.upn === "GONE")).toMatchObject({ r_pos: 0, r_att: 0 });
    });
  });

  it("spells of absence equal those counted from the marks", async () => {
    await withConnection(db, async (c) => {
      const spells = await absenceSpells(c, AS_OF);
      const fromMarks = await queryRows(
        c,
        `WITH ${SPELL_RUNS_FROM_MARKS}
         SELECT r.upn, count(*)::INTEGER AS spells, sum(x.days)::INTEGER AS days_absent, max(x.days)::INTEGER AS longest_spell_days
         FROM runs x JOIN roll r USING (upn) GROUP BY r.upn ORDER BY r.upn`,
        { as_of: AS_OF, ...markParams },
      );
      expect(spells.map(({ upn, spells: n, days_absent, longest_spell_days }) => ({ upn, spells: n, days_absent, longest_spell_days })).sort((a, b) => a.upn.localeCompare(b.upn))).toEqual(fromMarks);
      // By hand: FALL is absent 15–16 Sep, 3–5 Nov, 10–13 Nov and 17 Nov: 4 spells, 10 days, longest 4.
      expect(spells.find((s) => s.upn === "FALL")).toMatchObject({ spells: 4, days_absent: 10, longest_spell_days: 4 });
    });
  });

  it("trending down and the forecast read the same sessions", async () => {
    await withConnection(db, async (c) => {
      const trending = await trendingDown(c, AS_OF);
      // FALL: 86/106 = 81.1 % for the year, 20/36 = 55.6 % in the recent weeks.
      expect(trending.map((t) => t.upn)).toContain("FALL");
      const fall = trending.find((t) => t.upn === "FALL")!;
      expect(fall.ytd_pct).toBeCloseTo((100 * 86) / 106, 10);
      expect(fall.recent_pct).toBeCloseTo((100 * 20) / 36, 10);
      const forecast = await forecastYearEnd(c, AS_OF);
      expect(forecast.pupils.find((p) => p.upn === "FALL")).toMatchObject({ possible_sessions: 106, attended_sessions: 86 });
      // GONE: 30 school days to 10 October, 3 of them absent.
      expect(forecast.pupils.find((p) => p.upn === "GONE")).toMatchObject({ possible_sessions: 60, attended_sessions: 54 });
    });
  });

  it("each intervention's before and after weeks equal the counts of the marks in them", async () => {
    await withConnection(db, async (c) => {
      const effects = await interventionEffects(c, { from: YEAR_FROM, to: AS_OF, asOf: AS_OF });
      expect(effects).toHaveLength(3);
      for (const e of effects) {
        const count = async (from: string | null, to: string | null) => {
          if (!from || !to) return { possible: 0, attended: 0 };
          const [row] = await queryRows<{ possible: number; attended: number }>(
            c,
            `WITH ${CLASSIFIED_MARKS_CTE}
             SELECT count(*) FILTER (WHERE counted)::INTEGER AS possible, count(*) FILTER (WHERE attended)::INTEGER AS attended
             FROM classified WHERE upn = $upn AND date BETWEEN $from::DATE AND $to::DATE`,
            { ...markParams, upn: e.upn, from, to },
          );
          return row;
        };
        const before = await count(e.before_from, e.before_to);
        // The after weeks count once they are over (before that, 0).
        const complete = e.after_to !== null && e.after_to <= AS_OF;
        const after = complete ? await count(e.after_from, e.after_to) : { possible: 0, attended: 0 };
        expect({ upn: e.upn, before: [e.before_possible, e.before_attended], after: [e.after_possible, e.after_attended] }).toEqual({
          upn: e.upn,
          before: [before.possible, before.attended],
          after: [after.possible, after.attended],
        });
      }
      // By hand: GONE's call on Wed 24 Sep. Before: the weeks of 1, 8 and 15 Sep only (3
      // school weeks, so none: the window needs 4). After: weeks of 29 Sep, 6 Oct, 13 Oct and
      // 27 Oct, marks only to 10 Oct: 10 days, 20 sessions, 1 Oct absent (18 attended).
      const gone = effects.find((e) => e.upn === "GONE")!;
      expect([gone.before_from, gone.after_from, gone.after_to]).toEqual([null, "2025-09-29", "2025-10-31"]);
      expect([gone.after_possible, gone.after_attended]).toEqual([20, 18]);
    });
  });
});
