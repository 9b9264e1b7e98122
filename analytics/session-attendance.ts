/**
 * Attendance by session (AM and PM) over a year to date and over its last part (a month), in
 * one read of the year's marks: the SLT pack's "Morning and afternoon" table. AM and PM are
 * told apart only in the marks (the aggregates sum both), so each reading scans them; read as
 * two summariseBy(…, "session") the month's marks were scanned twice and the year's pupils
 * scoped twice (at 4,500 pupils about 1 s of CPU for the two, the costliest reads of the pack).
 */
import { cachedRows, type Connection, type Row } from "./db.ts";
import { assertPeriod, scopedMarksSql, withRates, type MeasureQuery } from "./measures.ts";

export interface SessionAttendance {
  /** 'AM' or 'PM'. */
  group: string;
  /** Attendance (present or AEA over possible sessions, percent 0–100) over the year to date; null without possible sessions. */
  yearToDate: number | null;
  /** The same over the part from `partFrom` to the year's end; null without possible sessions there. */
  part: number | null;
}

/**
 * Each session with marks in `yearToDate` (whole roll, membership at its end, no filter), in
 * summariseBy's order (AM, PM), with its attendance over the span and over its last part,
 * from `partFrom` (YYYY-MM-DD, within the span) to the span's end: the same figures as
 * summariseBy(yearToDate, "session") and summariseBy({ from: partFrom, to }, "session") give
 * (the part's pupils are the span's still on roll on partFrom, with the same characteristics:
 * both are read at the span's end). Throws on a bad span or a part outside it.
 */
export async function sessionAttendance(connection: Connection, yearToDate: Pick<MeasureQuery, "from" | "to">, partFrom: string): Promise<SessionAttendance[]> {
  assertPeriod(yearToDate);
  assertPeriod({ from: partFrom, to: yearToDate.to });
  if (partFrom < yearToDate.from) throw new Error(`the part (from ${partFrom}) starts before the span (${yearToDate.from})`);
  const { sql, params } = scopedMarksSql({ from: yearToDate.from, to: yearToDate.to });
  // The part's marks: on or after its first day, of a pupil on roll then (summariseBy of the
  // part scopes pupils leaving on or after its first day).
  const inPart = `k.date >= $part_from::DATE AND (s.leaving_date IS NULL OR s.leaving_date >= $part_from::DATE)`;
  const rows = await cachedRows<Row & { grp: string; possible: number; attended: number; part_possible: number; part_attended: number }>(
    connection,
    `WITH ${sql}
     SELECT k.session::VARCHAR AS grp,
            count(*) FILTER (WHERE k.category <> 'not_counted')::INTEGER AS possible,
            count(*) FILTER (WHERE k.category IN ('present', 'aea'))::INTEGER AS attended,
            count(*) FILTER (WHERE k.category <> 'not_counted' AND ${inPart})::INTEGER AS part_possible,
            count(*) FILTER (WHERE k.category IN ('present', 'aea') AND ${inPart})::INTEGER AS part_attended
     FROM k JOIN scope s USING (upn, member)
     GROUP BY grp
     ORDER BY grp`,
    { ...params, part_from: partFrom },
  );
  // Rates as withRates makes them (summariseBy's), from the same whole counts.
  const rate = (possible: number, attended: number) =>
    withRates({ pupils: 0, possible_sessions: possible, present_sessions: attended, aea_sessions: 0, authorised_sessions: 0, unauthorised_sessions: 0, pa_pupils: 0, sa_pupils: 0 }).attendance_pct;
  return rows.map((r) => ({ group: String(r.grp), yearToDate: rate(Number(r.possible), Number(r.attended)), part: rate(Number(r.part_possible), Number(r.part_attended)) }));
}
