/**
 * Why a penalty notice is not open to a pupil whose ladder would seek one next, in words, and
 * what the policy gives instead (LadderStanding.next_action, ladder.ts).
 *
 * A penalty notice is for unauthorised absence: the national framework's threshold is a number
 * of sessions of G, N, O or U within a rolling number of school weeks (DfE, "Working together to
 * improve school attendance", the national framework for penalty notices: 10 sessions in 10
 * school weeks). Ludlow's Appendix A 10 seeks one after a final warning when attendance has not
 * improved; its letters and meetings (6–9) go by attendance, whatever the absence ("if a pupil's
 * attendance falls below 96 percent"), so authorised absence still counts there — only the
 * penalty notice turns on unauthorised absence.
 *
 * Where most of the pupil's absence this year is C2 (leave of absence for a pupil on a part-time
 * timetable, authorised: the school agreed it), what the policy gives is to review the reduced
 * timetable (Ludlow §7: plans "regularly monitored and reviewed"), which must be time-limited
 * (DfE, "Working together to improve school attendance": a part-time timetable is for the
 * shortest time necessary, with a time limit by which the pupil attends full time, and formal
 * arrangements to review it with the pupil and parents). Otherwise the policy's other routes
 * where engagement has not worked (Ludlow §14).
 */
import { listValue } from "@duckdb/node-api";
import type { Connection, Row } from "../db.ts";
import { cachedRows } from "../db.ts";
import { CATEGORY_JOIN } from "../store.ts";
import { codeUnitsSql } from "../measures.ts";
import { plural } from "../plural.ts";
import type { LadderPolicy } from "./ladder.ts";

/** A pupil's sessions of absence in a span: all absence (authorised and unauthorised), authorised, and C2. */
export interface AbsenceMix {
  upn: string;
  absence: number;
  authorised: number;
  /** Sessions of C2 (2024 codes: a pupil on a part-time timetable). */
  part_time: number;
}

/**
 * Sessions of absence of each pupil in `upns` from `from` to `to` (ISO dates, inclusive), each
 * mark read under the regulations of its date; pupils without a mark in the span are left out.
 * Read from the weekly code counts, with the marks only for the weeks at either end
 * (measures.ts codeUnitsSql): at 4,500 pupils a year's marks were 0.7 s of the SLT pack.
 */
export async function absenceMix(connection: Connection, options: { from: string; to: string; upns: readonly string[] }): Promise<AbsenceMix[]> {
  const rows = await cachedRows<Row>(
    connection,
    `WITH scope AS (SELECT pupil_id, upn, '' AS member FROM pupil_ids WHERE upn IN (SELECT unnest($upns::VARCHAR[]))),
     ${codeUnitsSql()}
     SELECT scope.upn,
            coalesce(sum(c.sessions) FILTER (WHERE cc.category IN ('authorised', 'unauthorised')), 0)::INTEGER AS absence,
            coalesce(sum(c.sessions) FILTER (WHERE cc.category = 'authorised'), 0)::INTEGER AS authorised,
            coalesce(sum(c.sessions) FILTER (WHERE cc.regime = '2024' AND c.code::VARCHAR = 'C2'), 0)::INTEGER AS part_time
     FROM c ${CATEGORY_JOIN("c")}
     JOIN scope USING (pupil_id)
     GROUP BY scope.upn`,
    { from: options.from, to: options.to, upns: listValue([...options.upns]) },
  );
  return rows.map((row) => ({ upn: String(row.upn), absence: Number(row.absence), authorised: Number(row.authorised), part_time: Number(row.part_time) }));
}

const sessions = (n: number) => `${n} ${n === 1 ? "session" : "sessions"}`;

/**
 * Why a penalty notice is not open, whole and split in two: `words`, the sentence the pupil's
 * page, the casework lists and their CSV give (LadderStanding.next_action); `general`, the same step
 * without this pupil's figures, so a list of many pupils (the SLT pack's ladder) prints it once
 * over all of them rather than once per pupil (at 4,500 pupils a June pack printed 261 tables of
 * one pupil each, every one under a six-line caption that differed only in its numbers); and
 * `figures`, the pupil's own numbers the words cite ("2 unauthorised sessions in the latest 10
 * school weeks; 47 of 58 absent sessions this year authorised"). `unauthorised`:
 * sessions of G, N, O or U in the penalty window; `mix`: the pupil's absence this academic year.
 */
export function penaltyNotOpen(
  policy: Pick<LadderPolicy, "penalty_sessions" | "penalty_window_school_weeks">,
  unauthorised: number,
  mix: AbsenceMix,
): { words: string; general: string; figures: string } {
  const weeks = policy.penalty_window_school_weeks;
  const why = `A penalty notice is not open: ${sessions(unauthorised)} of unauthorised absence (G, N, O or U) in the latest ${weeks} school weeks, the threshold is ${policy.penalty_sessions} (national framework for penalty notices)`;
  const whyGeneral = `A penalty notice is not open: unauthorised absence (G, N, O or U) in the latest ${weeks} school weeks is under the threshold of ${policy.penalty_sessions} sessions (national framework for penalty notices)`;
  const inWindow = `${unauthorised} unauthorised ${plural(unauthorised, "session")} in the latest ${weeks} school weeks`;
  if (mix.absence > 0 && 2 * mix.part_time > mix.absence) {
    const review = "review the part-time timetable with the pupil and parents — it must be time-limited, with a date by which the pupil attends full time (DfE, Working together to improve school attendance; policy §7)";
    return {
      words: `${why}. Most absence this year is C2, a part-time timetable agreed by the school (${mix.part_time} of ${sessions(mix.absence)}): ${review}`,
      general: `${whyGeneral}, and most absence this year is C2, a part-time timetable agreed by the school: ${review}`,
      figures: `${inWindow}; ${mix.part_time} of ${mix.absence} absent sessions this year C2`,
    };
  }
  const routes = "monitoring and contact with the parents continue; where support has not worked, the policy's other routes — a formal meeting with the parents and the School Attendance Support Team, a parenting contract or an education supervision order with the local authority (§14)";
  const authorised = mix.absence > 0 ? `. ${mix.authorised} of ${sessions(mix.absence)} of absence this year are authorised` : "";
  return {
    words: `${why}${authorised}: ${routes}`,
    general: `${whyGeneral}: ${routes}`,
    figures: mix.absence > 0 ? `${inWindow}; ${mix.authorised} of ${mix.absence} absent sessions this year authorised` : inWindow,
  };
}
