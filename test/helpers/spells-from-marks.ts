/**
 * The mark-level definition of a pupil's spells of absence, for tests to compare
 * analytics/early-warning.ts absenceSpells with: a day absent is one whose morning and afternoon
 * marks are both absences (each mark classified by its date's regime), and a spell is a run of
 * such days on consecutive school days. The CTEs up to `runs` (upn, run, days: one row per
 * spell); the caller adds the SELECT over `runs` and `roll` and binds as_of, regime_from,
 * marks_from and marks_to.
 */
import { CLASSIFIED_MARKS_CTE, ON_ROLL_CTE, SCHOOL_CALENDAR_CTES } from "../../analytics/register-windows.ts";

export const SPELL_RUNS_FROM_MARKS = `${SCHOOL_CALENDAR_CTES}, ${CLASSIFIED_MARKS_CTE}, ${ON_ROLL_CTE},
  absent_days AS (
    SELECT m.upn, m.date FROM classified m
    GROUP BY m.upn, m.date HAVING count(*) FILTER (WHERE m.absent AND m.session IN ('AM', 'PM')) = 2),
  indexed AS (
    SELECT a.upn, i.d - row_number() OVER (PARTITION BY a.upn ORDER BY i.d) AS run
    FROM absent_days a JOIN school_day_index i USING (date)),
  runs AS (SELECT upn, run, count(*) AS days FROM indexed GROUP BY upn, run)`;
