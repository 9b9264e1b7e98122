/**
 * The escalation ladder's reads of one pupil (ladderFor with `upn`: a pupil's page, the
 * intervention form) from the pupil's own day rows (analytics/one-pupil.ts onePupilDays: one
 * cached read, shared with the pupil's measures), instead of the set-based queries written for
 * every pupil at once.
 *
 * Why: those queries (the year to date with each line's current run below it, windows over
 * the days; the penalty window's running count of unauthorised sessions) cost a pupil's page
 * made afresh 20–30 ms of DuckDB CPU for a few hundred rows of one pupil, nearly all of it a
 * statement's fixed cost (binding and planning a dozen CTEs, a hash table per GROUP BY and
 * window), the biggest part of the page left once its measures were read once (issue 11,
 * item 4: a pupil's page must be cheap made cold). Each function returns exactly the rows the
 * set-based query returns for that pupil (test/ladder-one-pupil.test.ts compares them on every
 * pupil of the demo school), so ladderFor reads them as it reads those.
 */
import type { Connection, Row } from "../db.ts";
import { cachedRowsToRead } from "../db.ts";
import { onePupilDays, onePupilRoll, SCHOOL_YEARS_SQL } from "../one-pupil.ts";
import { penaltyWindowStart } from "./register-showed.ts";
import { belowLine } from "./below-line.ts";

/**
 * The pupil's running totals day by day, in date order: after each day (ISO `date`), the
 * possible sessions (`cpos`) and attended sessions (present + AEA, `catt`) summed from the first
 * of `days` (onePupilDays' rows, in any order) — the window sums the set-based queries take.
 */
function runningTotals(days: ReadonlyArray<Row & { date: string }>): Array<{ date: string; cpos: number; catt: number }> {
  const byDate = [...days].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const running: Array<{ date: string; cpos: number; catt: number }> = [];
  let cpos = 0;
  let catt = 0;
  for (const d of byDate) {
    cpos += Number(d.possible);
    catt += Number(d.present) + Number(d.aea);
    running.push({ date: d.date, cpos, catt });
  }
  return running;
}

/** Whether the pupil is on roll on `asOf` (ladderFor's `roll`): admitted by then and not left before. */
async function onRoll(connection: Connection, upn: string, asOf: string): Promise<boolean> {
  const roll = await onePupilRoll(connection, upn);
  return roll !== undefined && roll.admission_date <= asOf && (roll.leaving_date === null || roll.leaving_date >= asOf);
}

/**
 * ladderFor's first query for one pupil: `[]` off roll on `asOf`, else one row — `upn`, the
 * year to date's `possible` and `attended` (present + AEA) sessions from `yearFrom` to `asOf`
 * (0 without marks), and for each line i `crossed_i`: the first day (ISO) of the pupil's
 * current run below it (the first day after the last day not below it on which they are below
 * it, on the running totals from `yearFrom`; null when not below it now, or below no line over
 * the year to date). A line is crossed on a day when the running possible sessions are at least
 * `minPossible` and 100 × attended < pct × possible (≤ when `inclusive`), as the SQL compares.
 */
export async function onePupilLadderTotals(
  connection: Connection,
  args: { upn: string; asOf: string; yearFrom: string; lines: ReadonlyArray<{ pct: number; inclusive?: boolean }>; minPossible: number },
): Promise<Row[]> {
  const { upn, asOf, yearFrom, lines, minPossible } = args;
  if (!(await onRoll(connection, upn, asOf))) return [];
  const days = (await onePupilDays(connection, upn)).filter((d) => d.date >= yearFrom && d.date <= asOf);
  const below = (line: { pct: number; inclusive?: boolean }, possible: number, attended: number) => belowLine(attended, possible, line, minPossible);
  let possible = 0;
  let attended = 0;
  for (const d of days) {
    possible += Number(d.possible);
    attended += Number(d.present) + Number(d.aea);
  }
  const row: Row = { upn, possible, attended };
  lines.forEach((_line, i) => (row[`crossed_${i}`] = null));
  // Only a pupil below some line over the year to date has a current run below one.
  if (days.length === 0 || !lines.some((line) => below(line, possible, attended))) return [row];
  const running = runningTotals(days);
  lines.forEach((line, i) => {
    let clear = "1900-01-01";
    for (const r of running) if (!below(line, r.cpos, r.catt) && r.date > clear) clear = r.date;
    row[`crossed_${i}`] = running.find((r) => r.date > clear && below(line, r.cpos, r.catt))?.date ?? null;
  });
  return [row];
}

/**
 * ladderFor's penalty query for one pupil: `[]` off roll on `asOf` or without an unauthorised
 * session in the window, else one row — `upn`, `sessions` (the unauthorised sessions in the
 * window: the last `windowWeeks` school weeks to `asOf`, no further back than `marksFrom`) and
 * `reached`, the first day (ISO) on which their running count in the window reached
 * `threshold`, or null.
 */
export async function onePupilPenalty(
  connection: Connection,
  args: { upn: string; asOf: string; marksFrom: string; windowWeeks: number; threshold: number },
): Promise<Row[]> {
  const { upn, asOf, marksFrom, windowWeeks, threshold } = args;
  if (!(await onRoll(connection, upn, asOf))) return [];
  // The window's first week: the school's, the same for every pupil (one cached read).
  const firstWeek = await penaltyWindowStart(connection, asOf, windowWeeks);
  if (firstWeek === null) return [];
  const days = (await onePupilDays(connection, upn))
    .filter((d) => Number(d.unauthorised) > 0 && d.date >= firstWeek && d.date <= asOf && d.date >= marksFrom)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  if (days.length === 0) return [];
  let sessions = 0;
  let reached: string | null = null;
  for (const d of days) {
    sessions += Number(d.unauthorised);
    if (reached === null && sessions >= threshold) reached = d.date;
  }
  return [{ upn, reached, sessions }];
}

/**
 * ladderFor's monitoring periods (its query of `periodRows`) for one pupil's watched entries
 * (`watched`: entry id, its ISO date, the follow-up step's school weeks), from the pupil's own
 * day rows and the calendar's school days: for each entry, periods k = 1, 2, … of 5 × weeks
 * school days from the entry's school day (the latest on or before its date), those begun by
 * `asOf` (at most 200), each with the year to date at the entry's date (p_) and the sessions
 * after the period's start to its end or `asOf` (w_); days from `marksFrom` to `asOf`. Rows as
 * the query's (id, k, end_date, p_possible, p_attended, w_possible, w_attended), by id then k;
 * undefined when the calendar has no school days (the query then reads the register's days).
 * Why: that query was 36–90 ms of a pupil's page made afresh on the demo school (load 6–11),
 * for the pupils whose stage is followed by a monitoring period; test/ladder-one-pupil.test.ts
 * compares each pupil's standing alone with theirs among everyone.
 */
export async function onePupilPeriodRows(
  connection: Connection,
  args: { upn: string; asOf: string; marksFrom: string; watched: ReadonlyArray<{ id: number; date: string; weeks: number }> },
): Promise<Row[] | undefined> {
  const { upn, asOf, marksFrom, watched } = args;
  const [calendar, allDays] = await Promise.all([cachedRowsToRead<Row & { date: string }>(connection, SCHOOL_YEARS_SQL), onePupilDays(connection, upn)]);
  if (calendar.length === 0) return undefined;
  // school_day_index: the calendar's distinct days in order, numbered from 1 (index + 1 here).
  const index = [...new Set(calendar.map((r) => r.date))].sort();
  const dayAt = (d: number): string | null => index[d - 1] ?? null;
  // The number of the latest school day on or before `date` (0 for none): an ASOF join's.
  const dayNumber = (date: string): number => {
    let lo = 0;
    let hi = index.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (index[mid] <= date) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  // The pupil's running totals day by day (cum), and their value at the last day on or before a date.
  const cum = runningTotals(allDays.filter((d) => d.date >= marksFrom && d.date <= asOf));
  const at = (date: string | null): { cpos: number; catt: number } | null => {
    if (date === null) return null;
    let found: { cpos: number; catt: number } | null = null;
    for (const c of cum) {
      if (c.date > date) break;
      found = c;
    }
    return found;
  };
  const asOfDay = dayNumber(asOf);
  const rows: Row[] = [];
  for (const w of [...watched].sort((a, b) => a.id - b.id)) {
    const d = dayNumber(w.date);
    const step = 5 * w.weeks;
    const count = w.weeks > 0 ? Math.min(200, Math.max(1, Math.floor((asOfDay - d) / step) + 1)) : d >= 1 && d <= asOfDay ? 200 : 1;
    const p = at(w.date);
    for (let k = 1; k <= count; k++) {
      const start = k === 1 ? w.date : dayAt(d + step * (k - 1));
      if (k > 1 && (start === null || start > asOf)) continue;
      const end = dayAt(d + step * k);
      const e = at(end ?? asOf);
      const b = at(start);
      rows.push({
        id: w.id, k, end_date: end,
        p_possible: p?.cpos ?? 0, p_attended: p?.catt ?? 0,
        w_possible: (e?.cpos ?? 0) - (b?.cpos ?? 0), w_attended: (e?.catt ?? 0) - (b?.catt ?? 0),
      });
    }
  }
  return rows;
}
