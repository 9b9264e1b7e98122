/**
 * The Pupils list's CSV (client-safe columns, used by routes/pupils[.]csv.tsx): every pupil
 * of the filtered list in the list's order, rates to one decimal (an attendance beside a line, more) each beside its numerator
 * and denominator (app/lib/csv.ts).
 */
import { pupilListName } from "../../analytics/pupil-name.ts";
import type { PupilListRow } from "../../analytics/pupil-list.ts";
import { toCsv, type CsvColumn, type CsvRow } from "./csv";
import { decimalsBesideLines } from "../../analytics/thresholds.ts";
import { notYetJudged, pupilJudged } from "../../analytics/judged-span.ts";
import { SESSION_RUNS_LABEL } from "../../analytics/absence-run-words.ts";
import { trendJudged, trendNotJudgedWords } from "../../analytics/pupil-list-columns.ts";

const CSV_COLUMNS: CsvColumn[] = [
  { key: "upn", label: "UPN" },
  { key: "name", label: "Pupil" },
  { key: "year_group", label: "Year group" },
  { key: "reg_group", label: "Class" },
  { key: "sen", label: "SEN" },
  { key: "fsm", label: "FSM" },
  { key: "eal", label: "EAL" },
  { key: "lac", label: "LAC" },
  { key: "possible_sessions", label: "Possible sessions" },
  { key: "attendance_pct", label: "Attendance %", format: "pct" },
  { key: "authorised_pct", label: "Authorised absence %", format: "pct" },
  { key: "unauthorised_pct", label: "Unauthorised absence %", format: "pct" },
  { key: "absence_spells", label: SESSION_RUNS_LABEL },
  { key: "late_sessions", label: "Late sessions" },
  { key: "flag", label: "Flag" },
  { key: "trend_pts", label: "Trend (points)", format: "points" },
  // Added after the others (earlier columns' names and places are kept for sheets that read them).
  { key: "judged", label: "Judged" },
  // The pupil's unmarked school days in the period (analytics/unmarked-days.ts): the rates are of marked sessions only.
  { key: "unmarked_days", label: "Unmarked school days" },
  // Whether the pupil has enough marked sessions of those on roll in both trend windows for a
  // trend (analytics/pupil-list-columns.ts trendJudged): "yes", or why not (too few marks, or
  // not on roll for a window); empty with no trend.
  { key: "trend_judged", label: "Trend judged" },
];

/**
 * The Flag cell of persistent or severe absence, with the list's "not yet judged" beside it
 * when the pupil has fewer than PUPIL_JUDGED_MIN_SESSIONS possible sessions in the period:
 * the flag counts every pupil as the DfE does (so the file adds up to the Overview), while the
 * pupil's page and casework do not judge them yet (analytics/judged-span.ts).
 */
function dfeFlag(p: PupilListRow, measure: "Severe absence" | "Persistent absence"): string {
  if (pupilJudged(p.possible_sessions)) return measure;
  return `${measure} (${notYetJudged(p.possible_sessions)})`;
}

/**
 * `slice`: the sessions the flags count when they are not persistent and severe absence
 * (app/lib/pupil-list.server.ts flagWords: "Fridays", "3 school days in all"), said in the
 * Flag column as the page's tags say it; null for the measures themselves. `lines`: the school's
 * attendance lines (percent), beside which each attendance is written with as many decimals as
 * keep it off a line it is not on, as the page prints it (95.97, not 96.0); none: one decimal.
 */
export function pupilListCsv(rows: PupilListRow[], slice: string | null = null, lines: readonly number[] = []): string {
  const attendanceDecimals = (row: CsvRow) => (typeof row.attendance_pct === "number" ? decimalsBesideLines(row.attendance_pct, lines) : 1);
  return toCsv(
    rows.map((p) => ({
      upn: p.upn,
      name: pupilListName(p),
      year_group: p.year_group,
      reg_group: p.reg_group,
      sen: p.sen,
      fsm: p.fsm,
      eal: p.eal,
      lac: p.lac,
      possible_sessions: p.possible_sessions,
      present_sessions: p.present_sessions,
      aea_sessions: p.aea_sessions,
      authorised_sessions: p.authorised_sessions,
      unauthorised_sessions: p.unauthorised_sessions,
      attendance_pct: p.attendance_pct,
      authorised_pct: p.authorised_pct,
      unauthorised_pct: p.unauthorised_pct,
      absence_spells: p.absence_spells,
      late_sessions: p.late_sessions,
      flag: p.is_sa
        ? slice
          ? `Missed half or more of these sessions (${slice})`
          : dfeFlag(p, "Severe absence")
        : p.is_pa
          ? slice
            ? `Missed 10% or more of these sessions (${slice})`
            : dfeFlag(p, "Persistent absence")
          : slice || pupilJudged(p.possible_sessions)
            ? ""
            : // Not flagged but not judged either (18 sessions at 100 %): said, as the list says it (trial21b).
              notYetJudged(p.possible_sessions, true),
      trend_pts: p.trend_pts,
      // Whether attendance bands, PA and SA judge the pupil yet ("yes" from 40 possible sessions
      // in the period); empty under a slice, whose flags are not those measures.
      judged: slice ? "" : pupilJudged(p.possible_sessions) ? "yes" : "no",
      unmarked_days: p.unmarked_days,
      trend_judged: !p.trend_marked ? "" : trendJudged(p.trend_marked) ? "yes" : `no: ${trendNotJudgedWords(p.trend_marked, p)}`,
    })),
    CSV_COLUMNS.map((column) => (column.key === "attendance_pct" ? { ...column, decimals: attendanceDecimals } : column)),
  );
}
