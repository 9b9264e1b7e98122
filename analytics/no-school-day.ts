/**
 * Why some days of the calendar hold no school day: a weekend, a closure the school recorded
 * (its reason: "INSET day", "Bank holiday") or a school holiday (a weekday outside every half
 * term), so a page can say what is true of a day or week with no register rather than that it
 * is outside the period (trial 29: 1 Sep, an INSET day inside "2026/27 to date", read "not in
 * the period").
 */
import type { Connection, Row } from "./db.ts";
import { cachedRows } from "./db.ts";

/**
 * The reasons the days `from` to `to` (ISO, inclusive) are not school days, each once in date
 * order: a closure's reason, "a school holiday" for a weekday neither a school day nor a
 * closure, and "a weekend" when every day is a Saturday or Sunday. Empty when one is a school day.
 */
export async function noSchoolDayReasons(connection: Connection, from: string, to: string): Promise<string[]> {
  const rows = await cachedRows<Row & { reason: string | null; weekend: boolean; school: boolean }>(
    connection,
    `SELECT d::DATE AS day, isodow(d) >= 6 AS weekend,
            EXISTS (SELECT 1 FROM school_days s WHERE s.date = d::DATE) AS school,
            (SELECT min(c.reason) FROM closures c WHERE c.date = d::DATE) AS reason
     FROM generate_series($from::DATE, $to::DATE, INTERVAL 1 DAY) AS g(d)
     ORDER BY day`,
    { from, to },
  );
  if (rows.some((row) => row.school)) return [];
  const reasons = rows.filter((row) => !row.weekend || row.reason !== null).map((row) => row.reason ?? "a school holiday");
  return reasons.length > 0 ? [...new Set(reasons)] : ["a weekend"];
}
