/**
 * One pupil's school days covered and unmarked (analytics/unmarked-days.ts's rule), worked out
 * here from the pupil's own day rows (one-pupil.ts onePupilDays) and the school's calendar (one
 * cached read of every school day, shared by every pupil), instead of a grouped query per pupil
 * over the calendar joined with mark_days.
 *
 * Why: a pupil's page made afresh asked two such queries — the months (weeks) of their chart
 * (analytics/pupil.ts monthCoverage) and the leave-of-absence check's unmarked days of the
 * year to date (unmarked-days.ts unmarkedDaysByPupil) — 10–28 ms each on the demo school at
 * load 4–6, nearly all DuckDB's fixed cost of a statement joining a few hundred rows (issue 11,
 * item 4: a pupil nobody opened must be cheap; the warm-up cannot visit every pupil). The day
 * rows are the ones the pupil's measures and ladder standing already read for the page.
 *
 * The rule is the SQL's, term by term (unmarkedDaySql, heldSessionsSql, dueSessionSql by
 * register-due.ts sessionDue): test/one-pupil-coverage.test.ts compares both readings for
 * every pupil of the demo school.
 */
import type { Connection, Row } from "./db.ts";
import { cachedRowsToRead } from "./db.ts";
import { mondayOf, onePupilDays, SCHOOL_YEARS_SQL } from "./one-pupil.ts";
import { sessionDue, type DueSession } from "./register-due.ts";

/** The register's last marked day (ISO) and whether any pupil has a PM mark that day: unmarked-days.ts lastMarkedParams. */
export interface LastMarked {
  last_marked: string;
  last_pm: boolean;
}

/** Every school day of the calendar (ISO), one cached read for every pupil (SCHOOL_YEARS_SQL). */
async function schoolDays(connection: Connection): Promise<readonly string[]> {
  return (await cachedRowsToRead<Row & { date: string }>(connection, SCHOOL_YEARS_SQL)).map((r) => r.date);
}

/** The pupil's sessions marked on each day they have a day row (mark_days.marks), by ISO date. */
async function marksByDay(connection: Connection, upn: string): Promise<Map<string, number>> {
  return new Map((await onePupilDays(connection, upn)).map((d) => [d.date, Number(d.marks)]));
}

/** heldSessionsSql: the sessions of `day` the register holds and are due (0, 1 or 2). */
function heldSessions(day: string, due: DueSession, last: LastMarked): number {
  if (!sessionDue(due, day, false) || day > last.last_marked) return 0;
  return (day < last.last_marked || last.last_pm) && sessionDue(due, day, true) ? 2 : 1;
}

/** unmarkedDaySql: a day on roll with fewer of the pupil's marks than the sessions held. */
function unmarkedDay(day: string, marks: number, due: DueSession, last: LastMarked): boolean {
  return day <= last.last_marked && sessionDue(due, day, false) && marks < heldSessions(day, due, last);
}

/**
 * The pupil's unmarked school days over `span` (ISO dates) while on roll (`roll`: admission and
 * leaving dates, ISO; undefined for no such pupil: 0), as unmarkedDaysByPupil counts them.
 */
export async function onePupilUnmarkedDays(
  connection: Connection,
  upn: string,
  roll: { admission_date: string; leaving_date: string | null } | undefined,
  span: { from: string; to: string },
  due: DueSession,
  last: LastMarked,
): Promise<number> {
  if (!roll || roll.admission_date > span.to || (roll.leaving_date !== null && roll.leaving_date < span.from)) return 0;
  const from = roll.admission_date > span.from ? roll.admission_date : span.from;
  const to = roll.leaving_date !== null && roll.leaving_date < span.to ? roll.leaving_date : span.to;
  const [days, marks] = await Promise.all([schoolDays(connection), marksByDay(connection, upn)]);
  let count = 0;
  for (const day of days) if (day >= from && day <= to && unmarkedDay(day, marks.get(day) ?? 0, due, last)) count += 1;
  return count;
}

/** A unit's counts as monthCoverage's query gives them. */
export interface CoverageCounts {
  month: string;
  covered: number;
  school_days: number;
  marked_sessions: number;
  registered_sessions: number;
  unmarked_days: number;
}

/**
 * monthCoverage's grouped query for one pupil, from their day rows: for each month ("2026-09")
 * or week (its Monday) that `span` (ISO dates) touches, the calendar's school days in it, those
 * covered (in the span and due, or marked), the pupil's marked sessions on them, the sessions
 * held up to the last marked day and the unmarked days; units with none covered left out; in
 * the order of time.
 */
export async function onePupilCoverageCounts(
  connection: Connection,
  upn: string,
  span: { from: string; to: string },
  grain: "month" | "week",
  due: DueSession,
  last: LastMarked,
): Promise<CoverageCounts[]> {
  const unitOf = grain === "month" ? (day: string) => day.slice(0, 7) : mondayOf;
  const first = unitOf(span.from);
  const lastUnit = unitOf(span.to);
  // The calendar's days of the units the span touches (the query's date_trunc bounds): a unit's
  // days are whole, and no day outside them is looked at.
  const firstDay = grain === "month" ? `${first}-01` : first;
  const [days, marks] = await Promise.all([schoolDays(connection), marksByDay(connection, upn)]);
  const units = new Map<string, CoverageCounts>();
  for (const day of days) {
    if (day < firstDay) continue;
    const unit = unitOf(day);
    if (unit < first || unit > lastUnit) continue;
    let u = units.get(unit);
    if (!u) units.set(unit, (u = { month: unit, covered: 0, school_days: 0, marked_sessions: 0, registered_sessions: 0, unmarked_days: 0 }));
    u.school_days += 1;
    const dayMarks = marks.get(day) ?? 0;
    if (!(day >= span.from && day <= span.to && (sessionDue(due, day, false) || dayMarks > 0))) continue;
    u.covered += 1;
    u.marked_sessions += dayMarks;
    if (day <= last.last_marked) u.registered_sessions += Math.max(heldSessions(day, due, last), dayMarks);
    if (unmarkedDay(day, dayMarks, due, last)) u.unmarked_days += 1;
  }
  return [...units.values()].filter((u) => u.covered > 0).sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0));
}
