/**
 * Early warning's reads of the register on the demo school: pupils trending down and the
 * year-end forecast sum the store's pupil units (whole weeks from mark_weeks, the days of a
 * week a window starts inside from mark_days: yearAndRecentSessionsCtes) in one read they share
 * (yearAndRecentSessions, both recent windows at once), and spells of absence
 * number their runs in one sort by pupil id. Both must equal the mark-level definitions
 * (every mark classified under its date's regime), row for row, at as-of dates mid-week, on a
 * Monday and early in the year.
 */
import { describe, expect, it } from "vitest";
import { queryRows, withConnection } from "../analytics/db.ts";
import { REGIME_2024_FROM } from "../analytics/codes.ts";
import { absenceSpells } from "../analytics/early-warning.ts";
import { CLASSIFIED_MARKS_CTE, ON_ROLL_CTE, SCHOOL_CALENDAR_CTES, yearAndRecentSessions, yearAndRecentSessionsCtes } from "../analytics/register-windows.ts";
import { academicYearBounds, academicYearOf } from "../analytics/period-names.ts";
import { demoSchool } from "./helpers/demo-school.ts";
import { SPELL_RUNS_FROM_MARKS } from "./helpers/spells-from-marks.ts";

const { db } = demoSchool("early-warning-units-demo", "2026-11-23");
// A Wednesday (the recent window's last week and the year's first are cut mid-week), a Monday, and early October.
const AS_OFS = ["2026-11-18", "2026-11-23", "2026-10-01"];

describe("early warning from the store's units equals the marks, on the demo school", () => {
  it("year-to-date and recent sessions per pupil (4 and 6 school weeks) equal the counts of the marks", async () => {
    await withConnection(db, async (c) => {
      for (const asOf of AS_OFS) {
        const from = academicYearBounds(academicYearOf(asOf)).from;
        for (const weeks of [4, 6]) {
          const sessions = yearAndRecentSessionsCtes([weeks], { from, to: asOf });
          const fromUnits = await queryRows(
            c,
            `WITH ${SCHOOL_CALENDAR_CTES}, ${sessions.sql}
             SELECT upn, y_pos, y_att, r${weeks}_pos AS r_pos, r${weeks}_att AS r_att FROM per_pupil ORDER BY upn`,
            { as_of: asOf, ...sessions.params },
          );
          const fromMarks = await queryRows(
            c,
            `WITH ${SCHOOL_CALENDAR_CTES}, ${CLASSIFIED_MARKS_CTE},
             recent AS (SELECT min(first_day) AS first_day FROM (SELECT first_day FROM school_weeks WHERE first_day <= $as_of::DATE ORDER BY week DESC LIMIT ${weeks}))
             SELECT m.upn,
                    count(*) FILTER (WHERE m.counted) AS y_pos, count(*) FILTER (WHERE m.attended) AS y_att,
                    count(*) FILTER (WHERE m.counted AND m.date >= recent.first_day) AS r_pos,
                    count(*) FILTER (WHERE m.attended AND m.date >= recent.first_day) AS r_att
             FROM classified m CROSS JOIN recent GROUP BY m.upn ORDER BY m.upn`,
            { as_of: asOf, regime_from: REGIME_2024_FROM, marks_from: from, marks_to: asOf },
          );
          expect(fromUnits.length).toBeGreaterThan(100);
          // The recent window is a part of the year (on 1 October, 6 school weeks are the whole autumn so far).
          if (weeks === 4) expect(fromUnits.some((r) => Number(r.r_pos) > 0 && Number(r.r_pos) < Number(r.y_pos))).toBe(true);
          expect(fromUnits, `${asOf}, ${weeks} weeks`).toEqual(fromMarks);
        }
      }
    });
  });

  it("the read trending down and the forecast share (both windows at once) equals the counts of the marks", async () => {
    await withConnection(db, async (c) => {
      for (const asOf of AS_OFS) {
        const from = academicYearBounds(academicYearOf(asOf)).from;
        const shared = (await yearAndRecentSessions(c, asOf)).map(({ upn, on_roll, y_pos, y_att, r4_pos, r4_att, r6_pos, r6_att }) => ({ upn, on_roll, y_pos, y_att, r4_pos, r4_att, r6_pos, r6_att }));
        const fromMarks = await queryRows(
          c,
          `WITH ${SCHOOL_CALENDAR_CTES}, ${CLASSIFIED_MARKS_CTE}, ${ON_ROLL_CTE},
           r4 AS (SELECT min(first_day) AS first_day FROM (SELECT first_day FROM school_weeks WHERE first_day <= $as_of::DATE ORDER BY week DESC LIMIT 4)),
           r6 AS (SELECT min(first_day) AS first_day FROM (SELECT first_day FROM school_weeks WHERE first_day <= $as_of::DATE ORDER BY week DESC LIMIT 6)),
           counts AS (
             SELECT m.upn,
                    count(*) FILTER (WHERE m.counted)::INTEGER AS y_pos, count(*) FILTER (WHERE m.attended)::INTEGER AS y_att,
                    count(*) FILTER (WHERE m.counted AND m.date >= r4.first_day)::INTEGER AS r4_pos,
                    count(*) FILTER (WHERE m.attended AND m.date >= r4.first_day)::INTEGER AS r4_att,
                    count(*) FILTER (WHERE m.counted AND m.date >= r6.first_day)::INTEGER AS r6_pos,
                    count(*) FILTER (WHERE m.attended AND m.date >= r6.first_day)::INTEGER AS r6_att
             FROM classified m CROSS JOIN r4 CROSS JOIN r6 GROUP BY m.upn)
           SELECT x.upn, x.upn IN (SELECT upn FROM roll) AS on_roll, x.y_pos, x.y_att, x.r4_pos, x.r4_att, x.r6_pos, x.r6_att
           FROM counts x WHERE x.y_pos > 0 ORDER BY x.upn`,
          { as_of: asOf, regime_from: REGIME_2024_FROM, marks_from: from, marks_to: asOf },
        );
        expect(shared.some((r) => r.on_roll)).toBe(true);
        expect([...shared].sort((a, b) => (a.upn < b.upn ? -1 : 1)), asOf).toEqual(fromMarks);
      }
    });
  });

  it("spells of absence, in their order, equal those counted from the marks", async () => {
    await withConnection(db, async (c) => {
      for (const asOf of AS_OFS) {
        const from = academicYearBounds(academicYearOf(asOf)).from;
        const spells = await absenceSpells(c, asOf);
        const fromMarks = await queryRows(
          c,
          `WITH ${SPELL_RUNS_FROM_MARKS}
           SELECT r.upn, r.forename, r.surname, r.year_group, r.reg_group,
                  count(*)::INTEGER AS spells, sum(x.days)::INTEGER AS days_absent, max(x.days)::INTEGER AS longest_spell_days
           FROM runs x JOIN roll r USING (upn) GROUP BY ALL
           ORDER BY spells DESC, days_absent DESC, r.surname, r.forename, r.upn`,
          { as_of: asOf, regime_from: REGIME_2024_FROM, marks_from: from, marks_to: asOf },
        );
        expect(spells.length).toBeGreaterThan(10);
        expect(spells.some((s) => s.longest_spell_days > 1)).toBe(true);
        expect(spells, asOf).toEqual(fromMarks);
      }
    });
  });
});
