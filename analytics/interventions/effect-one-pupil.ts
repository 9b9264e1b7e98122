/**
 * One pupil's interventions and their effect (effect.ts interventionEffects with `upn` and no
 * filter: a pupil's page), worked out here from reads the page shares instead of the grouped
 * query: the pupil's day rows (one-pupil.ts onePupilDays), identity and characteristic spells
 * (pupilRecord's reads), the pupil's entries (store.ts pupilEntryRows, as their page lists
 * them) and the calendar's school days (one read for every pupil).
 *
 * Why: for a pupil with an action in force (a quarter of the demo school's pupils) that query
 * was the largest part of the page made afresh: 75–85 ms on the demo school, 80–300 ms at 4,500
 * pupils (load 6–9), for a handful of actions over a few hundred day rows; the query's windows,
 * joins and arg_max are a few lines here (issue 11: a pupil nobody opened must be cheap).
 *
 * The rows are the query's, column for column (interventionEffects turns them into effects the
 * same way): test/effect-one-pupil.test.ts compares both for every pupil with an entry on the
 * demo school, as of several dates.
 */
import type { Connection, Row } from "../db.ts";
import { cachedOne, cachedRowsToRead } from "../db.ts";
import { mondayOf, onePupilDays, PUPIL_IDENTITY_SQL, PUPIL_SPELLS_SQL, SCHOOL_YEARS_SQL } from "../one-pupil.ts";
import { pupilEntryRows } from "./store.ts";

/** A school week: its Monday and its first and last school days (ISO). */
type SchoolWeek = { week: string; first: string; last: string };

/**
 * interventionEffects' rows for one pupil (their effective entries dated `from`–`to`, as of
 * `asOf`, days read from `daysFrom`: the query's $pd_from), newest first; undefined when the
 * calendar has no school days (the query then reads the register's own days: left to it).
 * `windowWeeks`: EFFECT_WINDOW_SCHOOL_WEEKS.
 */
export async function onePupilEffectRows(
  connection: Connection,
  upn: string,
  options: { from: string; to: string; asOf: string; daysFrom: string; windowWeeks: number },
): Promise<Row[] | undefined> {
  const [calendar, entries, identity, spells, days] = await Promise.all([
    cachedRowsToRead<Row & { date: string }>(connection, SCHOOL_YEARS_SQL),
    pupilEntryRows(connection, upn),
    cachedOne<Row & { forename: string; surname: string }>(connection, PUPIL_IDENTITY_SQL, { upn }),
    cachedRowsToRead<Row & { valid_from: string; valid_to: string | null; year_group: string | null; reg_group: string | null }>(connection, PUPIL_SPELLS_SQL, { upn }),
    onePupilDays(connection, upn),
  ]);
  if (calendar.length === 0) return undefined;
  if (!identity) return [];
  // school_weeks: weeks with a school day, numbered 1, 2, … in order (index n − 1 here).
  const byWeek = new Map<string, SchoolWeek>();
  for (const { date } of calendar) {
    const week = mondayOf(date);
    const w = byWeek.get(week);
    if (!w) byWeek.set(week, { week, first: date, last: date });
    else {
      if (date < w.first) w.first = date;
      if (date > w.last) w.last = date;
    }
  }
  const weeks = [...byWeek.values()].sort((a, b) => (a.week < b.week ? -1 : a.week > b.week ? 1 : 0));
  const weekNo = (n: number): SchoolWeek | undefined => weeks[n - 1];
  const inDays = days.filter((d) => d.date >= options.daysFrom && d.date <= options.asOf);
  const sum = (from: string, to: string) => {
    let possible = 0;
    let attended = 0;
    for (const d of inDays) {
      if (d.date < from || d.date > to) continue;
      possible += Number(d.possible);
      attended += Number(d.present) + Number(d.aea);
    }
    return { possible, attended };
  };
  // The pupil's entries in force (EFFECTIVE_INTERVENTIONS_CTE: not withdrawing, not corrected).
  const inForce = entries.filter((e) => !e.withdrawn && e.corrected_by === null);
  const rows: Row[] = [];
  for (const e of inForce) {
    if (e.date < options.from || e.date > options.to) continue;
    const week = mondayOf(e.date);
    const k = weeks.filter((w) => w.week < week).length;
    const j = weeks.filter((w) => w.week <= week).length;
    const n = options.windowWeeks;
    const beforeFrom = k >= n ? (weekNo(k - (n - 1))?.first ?? null) : null;
    const beforeTo = k >= n ? (weekNo(k)?.last ?? null) : null;
    const afterFrom = weekNo(j + 1)?.first ?? null;
    const afterTo = weekNo(j + n)?.last ?? null;
    const before = beforeFrom !== null && beforeTo !== null ? sum(beforeFrom, beforeTo) : { possible: 0, attended: 0 };
    // The after window to its end or the as-of date; only its complete figures are shown.
    const after = afterFrom !== null ? sum(afterFrom, afterTo !== null && afterTo < options.asOf ? afterTo : options.asOf) : { possible: 0, attended: 0 };
    // Other actions in force from the before window's first day (else the action's week) up to
    // this one (earlier that day: a lower id); the latest of them named.
    const since = beforeFrom ?? week;
    const earlier = inForce.filter((o) => o.id !== e.id && o.date >= since && (o.date < e.date || (o.date === e.date && o.id < e.id)));
    const latest = earlier.reduce<(typeof earlier)[number] | null>((a, o) => (a === null || o.date > a.date || (o.date === a.date && o.id > a.id) ? o : a), null);
    const base = {
      id: e.id, upn: e.upn, forename: identity.forename, surname: identity.surname,
      type: e.type, label: e.label, date: e.date, note: e.note, recorded_by: e.recorded_by,
      before_from: beforeFrom, before_to: beforeTo, after_from: afterFrom, after_to: afterTo,
      before_possible: before.possible, before_attended: before.attended, after_possible: after.possible, after_attended: after.attended,
      after_complete: afterTo !== null && afterTo <= options.asOf,
      before_exists: beforeFrom !== null,
      earlier_n: latest ? earlier.length : null, earlier_type: latest?.type ?? null, earlier_label: latest?.label ?? null, earlier_date: latest?.date ?? null,
    };
    // The characteristics in force on the action's date (the query's LEFT JOIN: a row for each).
    const held = spells.filter((s) => s.valid_from <= e.date && (s.valid_to === null || s.valid_to >= e.date));
    if (held.length === 0) rows.push({ ...base, year_group: "", reg_group: "" });
    for (const s of held) rows.push({ ...base, year_group: s.year_group ?? "", reg_group: s.reg_group ?? "" });
  }
  return rows.sort((a, b) => (a.date === b.date ? Number(b.id) - Number(a.id) : String(a.date) < String(b.date) ? 1 : -1));
}
