/**
 * "What changed": the latest complete school week against the one before, and this month
 * so far against last month — each computed by the same measures as every other figure.
 */
import { addDays, format, parseISO, startOfISOWeek, subWeeks } from "date-fns";
import type { Connection } from "../../analytics/db.ts";
import type { Measures, PupilFilter } from "../../analytics/measures.ts";
import { pupilsAbsent, resolvePeriod, summarise, summariseBy } from "./analytics.server";

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
}

export interface RecentChange {
  latest: RecentFigures | null;
  previous: RecentFigures | null;
}

const iso = (date: Date) => format(date, "yyyy-MM-dd");

async function figures(connection: Connection, filter: PupilFilter, label: string, from: string, to: string, measures: Measures): Promise<RecentFigures> {
  const absent = await pupilsAbsent(connection, { from, to, filter });
  return {
    label,
    from,
    to,
    attendance_pct: measures.attendance_pct,
    absence_pct: measures.absence_pct,
    pupils_absent: absent.absent,
    pupils: absent.pupils,
    possible_sessions: measures.possible_sessions,
  };
}

/**
 * The two most recent complete school weeks before today's week. Holiday weeks have no
 * marks and are skipped, so after half term the comparison is with the week before it.
 * Looks back twelve weeks: long enough to reach over the summer's six.
 */
export async function recentWeeks(connection: Connection, today: string, filter: PupilFilter): Promise<RecentChange> {
  const thisMonday = startOfISOWeek(parseISO(today));
  const window = { from: iso(subWeeks(thisMonday, 12)), to: iso(addDays(thisMonday, -1)) };
  const weeks = (await summariseBy(connection, { ...window, filter }, "week")).filter((week) => week.possible_sessions > 0);
  const pick = async (index: number): Promise<RecentFigures | null> => {
    const week = weeks[index];
    if (!week) return null;
    const friday = iso(addDays(parseISO(week.group), 4));
    return figures(connection, filter, `Week beginning ${format(parseISO(week.group), "d MMM yyyy")}`, week.group, friday, week);
  };
  // One connection runs one query at a time: sequential on purpose.
  const latest = await pick(weeks.length - 1);
  const previous = await pick(weeks.length - 2);
  return { latest, previous };
}

/** This month to date against the whole of last month. */
export async function recentMonths(connection: Connection, today: string, filter: PupilFilter): Promise<RecentChange> {
  const thisMonth = await resolvePeriod(connection, { name: "this-month", today });
  const lastMonth = await resolvePeriod(connection, { name: "last-month", today });
  // One connection runs one query at a time: sequential on purpose.
  const latest = await summarise(connection, { from: thisMonth.from, to: thisMonth.to, filter });
  const previous = await summarise(connection, { from: lastMonth.from, to: lastMonth.to, filter });
  return {
    latest: latest.possible_sessions > 0 ? await figures(connection, filter, `${thisMonth.label} so far`, thisMonth.from, thisMonth.to, latest) : null,
    previous: previous.possible_sessions > 0 ? await figures(connection, filter, lastMonth.label, lastMonth.from, lastMonth.to, previous) : null,
  };
}
