/**
 * `rollcall summary` without --json, for a person reading it: the measures in words, the whole
 * school's one row down the page ("Attendance 95.80%"), a breakdown as a table headed in words
 * with each group named as the dashboard names it ("Year 3", "SEN support"). The JSON keeps the
 * field names (the contract: README "summary --json"); the same figures, from the same
 * functions (analytics/measures.ts summarise, summariseBy, sessionsByCode). A new user's first
 * `rollcall summary` printed a line of 14 field names 220 characters wide (trial 50).
 */
import { format, parseISO } from "date-fns";
import { FILTER_LABELS, PUPIL_FILTER_KEYS, describeFilterValue, type PupilFilterKey } from "../characteristic-words.ts";
import type { Dimension } from "../measures.ts";
import { periodGroupWords } from "../period-group-words.ts";
import { formatTable } from "./table.ts";

/** Each field's words, in the JSON's order (fields not named here keep their own name). */
const MEASURE_WORDS: Record<string, string> = {
  pupils: "Pupils",
  possible_sessions: "Possible sessions",
  present_sessions: "Present",
  aea_sessions: "Approved educational activity (AEA)",
  authorised_sessions: "Authorised absence",
  unauthorised_sessions: "Unauthorised absence",
  attendance_pct: "Attendance",
  absence_pct: "Overall absence",
  authorised_pct: "Authorised absence rate",
  unauthorised_pct: "Unauthorised absence rate",
  pa_pupils: "Persistently absent pupils",
  pa_pct: "Persistent absence rate",
  sa_pupils: "Severely absent pupils",
  sa_pct: "Severe absence rate",
  code: "Code",
  sessions: "Sessions",
};

/** Shorter words for a breakdown's columns, where a table must fit a terminal's width. */
const COLUMN_WORDS: Record<string, string> = {
  ...MEASURE_WORDS,
  possible_sessions: "Possible",
  aea_sessions: "AEA",
  authorised_sessions: "Authorised",
  unauthorised_sessions: "Unauthorised",
  attendance_pct: "Attend. %",
  absence_pct: "Absence %",
  authorised_pct: "Auth. %",
  unauthorised_pct: "Unauth. %",
  pa_pupils: "PA",
  pa_pct: "PA %",
  sa_pupils: "SA",
  sa_pct: "SA %",
};

/** A session dimension's words, as a column heading. */
const SESSION_DIMENSION_WORDS: Record<string, string> = {
  weekday: "Weekday",
  session: "Session",
  date: "Date",
  week: "Week beginning",
  month: "Month",
  half_term: "Half term",
  term: "Term",
  academic_year: "Academic year",
};

const SESSIONS_WORDS = "Sessions are half days.";
const ABSENT_WORDS = "Persistently absent: missed 10% or more of their possible sessions; severely absent: 50% or more (DfE).";

const isPupilKey = (by: string): by is PupilFilterKey => (PUPIL_FILTER_KEYS as readonly string[]).includes(by);

/**
 * A period group as the dashboard says it (analytics/period-group-words.ts: "Sep 2026", "Autumn
 * 1 2026"), a week as the dashboard's tables give it under "Week beginning": its Monday's date.
 */
function groupWords(by: string, group: string): string {
  return by === "week" && /^\d{4}-\d{2}-\d{2}$/.test(group) ? format(parseISO(group), "d MMM yyyy") : periodGroupWords(by, group);
}

/** How the stderr note names a dimension's groups ("half term", "year group"), for the text output. */
export function dimensionWords(by: string): string {
  return (isPupilKey(by) ? FILTER_LABELS[by] : SESSION_DIMENSION_WORDS[by] ?? by).toLowerCase().replace(/ beginning$/, "");
}

/** A value as printed: "—" for none (not given), a percentage to two decimals with its sign, a count with thousands separated ("29,792"). */
function valueText(key: string, value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number" && key.endsWith("_pct")) return `${value.toFixed(2)}%`;
  if (typeof value === "number" && Number.isInteger(value)) return value.toLocaleString("en-GB");
  return String(value);
}

/**
 * The text's first line: the school, the period in words and the pupils chosen ("Ludlow Junior
 * School: 1 Aug 2026 to 7 Dec 2026, all pupils"; a filter's values as the dashboard names them).
 */
export function summaryTitle(school: string, query: { from: string; to: string; filter: Partial<Record<PupilFilterKey, string>> }): string {
  const day = (iso: string) => format(parseISO(iso), "d MMM yyyy");
  const chosen = PUPIL_FILTER_KEYS.flatMap((key) => (query.filter[key] ? [describeFilterValue(key, query.filter[key]!)] : []));
  return `${school ? `${school}: ` : ""}${day(query.from)} to ${day(query.to)}, ${chosen.length > 0 ? `pupils: ${chosen.join(", ")}` : "all pupils"}`;
}

/**
 * The summary as text: `result` the JSON's object (no --by) or rows (with `by`, their `group`
 * the dimension's value; by code, `code`, `sessions` and `meaning`, as analytics/measures.ts
 * sessionsByCode gives them: the meaning in the regulations of the code's marks' dates, the 2024
 * ones where they fall either side of 19 August 2024). Lines joined by "\n", no final one.
 */
export function summaryText(result: object | readonly object[], by: Dimension | undefined): string {
  if (!Array.isArray(result)) {
    const entries = Object.entries(result as Record<string, unknown>);
    const width = Math.max(...entries.map(([key]) => (MEASURE_WORDS[key] ?? key).length));
    return [...entries.map(([key, value]) => `${(MEASURE_WORDS[key] ?? key).padEnd(width)}  ${valueText(key, value)}`), "", `${SESSIONS_WORDS} ${ABSENT_WORDS}`].join("\n");
  }
  if (by === "code") {
    const codes = result as { code: string; sessions: number; meaning: string }[];
    return formatTable(codes.map(({ code, sessions, meaning }) => ({ Code: code, Sessions: valueText("sessions", sessions), Meaning: meaning })), { left: ["Meaning"] });
  }
  const rows = (result as Record<string, unknown>[]).map((row) => {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(row)) {
      const heading = key === "group" && by ? (isPupilKey(by) ? FILTER_LABELS[by] : SESSION_DIMENSION_WORDS[by] ?? by) : COLUMN_WORDS[key] ?? key;
      out[heading] = key === "group" && by && typeof value === "string" ? (isPupilKey(by) ? describeFilterValue(by, value) : groupWords(by, value)) : valueText(key, value);
    }
    return out;
  });
  return [formatTable(rows), "", `${SESSIONS_WORDS} PA, SA: pupils persistently (10% or more) and severely (50% or more) absent.`].join("\n");
}
