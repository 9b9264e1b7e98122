/**
 * The demo school's interventions: the attendance lead works Ludlow's ladder week by week
 * through the demo's years, as a busy school does — most due steps recorded at the end of
 * the week they fell due, some a week or two late, a few not at all — with phone calls,
 * home visits and referrals alongside. Only the current academic year, to keep the
 * build quick. Deterministic (seeded), and driven by the generated
 * register through `ladderFor`, so the effects measured afterwards vary as real ones do.
 */
import type { Connection } from "../db.ts";
import { inTransaction, queryRows } from "../db.ts";
import { ensureInterventionsTable } from "../interventions/store.ts";
import { ladderFor } from "../interventions/ladder.ts";
import { LUDLOW_LADDER } from "../casework/policy.ts";
import type { InterventionType } from "../interventions/types.ts";
import { Random } from "./random.ts";
import { academicYearBounds, academicYearOf } from "../period-names.ts";

const NOTES: Partial<Record<InterventionType, string[]>> = {
  letter_below_96: ["Standard letter and attendance leaflet sent home.", "Letter sent; leaflet enclosed."],
  letter_below_90: ["Monitoring letter sent; spoke to parent by phone.", "Monitoring letter; parent called back the same day."],
  letter_improved: ["Letter from the head congratulating the pupil and parents on improved attendance."],
  meeting_with_targets: ["Meeting with class teacher; target of 95% for the next four weeks.", "Parents attended; targets agreed for punctual arrival and full weeks."],
  final_warning: ["Final written warning sent by the head.", "Final warning; education welfare protocol explained."],
  penalty_notice_requested: ["Penalty notice requested from the local authority."],
  phone_call: ["Phone call home about recent absence.", "Called parent: illness in the family, support offered."],
  home_visit: ["Home visit with the family support worker.", "Home visit; no answer, card left."],
  education_welfare_referral: ["Referred to the education welfare officer."],
  early_help: ["Early help assessment started with the family."],
  conversation: ["Chat with the pupil about settling in and friendships."],
};

const EXTRA_SUPPORT: InterventionType[] = ["phone_call", "home_visit", "education_welfare_referral", "early_help"];

/**
 * Records the demo's interventions up to `today`; returns how many were recorded.
 *
 * Each is stamped as recorded at 16:00 on the day it is dated (the end of the school day), or
 * at `now` when that is earlier: a demo built at 13:40 on the last school day of the week must
 * not show steps recorded at 16:00 that day, later than the moment it was built. `now` is
 * TIMESTAMP text in the convention of a real intervention's stamp (DuckDB's `now()::TIMESTAMP`,
 * analytics/interventions/store.ts), which it defaults to.
 */
export async function recordDemoInterventions(connection: Connection, options: { today: string; seed: number; now?: string }): Promise<number> {
  await ensureInterventionsTable(connection);
  const weekEnds = (
    await queryRows<{ date: string }>(
      connection,
      `SELECT strftime(max(date), '%Y-%m-%d') AS date FROM school_days WHERE date BETWEEN $from::DATE AND $today::DATE
       GROUP BY date_trunc('week', date) ORDER BY 1`,
      { today: options.today, from: academicYearBounds(academicYearOf(options.today)).from },
    )
  ).map((r) => r.date);
  const policy = { ladder: LUDLOW_LADDER, penalty_sessions: 10, penalty_window_school_weeks: 10 };
  let recorded = 0;
  await inTransaction(connection, async () => {
    for (const friday of weekEnds) {
      const standings = await ladderFor(connection, friday, policy);
      for (const standing of standings) {
        const random = new Random(options.seed, `interventions/${standing.upn}/${friday}`);
        const rows: Array<{ type: InterventionType; by: string; role: string }> = [];
        const next = standing.next;
        // Due steps: most recorded the week they fall due; some wait (and show as late).
        // (Never one the register showed only after the Friday: the lead could not see it then.)
        if (next && !next.conditional && !next.not_yet_due && random.chance(next.late ? 0.6 : 0.75)) {
          const head = next.type === "final_warning" || next.type === "penalty_notice_requested";
          rows.push({ type: next.type, by: head ? "Mr Hughes" : "Mrs Price", role: head ? "head" : "attendance_lead" });
          if ((next.type === "meeting_with_targets" || next.type === "final_warning") && random.chance(0.35)) {
            rows.push({ type: random.pick(EXTRA_SUPPORT), by: "Mrs Price", role: "attendance_lead" });
          }
        } else if (!next && standing.action_due?.type === "letter_improved" && random.chance(0.75)) {
          // The SLT's congratulations letter after a monitoring period that improved (Appendix A 9).
          rows.push({ type: "letter_improved", by: "Mr Hughes", role: "head" });
        } else if (standing.attendance_pct !== null && standing.attendance_pct < 96 && random.chance(0.03)) {
          rows.push({ type: random.pick(["phone_call", "conversation"] as InterventionType[]), by: "Mrs Price", role: "attendance_lead" });
        }
        for (const row of rows) {
          const notes = NOTES[row.type] ?? ["Recorded by the attendance lead."];
          await connection.run(
            `INSERT INTO interventions (upn, type, date, note, recorded_at, recorded_by, recorded_by_role, corrects, withdrawn)
             VALUES ($upn, $type, $date::DATE, $note, least(($date::DATE + INTERVAL 16 HOUR)::TIMESTAMP, COALESCE($now::TIMESTAMP, now()::TIMESTAMP)), $by, $role, NULL, false)`,
            { upn: standing.upn, type: row.type, date: friday, note: random.pick(notes), by: row.by, role: row.role, now: options.now ?? null },
          );
          recorded++;
        }
      }
    }
  });
  return recorded;
}
