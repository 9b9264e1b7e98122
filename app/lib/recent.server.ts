/**
 * "What changed": the latest complete school week against the one before, and this month
 * so far against last month — each computed by the same measures as every other figure.
 */
import { addDays, format, parseISO, startOfISOWeek, subWeeks } from "date-fns";
import type { Connection } from "../../analytics/db.ts";
import { governorQuery, type Measures, type PupilFilter } from "../../analytics/measures.ts";
import { applyAbsentWithheld, governorSpanIsShort, governorWithheldBy, NOTHING_WITHHELD, pupilsAbsent, resolvePeriod, schoolDaysOf, summarise, summariseBy } from "./analytics.server";
import { halfTermsOf, lastTwoEndedHalfTerms, type HalfTerm } from "../../analytics/governor-periods.ts";
import { formatTermKey } from "../../analytics/period-names.ts";
import { schoolDaysBetween } from "../../analytics/options.ts";
import type { DueSession } from "../../analytics/register-due.ts";

export interface RecentFigures {
  label: string;
  from: string;
  to: string;
  attendance_pct: number | null;
  absence_pct: number | null;
  /** Pupils absent at least once in the week or month (not "persistently absent": see pupilsAbsent). */
  pupils_absent: number;
  pupils: number;
  possible_sessions: number;
  /**
   * School days with marks for these pupils in the span: a count of pupils absent at least once
   * grows with the span, so two counts are compared only over as many school days.
   */
  school_days: number;
  /** For governors: why the whole row is withheld (analytics/governor-view.ts), or null. */
  withheld: string | null;
  /**
   * For governors: why the count of pupils absent is withheld (1 … min − 1 pupils, or one that
   * would let such a count be worked out: the span's plan), or null. Attendance and absence
   * are then withheld with it (analytics/governor-view.ts applyAbsentWithheld).
   */
  pupils_absent_withheld: string | null;
}

export interface RecentChange {
  latest: RecentFigures | null;
  previous: RecentFigures | null;
  /** The measures compared; all three when not said (a governor's half terms: no count of pupils absent). */
  measures?: Array<"attendance_pct" | "absence_pct" | "pupils_absent">;
}

const iso = (date: Date) => format(date, "yyyy-MM-dd");

/** `min`: the school's small-group minimum when a governor is reading, else null (nothing withheld). */
async function figures(connection: Connection, filter: PupilFilter, label: string, from: string, to: string, measures: Measures, min: number | null): Promise<RecentFigures> {
  const absent = await pupilsAbsent(connection, { from, to, filter });
  const plan = min === null ? NOTHING_WITHHELD : ((await governorWithheldBy(connection, { from, to, filter }, null, min, "cross")).get("") ?? NOTHING_WITHHELD);
  const withheld = plan.row;
  const absentWithheld = withheld ?? plan.absent ?? null;
  const shown = applyAbsentWithheld(measures, plan);
  const schoolDays = (await schoolDaysOf(connection, { from, to, filter })).length;
  return {
    label,
    from,
    to,
    attendance_pct: shown.attendance_pct,
    absence_pct: shown.absence_pct,
    pupils_absent: absentWithheld ? 0 : absent.absent,
    pupils: withheld ? 0 : absent.pupils,
    possible_sessions: shown.possible_sessions,
    school_days: schoolDays,
    withheld,
    pupils_absent_withheld: absentWithheld,
  };
}

/**
 * The two most recent complete school weeks. Today's week is one once its every school day's
 * registers are due (`due`, analytics/register-due.ts lastDueSession: on its last school day
 * after the afternoon's register closes, or on a weekend); before that the two before it.
 * Holiday weeks have no marks and are skipped, so after half term the comparison is with the
 * week before it. Looks back twelve weeks: long enough to reach over the summer's six. `min`:
 * see `figures`.
 */
export async function recentWeeks(connection: Connection, today: string, filter: PupilFilter, min: number | null = null, due: DueSession | null = null): Promise<RecentChange> {
  const thisMonday = startOfISOWeek(parseISO(today));
  // Trial 30: on Friday 4 Dec after both registers had closed, "Since last week" still set the
  // week of 16 Nov against that of 23 Nov while the weekly chart drew the week of 30 Nov whole.
  const weekDone = (await weekInProgress(connection, today, due)) === null;
  const window = { from: iso(subWeeks(thisMonday, 12)), to: iso(addDays(thisMonday, weekDone ? 6 : -1)) };
  const weeks = (await summariseBy(connection, { ...window, filter }, "week")).filter((week) => week.possible_sessions > 0);
  const pick = async (index: number): Promise<RecentFigures | null> => {
    const week = weeks[index];
    if (!week) return null;
    const friday = iso(addDays(parseISO(week.group), 4));
    return figures(connection, filter, `Week beginning ${format(parseISO(week.group), "d MMM yyyy")}`, week.group, friday, week, min);
  };
  // One connection runs one query at a time: sequential on purpose.
  const latest = await pick(weeks.length - 1);
  const previous = await pick(weeks.length - 2);
  return { latest, previous };
}

/** Today's school week while some of its registers are not yet due (weekInProgress). */
export interface WeekInProgress {
  /** Its Monday (ISO), as a week is keyed ("week" breakdown). */
  monday: string;
  /** Sessions of its school days whose registers are due (`due`): 0 … `sessions`. */
  sessionsDue: number;
  /** Sessions of its school days (2 a school day in the calendar). */
  sessions: number;
}

/**
 * Today's school week, unless every register of it is due (its last school day's afternoon
 * closed, analytics/register-due.ts lastDueSession) or it has no school day (a holiday): a
 * week whose figures will still move. The Overview's weekly chart said nothing of it, and
 * its point on a Monday morning was one session a pupil (trial 50); "Since last week" sets
 * it aside. `due`: the view's last due session (null: none is known due, so the week is open).
 */
export async function weekInProgress(connection: Connection, today: string, due: DueSession | null): Promise<WeekInProgress | null> {
  const monday = startOfISOWeek(parseISO(today));
  const days = await schoolDaysBetween(connection, { from: iso(monday), to: iso(addDays(monday, 6)) });
  const lastDay = days.at(-1);
  if (lastDay === undefined || (due !== null && (lastDay < due.date || (lastDay === due.date && due.pm)))) return null;
  const sessionsDue = due === null ? 0 : days.reduce((n, day) => n + (day < due.date ? 2 : day === due.date ? (due.pm ? 2 : 1) : 0), 0);
  return { monday: iso(monday), sessionsDue, sessions: 2 * days.length };
}

/** This month to date against the whole of last month. */
export async function recentMonths(connection: Connection, today: string, filter: PupilFilter, min: number | null = null): Promise<RecentChange> {
  const thisMonth = await resolvePeriod(connection, { name: "this-month", today });
  const lastMonth = await resolvePeriod(connection, { name: "last-month", today });
  // One connection runs one query at a time: sequential on purpose.
  const latest = await summarise(connection, { from: thisMonth.from, to: thisMonth.to, filter });
  const previous = await summarise(connection, { from: lastMonth.from, to: lastMonth.to, filter });
  return {
    latest: latest.possible_sessions > 0 ? await figures(connection, filter, `${thisMonth.label} so far`, thisMonth.from, thisMonth.to, latest, min) : null,
    previous: previous.possible_sessions > 0 ? await figures(connection, filter, lastMonth.label, lastMonth.from, lastMonth.to, previous, min) : null,
  };
}

/**
 * For a governor, "what changed" is the last half term that has ended against the one before
 * it: a governor is given whole half terms only, never a week or a month (analytics/
 * governor-periods.ts), each read from that half term's own plan as on every page. Attendance
 * and absence only: the pupils absent at least once are no measure over a half term. Over a
 * half term short enough for that count (analytics/governor-view.ts governorSpanIsShort), a
 * withheld count takes the absence with it as on the Overview. `min`: the small-group minimum.
 */
export async function recentHalfTerms(connection: Connection, today: string, filter: PupilFilter, min: number): Promise<RecentChange> {
  const halves = lastTwoEndedHalfTerms(await halfTermsOf(connection), today);
  const pick = async (half: HalfTerm | null): Promise<RecentFigures | null> => {
    if (!half) return null;
    const query = governorQuery({ from: half.from, to: half.to, filter });
    const measures = await summarise(connection, query);
    const planned = (await governorWithheldBy(connection, query, null, min)).get("");
    // A filter choosing no pupil that half term reads withheld, as one choosing a few
    // (analytics/governor-lattice.ts LatticePlan.withheld), not "not yet two half terms".
    if (measures.possible_sessions === 0 && !planned?.row) return null;
    const plan = planned ?? NOTHING_WITHHELD;
    const short = await governorSpanIsShort(connection, query);
    // The absence withheld with the count: where the half term's plan says (Withheld.absence, short half terms only).
    const absentWithheld = plan.row ?? (short ? (plan.absence ?? null) : null);
    const shown = plan.row ? measures : applyAbsentWithheld(measures, short ? plan : NOTHING_WITHHELD);
    return {
      label: formatTermKey(half.key),
      from: half.from,
      to: half.to,
      attendance_pct: plan.row ? null : shown.attendance_pct,
      absence_pct: plan.row ? null : shown.absence_pct,
      pupils_absent: 0,
      pupils: plan.row ? 0 : measures.pupils,
      possible_sessions: plan.row ? 0 : shown.possible_sessions,
      // The whole school's days, whatever the filter (as governorSpanIsShort counts them): the
      // filter's own read 0 for a class with no one and 10 for a class of one (session 21).
      school_days: (await schoolDaysOf(connection, { from: half.from, to: half.to })).length,
      withheld: plan.row,
      pupils_absent_withheld: absentWithheld,
    };
  };
  // One connection runs one query at a time: sequential on purpose.
  const latest = await pick(halves.latest);
  const previous = await pick(halves.previous);
  return { latest, previous, measures: ["attendance_pct", "absence_pct"] };
}
