/**
 * The Pupils list's request, read once for the page (routes/pupils._index.tsx) and its CSV
 * (routes/pupils[.]csv.tsx): the view (period, pupil filters), a drill-down, the list's own
 * filters (name or UPN, attendance band, falling only) and its sort and page, all from the
 * URL, and the one analytics call that answers them (analytics/pupil-list.ts).
 */
import type { Connection } from "../../analytics/db.ts";
import { appliedOrder, pagingWords, readPaging, unsortableNote } from "../../analytics/list-paging.ts";
import type { MeasureQuery, PupilDimension, SessionDimension } from "../../analytics/measures.ts";
import { ALL_CODES, describeCode } from "../../analytics/codes.ts";
import { formatTermKey } from "../../analytics/period-names.ts";
import { DEFAULT_PUPIL_SORT, PUPIL_SORT_COLUMNS } from "../../analytics/pupil-list-columns.ts";
import { pupilList, TREND_SCHOOL_WEEKS, type PupilList } from "../../analytics/pupil-list.ts";
import { schoolWeekWindows, type SchoolWeekWindows } from "../../analytics/register-windows.ts";
import { PUPIL_DIMENSIONS, SESSION_DIMENSIONS } from "./analytics.server";
import { FILTER_LABELS, PUPIL_FILTER_KEYS, describeFilterValue, readDrillParam, unknownFilterWords, unreadWords, type PupilFilterKey, type UnreadValue } from "./filters";
import { filterOptions, sliceSchoolDays } from "../../analytics/options.ts";
import { formatDate } from "./format";
import { noSchoolDayReasons } from "../../analytics/no-school-day.ts";
import { addDays } from "../../analytics/import/values.ts";
import { parseAttendanceBand } from "./pupil-filters";
import { resolveView, type View } from "./view.server";
import { PA_MIN_SCHOOL_DAYS, persistentAbsenceMeasured, persistentAbsenceSpan } from "../../analytics/pa-span.ts";

type Drill =
  | { kind: "pupil"; by: PupilDimension; value: string }
  | { kind: "session"; by: SessionDimension; value: string }
  | { kind: "code"; by: "code"; value: string };

/**
 * Reads `drill=by:value` (app/lib/filters.ts readDrillParam): the drill-down, or what could not
 * be read in it, said on the page (a value that names no weekday, session, date or week was
 * applied silently and gave an empty list).
 */
function readDrill(search: URLSearchParams): { drill: Drill | null; unread: UnreadValue | null } {
  const read = readDrillParam(search, ALL_CODES);
  if (read === null) return { drill: null, unread: null };
  if ("unread" in read) return { drill: null, unread: read.unread };
  const { by, value } = read;
  if (by === "code") return { drill: { kind: "code", by, value }, unread: null };
  if ((PUPIL_DIMENSIONS as readonly string[]).includes(by)) return { drill: { kind: "pupil", by: by as PupilDimension, value }, unread: null };
  return { drill: { kind: "session", by: by as SessionDimension, value }, unread: null };
}

/**
 * What the list's PA and SA flags measure, for the page's tags and words and the CSV's Flag
 * column: `slice` null when they are persistent and severe absence; else the sessions they
 * count ("Fridays", "3 school days in all") and `note`, why that is not the measure. The DfE
 * measures PA on all of a pupil's possible sessions over a term or a year: not over some
 * weekdays or sessions picked across the period, nor over fewer than 20 school days
 * (analytics/pa-span.ts, the one rule: the list flagged "PA" a pupil missing one session of a
 * one-day "this week", while the Overview refused PA over it).
 */
async function flagWords(connection: Connection, view: View, drill: Drill | null, sliceWords: string): Promise<PupilFlags> {
  if (drill?.kind === "session" && PARTIAL_SLICES.includes(drill.by)) {
    return {
      slice: sliceWords,
      note: "persistent absence is measured on all of a pupil's sessions",
      hint: `Figures on these sessions only (${sliceWords}): sessions, attendance and the flags (10%+, 50%+) count them alone.`,
    };
  }
  // A drill to a month, half term or term is the period's days in it; otherwise the period's.
  const sliceDays = drill?.kind === "session" ? await sliceSchoolDays(connection, drill.by, drill.value, view.period.from, view.period.to) : null;
  const schoolDays = sliceDays ?? (await persistentAbsenceSpan(connection, view.period)).schoolDays;
  if (schoolDays === 0 || persistentAbsenceMeasured(schoolDays)) return { slice: null, note: null, hint: null };
  const days = `${schoolDays} school day${schoolDays === 1 ? "" : "s"}`;
  return {
    slice: `${days} in all`,
    note: `persistent absence is measured over ${PA_MIN_SCHOOL_DAYS} school days or more`,
    hint: `The flags (10%+, 50%+) are the share of these ${days} a pupil missed, not persistent or severe absence, which are measured over ${PA_MIN_SCHOOL_DAYS} school days or more.`,
  };
}

/** What the list's flags measure: see flagWords. All null for persistent and severe absence. */
export interface PupilFlags {
  slice: string | null;
  note: string | null;
  /** The sentence under the list saying what its figures and flags count. */
  hint: string | null;
}

/** Sessions picked across a period (a weekday, mornings, a day, a week): a pupil's share of them missed is no persistent absence. */
const PARTIAL_SLICES: SessionDimension[] = ["weekday", "session", "date", "week"];

/** A session-level slice in words: "Fridays", "week beginning 5 Oct 2026", "October 2026". */
function describeSlice(by: SessionDimension, value: string): string {
  switch (by) {
    case "weekday":
      return `${value}s`;
    case "session":
      return value === "AM" ? "morning sessions" : value === "PM" ? "afternoon sessions" : value;
    case "date":
      return /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatDate(value, "EEEE d MMM yyyy") : value;
    case "week":
      return /^\d{4}-\d{2}-\d{2}$/.test(value) ? `week beginning ${formatDate(value)}` : value;
    case "month":
      return /^\d{4}-\d{2}$/.test(value) ? formatDate(`${value}-01`, "MMMM yyyy") : value;
    case "half_term":
    case "term":
      return formatTermKey(value);
    case "academic_year":
      return `academic year ${value}`;
  }
}

/**
 * Why a drill-down's slice has no school day in the period, in words: a day or week of the
 * period that is none (a weekend, "INSET day", "a school holiday": analytics/no-school-day.ts),
 * or a slice outside the period ("no school day of October 2027 is in 2026/27 to date (…)").
 */
async function noSchoolDayWords(connection: Connection, by: SessionDimension, value: string, period: View["period"]): Promise<string> {
  const sliceWords = describeSlice(by, value);
  const outside = `no school day of ${sliceWords} is in ${period.label} (${formatDate(period.from)} to ${formatDate(period.to)})`;
  if (by !== "date" && by !== "week") return outside;
  const last = by === "date" ? value : addDays(value, 6);
  const from = value > period.from ? value : period.from;
  const to = last < period.to ? last : period.to;
  if (from > to) return outside;
  const reasons = (await noSchoolDayReasons(connection, from, to)).join(", ");
  if (by === "date") return `${sliceWords} is not a school day (${reasons})`;
  const clipped = from !== value || to !== last;
  return `${sliceWords} has no school day${clipped ? ` in ${period.label}` : ""} (${reasons})`;
}

export interface PupilListRequest {
  view: View;
  /** The list's own values the address gave that it could not read (attendance, trend, drill), each named with what was expected. */
  unread: UnreadValue[];
  drill: { kind: Drill["kind"]; words: string } | null;
  /** What the PA and SA flags measure (flagWords): the page's tags and the CSV's Flag column. */
  flags: PupilFlags;
  /** The trend's windows, or null when the list has no trend (a drill-down to one day's or one week's sessions). */
  trendWindows: SchoolWeekWindows | null;
  /** What the trend compares, in words for the page (the drilled sessions only, or why there is none). */
  trendNote: string;
  /** The list's own filters as read (echoed into the form). */
  q: string;
  attendance: string;
  fallingOnly: boolean;
  list: PupilList;
  /** Said beside the list when the URL asked for a sort it does not have (unsortableNote). */
  sortNotice: string | null;
  /** The view's notice (resolveView) with any drill-down or list filter it could not read named after it, or null. */
  notice: string | null;
  /**
   * What the list applied beyond the period, as [name, value] for the CSV's file name
   * (analytics/download-names.ts): the pupil filters read, the drill-down, the name search,
   * the attendance band, falling only, and the order when not the usual one — never a value
   * of the address that was not used.
   */
  applied: Array<[string, string]>;
}

/**
 * Reads the request and answers it: one page of the list (`pageSize` rows), or the whole
 * filtered list in the page's order when `pageSize` is null (the CSV).
 */
export async function loadPupilList(connection: Connection, request: Request, pageSize?: number | null): Promise<PupilListRequest> {
  const search = new URL(request.url).searchParams;
  const view = await resolveView(connection, request, { reads: ["drill", "q", "attendance", "trend", "sort", "dir", "page"] });
  const { drill, unread: drillUnread } = readDrill(search);
  const query: MeasureQuery = { ...view.query, filter: { ...view.query.filter } };
  if (drill?.kind === "pupil") query.filter = { ...query.filter, [drill.by]: drill.value };
  if (drill?.kind === "session") query.slice = { by: drill.by, value: drill.value };
  if (drill?.kind === "code") query.withCode = drill.value;
  const q = (search.get("q") ?? "").trim().slice(0, 100);
  const band = parseAttendanceBand(search.get("attendance") ?? "", view.settings.attendance_thresholds);
  // A drill-down to some sessions across the period (Fridays, mornings): the trend compares
  // those sessions only, as the figures and flags count them; one day's or one week's
  // sessions have no trend (four weeks against four weeks cannot be had from them).
  const sliceBy = drill?.kind === "session" ? drill.by : null;
  const noTrend = sliceBy === "date" || sliceBy === "week";
  const trendSlice = drill?.kind === "session" && (drill.by === "weekday" || drill.by === "session") ? { by: drill.by, value: drill.value } : undefined;
  const fallingAsked = search.get("trend") === "down";
  const fallingOnly = fallingAsked && !noTrend;
  // Four school weeks against the four before: a holiday week is not one of them.
  const windows = noTrend ? null : await schoolWeekWindows(connection, view.period.to, TREND_SCHOOL_WEEKS);
  const sliceWords = drill?.kind === "session" ? describeSlice(drill.by, drill.value) : "";
  const trendNote = windows
    ? `Trend: attendance${trendSlice ? ` on ${sliceWords}` : ""} from ${formatDate(windows.recent.from)} to ${formatDate(windows.recent.to)} against the four school weeks before (${formatDate(windows.earlier.from)} to ${formatDate(windows.earlier.to)}); “steady” means within 1 point; a pupil with fewer than half of either span's school sessions marked (of those they were on roll for) has no trend (“Too few marks to judge”), nor one not on roll in a span (“Left …” or “Joined …”).`
    : `Trend: none — the figures are ${sliceWords}'s sessions only, and a trend compares four school weeks with the four before.`;
  const paging = readPaging(search, PUPIL_SORT_COLUMNS, DEFAULT_PUPIL_SORT);
  const list = await pupilList(connection, query, {
    trend: windows,
    trendSlice,
    attendance: band?.band,
    fallingOnly,
    search: q,
    paging,
    pageSize,
    due: view.due,
  });
  // The list's own filters it could not read are named too (app/lib/filters.ts unreadWords).
  const unread: UnreadValue[] = drillUnread ? [drillUnread] : [];
  const rawAttendance = search.get("attendance")?.trim() ?? "";
  if (rawAttendance && !band) {
    const choices = ["pa", "sa", ...view.settings.attendance_thresholds.map((t) => `under-${t}`)];
    unread.push({ name: "attendance", value: rawAttendance, expected: `one of ${choices.join(", ")}` });
  }
  const rawTrend = search.get("trend")?.trim() ?? "";
  if (rawTrend && rawTrend !== "down") unread.push({ name: "trend", value: rawTrend, expected: "down (falling only), or nothing" });
  if (fallingAsked && noTrend) unread.push({ name: "trend", value: rawTrend, expected: `nothing here: ${sliceWords}'s sessions have no trend` });
  const unreadNotice = unread.length > 0 ? `Not understood in the address: ${unreadWords(unread)}. Showing the pupils without ${unread.length > 1 ? "them" : "it"}.` : null;
  // A drill-down that reads but names nothing the school has (drill=year_group:99, a month of
  // another year): applied, so the list is empty, and said (never an empty list without a reason).
  let emptyDrill: string | null = null;
  if (drill?.kind === "pupil") {
    emptyDrill = unknownFilterWords({ [drill.by]: drill.value }, await filterOptions(connection), "so no pupil is listed");
  } else if (drill?.kind === "session" && (await sliceSchoolDays(connection, drill.by, drill.value, view.period.from, view.period.to)) === 0) {
    // The list holds the pupils on roll on the slice's school days (none) or with counted
    // sessions in it (marks on a day the calendar does not have): said as it is.
    const listed = list.total === 0 ? "so no pupil is listed" : `so the pupils listed are those with marks on it`;
    emptyDrill = `drill "${drill.by}:${drill.value}": ${await noSchoolDayWords(connection, drill.by, drill.value, view.period)}, ${listed}.`;
  }
  if (emptyDrill) emptyDrill = `${emptyDrill.charAt(0).toUpperCase()}${emptyDrill.slice(1)}`;
  return {
    // The list's own values it could not read: the CSV of this address is refused for them
    // (listCsvRefusal), never a file of the whole list beside a page that says it is not filtered.
    unread,
    flags: await flagWords(connection, view, drill, sliceWords),
    view,
    notice: [view.notice, unreadNotice, emptyDrill, pagingWords(search, list)].filter(Boolean).join(" ") || null,
    sortNotice: unsortableNote(search.get("sort"), PUPIL_SORT_COLUMNS),
    drill: drill
      ? {
          kind: drill.kind,
          words:
            drill.kind === "pupil"
              ? `${FILTER_LABELS[drill.by as PupilFilterKey]}: ${describeFilterValue(drill.by as PupilFilterKey, drill.value)}`
              : drill.kind === "code"
                ? `with code ${drill.value} (${describeCode(drill.value)?.meaning ?? "unknown"})`
                : describeSlice(drill.by, drill.value),
        }
      : null,
    trendWindows: windows,
    trendNote,
    q,
    attendance: band?.value ?? "",
    fallingOnly,
    list,
    applied: [
      ...PUPIL_FILTER_KEYS.flatMap((key): Array<[string, string]> => (query.filter?.[key] ? [[key, query.filter[key] as string]] : [])),
      ...(drill && drill.kind !== "pupil" ? [["drill", `${drill.by}:${drill.value}`] as [string, string]] : []),
      ...(q ? [["q", q] as [string, string]] : []),
      ...(band ? [["attendance", band.value] as [string, string]] : []),
      ...(fallingOnly ? [["trend", "down"] as [string, string]] : []),
      ...appliedOrder(paging, PUPIL_SORT_COLUMNS, DEFAULT_PUPIL_SORT),
    ],
  };
}
