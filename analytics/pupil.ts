/** One pupil's record: identity, characteristics over time, marks and amendments. */
import { dueParams, dueSessionSql, dueThrough, type DueSession } from "./register-due.ts";
import type { Connection, Row } from "./db.ts";
import { cachedOne, cachedRows } from "./db.ts";
import { PUPIL_IDENTITY_SQL, PUPIL_MARKS_SQL, PUPIL_SPELLS_SQL, pupilMarksParams } from "./one-pupil.ts";
import { amendedMarkWords } from "./amended-mark.ts";
import { onePupilCoverageCounts, type CoverageCounts } from "./one-pupil-coverage.ts";
import { LAST_MARKED_BOUND_SQL, LAST_MARKED_SQL, heldSessionsSql, lastMarkedParams, unmarkedDaySql } from "./unmarked-days.ts";

export interface PupilIdentity {
  upn: string;
  forename: string;
  surname: string;
  dob: string;
  sex: string;
  ethnicity: string;
  admission_date: string;
  leaving_date: string | null;
}

export interface CharacteristicSpell {
  valid_from: string;
  valid_to: string | null;
  year_group: string;
  reg_group: string;
  sen: string;
  fsm: string;
  eal: string;
  lac: string;
}

export interface RegisterMark {
  date: string;
  session: "AM" | "PM";
  code: string;
  category: string;
  meaning: string;
  minutes_late: number | null;
}

export interface Amendment {
  date: string;
  session: string;
  original_code: string;
  new_code: string;
  /** Minutes late before and after (null: none, or an amendment recorded before minutes were kept). */
  original_minutes_late: number | null;
  new_minutes_late: number | null;
  /** The mark before and after in words (analytics/amended-mark.ts): the code, with minutes late when they changed. */
  before: string;
  after: string;
  reason: string;
  amended_at: string;
  amended_by: string;
  amended_by_role: string;
}

export interface PupilRecord {
  identity: PupilIdentity;
  characteristics: CharacteristicSpell[];
  marks: RegisterMark[];
  amendments: Amendment[];
}

/**
 * The pupil's identity, characteristics over time, marks in `period` ({ from, to }, ISO dates)
 * and amendments (newest first), or undefined when no pupil has the UPN. Throws what DuckDB throws.
 */
export async function pupilRecord(
  connection: Connection,
  upn: string,
  period: { from: string; to: string },
): Promise<PupilRecord | undefined> {
  // The same reads (SQL and parameters) as the pupil's measures make (analytics/one-pupil.ts),
  // so a page asking both runs each once. Asked at once, not one after another: none needs
  // another's rows, and each awaited in turn had been a wait behind other readers' work on the
  // server's one thread (issue 11, item 4: a pupil's page made afresh under 50 readers). An
  // unknown UPN reads three empty results more.
  const [identity, characteristics, marks, amendments] = await Promise.all([
    cachedOne<PupilIdentity & Row>(connection, PUPIL_IDENTITY_SQL, { upn }),
    cachedRows<CharacteristicSpell & Row>(connection, PUPIL_SPELLS_SQL, { upn }),
    cachedRows<RegisterMark & Row>(connection, PUPIL_MARKS_SQL, pupilMarksParams(upn, period)),
    cachedRows<Omit<Amendment, "before" | "after"> & Row>(
      connection,
      `SELECT strftime(date, '%Y-%m-%d') AS date, session::VARCHAR AS session, original_code::VARCHAR AS original_code,
              new_code::VARCHAR AS new_code, original_minutes_late::INTEGER AS original_minutes_late,
              new_minutes_late::INTEGER AS new_minutes_late, reason, strftime(amended_at, '%Y-%m-%d %H:%M') AS amended_at,
              amended_by, amended_by_role
       -- Newest first throughout: the day, then the session (PM before AM), then the amendment.
       -- One import's amendments share amended_at (the transaction's time), so a day's AM and PM
       -- amended together tied, and the amendment's id alone put AM first (trial 50b).
       FROM amendments WHERE upn = $upn ORDER BY amended_at DESC, date DESC, session DESC, amendment_id DESC`,
      { upn },
    ),
  ]);
  if (!identity) return undefined;
  return { identity, characteristics, marks, amendments: amendments.map((a) => ({ ...a, ...amendedMarkWords(a) })) };
}

/** The units a pupil's attendance over time is read in: calendar months, or weeks (Monday to Sunday). */
export type PupilTimeGrain = "month" | "week";

/** How much of a calendar month (or week) a figure covers (a pupil's chart by month or week). */
export interface MonthCoverage {
  /** "2026-12" (a month), or the week's Monday "2026-12-07" (a week). */
  month: string;
  /** School days of the month inside the span (and the pupil's time on roll). */
  covered: number;
  /** School days of the whole month in the school's calendar. */
  schoolDays: number;
  /** Fewer school days covered than the month has: its figure is of those days only. */
  partial: boolean;
  /**
   * With a pupil (`upn`): of the covered school days' sessions (2 a day) up to the register's
   * last marked day (any pupil's), those the pupil has a mark for, and those days with a
   * session of the pupil's unmarked (a register imported for a few days only: Register checks
   * lists them); days after the last marked one (today before registration) are no one's gap.
   * Without a pupil: undefined.
   */
  marked?: { sessions: number; sessionsExpected: number; unmarkedDays: number };
}

/** Each grain's unit of a date `d.date` (as summariseBy names its groups), and the first day of the unit holding a date. */
const UNITS: Record<PupilTimeGrain, { name: string; start: (date: string) => string; length: string }> = {
  month: { name: "strftime(d.date, '%Y-%m')", start: (date) => `date_trunc('month', ${date})`, length: "INTERVAL 1 MONTH" },
  week: { name: "strftime(date_trunc('week', d.date), '%Y-%m-%d')", start: (date) => `date_trunc('week', ${date})`, length: "INTERVAL 7 DAY" },
};

/**
 * For each calendar month the span touches: its school days inside the span and in the whole
 * month (the school's calendar, school_days), so a month a chart reads only part of — the
 * period starts or ends inside it, or the pupil joined or left during it — is shown as the
 * part it is (a month of 1 school day is not a month's attendance). `span`: ISO dates,
 * already cut to the pupil's time on roll. With `upn`, also how much of it the pupil's
 * register marks (`marked`): a month on roll throughout but marked on a few days is no whole
 * month either. Months without school days are left out. `grain` "week": the same for
 * each week (Monday to Sunday) instead, named by its Monday. `due`: the last session whose
 * register has closed (the page's lastDueSession), by which a day is covered and a session
 * unmarked; default dueThrough(span.to). Without a pupil, one grouped query
 * (monthCoverageByQuery); with one, worked out from the pupil's day rows and the calendar's
 * days, cached reads shared with the rest of the pupil's page (analytics/one-pupil-coverage.ts:
 * a pupil's page made afresh asked this query for 16–28 ms on the demo school; the same
 * figures, compared for every pupil of the demo school in test/one-pupil-coverage.test.ts).
 */
export async function monthCoverage(
  connection: Connection,
  span: { from: string; to: string },
  upn?: string,
  grain: PupilTimeGrain = "month",
  due?: DueSession,
): Promise<MonthCoverage[]> {
  if (span.from > span.to) return [];
  const rows = upn === undefined
    ? await monthCoverageByQuery(connection, span, upn, grain, due)
    : await onePupilCoverageCounts(connection, upn, span, grain, due ?? dueThrough(span.to), await lastMarkedParams(connection));
  return rows.map((r) => ({
    month: r.month,
    covered: Number(r.covered),
    schoolDays: Number(r.school_days),
    partial: Number(r.covered) < Number(r.school_days),
    ...(upn === undefined ? {} : { marked: { sessions: Number(r.marked_sessions), sessionsExpected: Number(r.registered_sessions), unmarkedDays: Number(r.unmarked_days) } }),
  }));
}

/**
 * monthCoverage's counts by one grouped query over the calendar and mark_days, for the whole
 * register (`upn` undefined) or one pupil: the definition the one-pupil reading
 * (one-pupil-coverage.ts onePupilCoverageCounts) is checked against. `span`: ISO dates, from ≤ to.
 */
export async function monthCoverageByQuery(
  connection: Connection,
  span: { from: string; to: string },
  upn: string | undefined,
  grain: PupilTimeGrain,
  due: DueSession | undefined,
): Promise<CoverageCounts[]> {
  const unit = UNITS[grain];
  // A day of the span is covered once a session of it is due (`due`: analytics/register-due.ts)
  // or the pupil has a mark that day (without a pupil: the register has marks for it): at 00:00
  // today is not yet part of a month to date, nor at 09:00 for a pupil not yet marked (a day
  // of "0 of 0 sessions" would be said otherwise).
  const inSpan = `(d.date BETWEEN $from::DATE AND $to::DATE AND (${dueSessionSql("d.date", "FALSE")} OR coalesce(md.marks, 0) > 0 OR ($upn = '' AND d.date <= r.last_marked)))`;
  // The pupil's marks per covered day (mark_days.marks: 0, 1 or 2 sessions; no row, none).
  return cachedRows<Row & CoverageCounts>(
    connection,
    `SELECT ${unit.name} AS month,
            count(*) FILTER (WHERE ${inSpan})::INTEGER AS covered,
            count(*)::INTEGER AS school_days,
            coalesce(sum(coalesce(md.marks, 0)) FILTER (WHERE ${inSpan}), 0)::INTEGER AS marked_sessions,
            coalesce(sum(greatest(${heldSessionsSql("d.date", "r")}, coalesce(md.marks, 0))) FILTER (WHERE ${inSpan} AND d.date <= r.last_marked), 0)::INTEGER AS registered_sessions,
            count(*) FILTER (WHERE ${inSpan} AND ${unmarkedDaySql("d.date", "md.marks", "r")})::INTEGER AS unmarked_days
     FROM school_days d
     -- Days after the register's last marked day (today before its registers are taken, an
     -- export a day behind) are nobody's gap: only days up to it count, and on it only the
     -- sessions it holds (analytics/unmarked-days.ts).
     CROSS JOIN ${upn === undefined ? LAST_MARKED_SQL : LAST_MARKED_BOUND_SQL} r
     LEFT JOIN mark_days md ON md.date = d.date AND md.pupil_id = (SELECT pupil_id FROM pupil_ids WHERE upn = $upn)
     WHERE d.date >= ${unit.start("$from::DATE")} AND d.date < ${unit.start("$to::DATE")} + ${unit.length}
     GROUP BY month
     HAVING count(*) FILTER (WHERE ${inSpan}) > 0
     ORDER BY month`,
    // With a pupil (a pupil page made afresh) the last marked day is bound, as read once for
    // every page (lastMarkedParams), not read again from every mark in this query.
    { from: span.from, to: span.to, upn: upn ?? "", ...dueParams(due ?? dueThrough(span.to)), ...(upn === undefined ? {} : await lastMarkedParams(connection)) },
  );
}

/** A month (or week) a pupil's figure reads only part of: its school days covered, and the register's gaps in it. */
export interface PupilTimePart {
  covered: number;
  schoolDays: number;
  /** Present only where the pupil's register leaves some covered school days unmarked. */
  marked?: { sessions: number; sessionsExpected: number; unmarkedDays: number };
  /**
   * In words, for the table, its CSV and the chart's note: "11 of its 21 school days" (on roll
   * or in the period for part of it), then, where the register leaves days unmarked, "12 of 42
   * sessions marked; 15 school days unmarked — see Register checks".
   */
  words: string;
  /**
   * The chart's note on it, after the month's (week's) name, each case with what its figure is:
   * "covers 1 of its 15 school days, so its figure is of those days only"; "has 12 of 42
   * sessions marked (15 school days unmarked), so its figure is of those sessions only"; "has
   * no marks (0 of 42 sessions; 21 school days unmarked), so no figure" — a month on roll with
   * no mark is no part month with a figure of some days (it read "Part month: … (no figure) …,
   * so its figure is of those days only", a fresh-clone trial).
   */
  note: string;
}

/** One row of a pupil's attendance over time (the pupil page's chart, its table and CSV). */
export interface PupilTimeRow {
  /** "2024-11" (a month) or the week's Monday "2024-11-04". */
  group: string;
  /** Percent; null where the pupil has no possible session in it (a month on roll with no marks). */
  attendance_pct: number | null;
  possible_sessions: number;
  present_sessions: number;
  aea_sessions: number;
  /** A month read in part (or a week with unmarked days), else null: on roll and marked every school day of it. */
  part: PupilTimePart | null;
}

const count = (n: number, one: string) => `${n.toLocaleString("en-GB")} ${one}${n === 1 ? "" : "s"}`;

/** A part's words (PupilTimePart.words). */
export function partWords(part: Omit<PupilTimePart, "words" | "note">): string {
  return [
    ...(part.covered < part.schoolDays ? [`${part.covered.toLocaleString("en-GB")} of its ${count(part.schoolDays, "school day")}`] : []),
    ...(part.marked ? [`${part.marked.sessions.toLocaleString("en-GB")} of ${count(part.marked.sessionsExpected, "session")} marked; ${count(part.marked.unmarkedDays, "school day")} unmarked — see Register checks`] : []),
  ].join("; ");
}

/** A part's note for the chart (PupilTimePart.note). */
export function partNote(part: Omit<PupilTimePart, "words" | "note">): string {
  const covers = part.covered < part.schoolDays ? `covers ${part.covered.toLocaleString("en-GB")} of its ${count(part.schoolDays, "school day")}` : null;
  const marked = part.marked;
  if (!marked) return `${covers}, so its figure is of those days only`;
  const has =
    marked.sessions === 0
      ? `has no marks (0 of ${count(marked.sessionsExpected, "session")}; ${count(marked.unmarkedDays, "school day")} unmarked), so no figure`
      : `has ${marked.sessions.toLocaleString("en-GB")} of ${count(marked.sessionsExpected, "session")} marked (${count(marked.unmarkedDays, "school day")} unmarked), so its figure is of those sessions only`;
  return covers ? `${covers} and ${has}` : has;
}

/**
 * A pupil's attendance by month or week over `span` (the period; ISO dates): `figures`, the
 * pupil's measures by the same grain (summariseBy with the pupil's filter), one row each, and
 * a row too for every month (week) of `roll` — the span cut to the pupil's time on roll — with
 * a school day up to the register's last marked day but no mark of theirs (a register imported
 * for September and October only: November and December had no row, and the page read "100.0 %,
 * 72 of 72" with no word of the gap; a fresh-clone trial). Such a row has no figure
 * (attendance null, 0 possible sessions) and says its unmarked sessions in `part`. By month,
 * `part` also marks a month the span or the pupil's time on roll cuts (monthCoverage); by week,
 * only a week with unmarked days. `roll` is read to the last day with a due session (`due`:
 * analytics/register-due.ts lastDueSession) or with marks, so a month to date does not cover
 * today before its morning register closes (at 00:00 on 4 Dec, December "covered 4 of its
 * school days", today among them). In the order of time. Pure but for monthCoverage's cached reads.
 */
export async function pupilOverTime(
  connection: Connection,
  args: {
    upn: string;
    roll: { from: string; to: string };
    grain: PupilTimeGrain;
    due: DueSession;
    figures: Array<{ group: string; attendance_pct: number | null; possible_sessions: number; present_sessions: number; aea_sessions: number }>;
  },
): Promise<{ rows: PupilTimeRow[]; unmarkedDays: number }> {
  const coverage = await monthCoverage(connection, args.roll, args.upn, args.grain, args.due);
  const units = new Map(coverage.map((unit) => [unit.month, unit]));
  const figures = new Map(args.figures.map((row) => [row.group, row]));
  // A unit with a school day up to the last marked one is a unit of the register, marked or not.
  const groups = [...new Set([...figures.keys(), ...coverage.filter((u) => (u.marked?.sessionsExpected ?? 0) > 0).map((u) => u.month)])].sort();
  const rows = groups.map((group): PupilTimeRow => {
    const unit = units.get(group);
    const row = figures.get(group);
    const gaps = (unit?.marked?.unmarkedDays ?? 0) > 0;
    const cut = args.grain === "month" && unit !== undefined && unit.partial;
    const part = unit && (cut || gaps) ? { covered: unit.covered, schoolDays: unit.schoolDays, ...(gaps ? { marked: unit.marked } : {}) } : null;
    return {
      group,
      attendance_pct: row?.attendance_pct ?? null,
      possible_sessions: row?.possible_sessions ?? 0,
      present_sessions: row?.present_sessions ?? 0,
      aea_sessions: row?.aea_sessions ?? 0,
      part: part ? { ...part, words: partWords(part), note: partNote(part) } : null,
    };
  });
  return { rows, unmarkedDays: coverage.reduce((sum, unit) => sum + (unit.marked?.unmarkedDays ?? 0), 0) };
}
