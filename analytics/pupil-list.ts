/**
 * The Pupils list (issue 11, item 5): every pupil in a view with their measures, PA/SA flags
 * and attendance trend, filtered, sorted and cut into pages in SQL, so a page of a school of
 * thousands sends fifty rows, not thousands. One query: the pupils' figures for the period
 * (`pupilRowsSql`, the measures' own per-pupil counts: the aggregates, or the marks for a
 * slice), their trend from the day aggregate (`mark_days`) in the same statement, the
 * filters, the whole list's count and PA count, and the one page asked for. The CSV of the
 * list calls the same function without a page size.
 */
import { REGIME_2024_FROM, codeMaskParams, inCodeMask } from "./codes.ts";
import type { Connection, Row, SqlParams } from "./db.ts";
import { cachedRows } from "./db.ts";
import { PAGE_SIZE, pageCount, type Page, type Paging } from "./list-paging.ts";
import { pupilRowsSql, toPupilMeasures, type MeasureQuery, type PupilMeasures } from "./measures.ts";
import { DEFAULT_PUPIL_SORT, PUPIL_SORT_COLUMNS, STEADY_POINTS, TREND_MIN_MARKED_SHARE, type PupilSort, type TrendMarkedSessions } from "./pupil-list-columns.ts";
import { unmarkedDaysCte } from "./unmarked-days.ts";
import { dueParams, dueThrough, type DueSession } from "./register-due.ts";

/** The list's attendance filter: persistent or severe absence (DfE flags), or attendance under a threshold (< pct). */
export type AttendanceBand = { kind: "pa" } | { kind: "sa" } | { kind: "under"; pct: number };

export interface PupilListRow extends PupilMeasures {
  /**
   * Attendance in the recent window minus the earlier one, points; null without a trend (no
   * windows) or when the pupil has too few marked sessions in either window (`trend_marked`,
   * trendJudged in analytics/pupil-list-columns.ts).
   */
  trend_pts: number | null;
  /**
   * The pupil's possible (marked, counted) sessions in each trend window beside the window's
   * school sessions (school days × 2, or × 1 drilled to AM or PM; drilled to a weekday, that
   * weekday's only); null when the list has no trend (one day's or one week's sessions).
   */
  trend_marked: TrendMarkedSessions | null;
  /**
   * The pupil's unmarked school days in the period (analytics/unmarked-days.ts: on roll, a
   * school day up to the register's last marked day, fewer than 2 sessions marked; the pupil
   * page counts the same), whatever session or weekday the list is drilled to: the list's
   * figures are of marked sessions only, so a pupil unmarked all November read "100.0 %"
   * beside classmates with 42 more sessions and nothing said (a fresh-clone trial).
   */
  unmarked_days: number;
}

export interface PupilListOptions {
  /**
   * The two windows the trend compares: attendance in `recent` minus attendance in `earlier`;
   * null for no trend (a drill-down to one day's or one week's sessions has none: trend_pts null).
   */
  trend: { recent: { from: string; to: string }; earlier: { from: string; to: string } } | null;
  /**
   * A drill-down to some sessions across the period — a weekday ("Friday") or a session ("AM"):
   * the trend compares those sessions only in its two windows (Fridays in the last four weeks
   * against Fridays in the four before), as the list's figures and flags count them alone.
   */
  trendSlice?: { by: "weekday" | "session"; value: string };
  attendance?: AttendanceBand;
  /** Only pupils whose trend is down (at least STEADY_POINTS below). */
  fallingOnly?: boolean;
  /** Words that must each appear in the pupil's name ("Smith, Amy" or "Amy Smith") or UPN, any case. */
  search?: string;
  /** Sort, direction and page; default: by name, page 1. */
  paging?: Partial<Paging<PupilSort>>;
  /** Rows per page (default PAGE_SIZE); null for the whole list in order (the CSV). */
  pageSize?: number | null;
  /**
   * The last session whose register has closed (the page's: analytics/register-due.ts
   * lastDueSession), by which a session can be unmarked; default dueThrough(query.to), every
   * session of the period's days (a count of whole days).
   */
  due?: DueSession;
}

export interface PupilList extends Page<PupilListRow> {
  /** Pupils in the whole filtered list flagged persistently absent. */
  pa: number;
  /** Whether any pupil of the filtered list has a possible session (false: marks missing for the period). */
  anyPossible: boolean;
  sort: PupilSort;
  dir: "asc" | "desc";
}

/** How many school weeks a pupil's trend compares with as many before (analytics/register-windows.ts schoolWeekWindows). */
export const TREND_SCHOOL_WEEKS = 4;

/**
 * Whether pupil `r` was off roll some day of the trend's two windows (joined after the earlier
 * window began, or left before the recent one ended): only such pupils' on-roll sessions are
 * counted day by day; every other pupil was on roll for all the school's.
 */
const PART_ON_ROLL = "(r.admission_date > $earlier_from::DATE OR r.leaving_date < $recent_to::DATE)";

/**
 * The pupil's school sessions on roll in a trend window (`r` pupil_rows, `ts` trend_school):
 * the window's school days from admission to leaving date, inclusive, × the sessions a day
 * (ts.per_day), counted in the window's list of days (no join: a list of 20 days, for the
 * pupils off roll some day only).
 */
const onRoll = (window: "recent" | "earlier") =>
  `CASE WHEN ${PART_ON_ROLL}
        THEN ts.per_day * len(list_filter(ts.${window}_days, d -> d >= r.admission_date AND (r.leaving_date IS NULL OR d <= r.leaving_date)))
        ELSE ts.${window}_school END`;
const ON_ROLL = { recent: onRoll("recent"), earlier: onRoll("earlier") };

/**
 * Figures computed once per pupil in `listed`, over `pupil_rows r`, the trend `t` and the
 * windows' sessions (`ts`). A trend needs half of the sessions the pupil was on roll in each
 * window marked (TREND_MIN_MARKED_SHARE): a pupil who left or joined is judged on their own
 * sessions, and one on roll for none of a window's has no trend (trendJudged says why).
 */
const FIGURES = `
      CASE WHEN r.possible > 0 THEN 100 * (r.present + r.aea)::DOUBLE / r.possible END AS attendance_pct,
      CASE WHEN r.possible > 0 THEN 100 * r.authorised::DOUBLE / r.possible END AS authorised_pct,
      CASE WHEN r.possible > 0 THEN 100 * r.unauthorised::DOUBLE / r.possible END AS unauthorised_pct,
      r.possible > 0 AND 10 * (r.authorised + r.unauthorised) >= r.possible AS is_pa,
      r.possible > 0 AND 2 * (r.authorised + r.unauthorised) >= r.possible AS is_sa,
      CASE WHEN coalesce(t.recent_possible, 0) > 0 AND $trend_min_share::DOUBLE * (${ON_ROLL.recent}) <= t.recent_possible
            AND coalesce(t.earlier_possible, 0) > 0 AND $trend_min_share::DOUBLE * (${ON_ROLL.earlier}) <= t.earlier_possible
           THEN 100 * t.recent_attended::DOUBLE / t.recent_possible - 100 * t.earlier_attended::DOUBLE / t.earlier_possible END AS trend_pts`;

/**
 * CTE `trend_school (recent_school, earlier_school, per_day, recent_days, earlier_days)`: the
 * school sessions in each trend window (school days, or with no calendar the days with a mark,
 * × per_day: 2 sessions, or 1 drilled to AM or PM; drilled to a weekday, that weekday's days
 * only), and each window's days as a list (ON_ROLL counts a pupil's on-roll days in them).
 */
function trendSchoolCte(slice: PupilListOptions["trendSlice"]): string {
  const inWindows = "(date BETWEEN $recent_from::DATE AND $recent_to::DATE OR date BETWEEN $earlier_from::DATE AND $earlier_to::DATE)";
  const perDay = slice?.by === "session" ? 1 : 2;
  const weekday = slice?.by === "weekday" ? "AND dayname(date) = $trend_slice" : "";
  const inWindow = (window: "recent" | "earlier") => `date BETWEEN $${window}_from::DATE AND $${window}_to::DATE`;
  return `trend_school AS (
       SELECT (${perDay} * count(*) FILTER (WHERE ${inWindow("recent")}))::INTEGER AS recent_school,
              (${perDay} * count(*) FILTER (WHERE ${inWindow("earlier")}))::INTEGER AS earlier_school,
              ${perDay} AS per_day,
              coalesce(list(date) FILTER (WHERE ${inWindow("recent")}), []::DATE[]) AS recent_days,
              coalesce(list(date) FILTER (WHERE ${inWindow("earlier")}), []::DATE[]) AS earlier_days
       FROM (SELECT date FROM school_days WHERE ${inWindows}
             UNION
             SELECT DISTINCT date FROM mark_days WHERE NOT EXISTS (SELECT 1 FROM school_days) AND ${inWindows})
       WHERE true ${weekday})`;
}

/** The two trend windows' attendance from the day aggregate, for the pupils in scope. */
const DAY_TREND_SQL = `
       SELECT d.pupil_id,
              sum(d.possible) FILTER (WHERE d.date BETWEEN $recent_from::DATE AND $recent_to::DATE) AS recent_possible,
              sum(d.present + d.aea) FILTER (WHERE d.date BETWEEN $recent_from::DATE AND $recent_to::DATE) AS recent_attended,
              sum(d.possible) FILTER (WHERE d.date BETWEEN $earlier_from::DATE AND $earlier_to::DATE) AS earlier_possible,
              sum(d.present + d.aea) FILTER (WHERE d.date BETWEEN $earlier_from::DATE AND $earlier_to::DATE) AS earlier_attended
       FROM mark_days d
       WHERE d.pupil_id IN (SELECT pupil_id FROM scope)
         AND (d.date BETWEEN $recent_from::DATE AND $recent_to::DATE OR d.date BETWEEN $earlier_from::DATE AND $earlier_to::DATE)
       GROUP BY d.pupil_id`;

/**
 * The trend windows' attendance on the drilled sessions only (a weekday, or AM or PM), from
 * the marks (the day aggregate has no sessions), each code counted by the regime of its date
 * as the measures count it (analytics/measures.ts scopedMarksSql: possible = every category
 * but not counted; attended = present and AEA), by its bit in each regime's masks (codeMask)
 * rather than a join to code_catalogue on the code as text (the same classification of 1M
 * marks, one DuckDB thread, best of 21 on the shared machine: 46 → 14 ms).
 * Adds its bound parameters to `params`.
 */
function slicedTrendSql(slice: { by: "weekday" | "session"; value: string }, params: SqlParams): string {
  params.trend_slice = slice.value;
  params.trend_regime_from = REGIME_2024_FROM;
  Object.assign(params, codeMaskParams("trend_possible", ["present", "aea", "authorised", "unauthorised"]), codeMaskParams("trend_attended", ["present", "aea"]));
  const sliced = slice.by === "weekday" ? "dayname(m.date)" : "CASE WHEN m.pm THEN 'PM' ELSE 'AM' END";
  // True when the mark's code is in the mask of its date's regime; a code outside that regime
  // counts nowhere, as the join left it out (a pupil with only such marks: zeros, no trend either way).
  const inMask = (name: string) => inCodeMask(name, "m.date", "m.code", "trend_regime_from");
  return `
       SELECT m.pupil_id,
              count(*) FILTER (WHERE m.date BETWEEN $recent_from::DATE AND $recent_to::DATE AND ${inMask("trend_possible")}) AS recent_possible,
              count(*) FILTER (WHERE m.date BETWEEN $recent_from::DATE AND $recent_to::DATE AND ${inMask("trend_attended")}) AS recent_attended,
              count(*) FILTER (WHERE m.date BETWEEN $earlier_from::DATE AND $earlier_to::DATE AND ${inMask("trend_possible")}) AS earlier_possible,
              count(*) FILTER (WHERE m.date BETWEEN $earlier_from::DATE AND $earlier_to::DATE AND ${inMask("trend_attended")}) AS earlier_attended
       FROM mark_store m
       WHERE m.pupil_id IN (SELECT pupil_id FROM scope)
         AND (m.date BETWEEN $recent_from::DATE AND $recent_to::DATE OR m.date BETWEEN $earlier_from::DATE AND $earlier_to::DATE)
         AND ${sliced} = $trend_slice
       GROUP BY m.pupil_id`;
}

/** The SQL of each sort column (the allow-list: a name from a URL is looked up here, never interpolated). */
const SORT_SQL: Record<PupilSort, string> = {
  name: "surname, forename",
  upn: "upn",
  year_group: "try_cast(year_group AS INTEGER), year_group",
  reg_group: "reg_group",
  sen: "CASE sen WHEN 'E' THEN 1 WHEN 'K' THEN 2 ELSE 3 END",
  fsm: "fsm",
  eal: "eal",
  lac: "lac",
  possible_sessions: "possible",
  attendance_pct: "attendance_pct",
  authorised_pct: "authorised_pct",
  unauthorised_pct: "unauthorised_pct",
  absence_spells: "absence_spells",
  late_sessions: "late_sessions",
  flag: "CASE WHEN is_sa THEN 2 WHEN is_pa THEN 1 ELSE 0 END",
  trend_pts: "trend_pts",
};

/** The ORDER BY of a sort: its column(s) that way round, nulls last either way, then surname, forename, UPN. */
function orderBy(sort: PupilSort, dir: "asc" | "desc"): string {
  const keys = SORT_SQL[sort]
    .split(", ")
    .map((key) => `${key} ${dir === "desc" ? "DESC" : "ASC"} NULLS LAST`)
    .join(", ");
  return `${keys}, surname ASC, forename ASC, upn ASC`;
}

/**
 * One page of the Pupils list for a view (`query`: period, pupil filters, slice, code).
 * Rows are `pupilMeasures`' rows (the same figures) plus the trend; `total` and `pa` count
 * the whole filtered list; a page past the end shows the last page. Sort columns come from
 * PUPIL_SORT_COLUMNS (an unknown one falls back to the name order); ties are broken by
 * surname, forename and UPN, so every page is stable. Throws on a bad period, an unknown
 * filter, code or sort column, a threshold that is not a number, or a page size below 1.
 */
export async function pupilList(connection: Connection, query: MeasureQuery, options: PupilListOptions): Promise<PupilList> {
  const sort = options.paging?.sort ?? DEFAULT_PUPIL_SORT;
  if (!Object.prototype.hasOwnProperty.call(SORT_SQL, sort)) throw new Error(`unknown sort column "${String(sort)}"`);
  const dir = options.paging?.dir ?? PUPIL_SORT_COLUMNS[sort].defaultDir;
  if (dir !== "asc" && dir !== "desc") throw new Error(`unknown sort direction "${String(dir)}"`);
  const pageSize = options.pageSize === undefined ? PAGE_SIZE : options.pageSize;
  if (pageSize !== null && !(Number.isInteger(pageSize) && pageSize >= 1)) throw new Error(`the page size must be a whole number from 1 (got ${pageSize})`);
  const requestedPage = Math.max(1, Math.floor(options.paging?.page ?? 1));

  const rowsSql = pupilRowsSql(query);
  // Without a trend (one day's or one week's sessions) the windows are empty: no pupil has one.
  const windows = options.trend ?? { recent: { from: "1900-01-02", to: "1900-01-01" }, earlier: { from: "1900-01-02", to: "1900-01-01" } };
  const params: SqlParams = {
    ...rowsSql.params,
    recent_from: windows.recent.from,
    recent_to: windows.recent.to,
    earlier_from: windows.earlier.from,
    earlier_to: windows.earlier.to,
    trend_min_share: TREND_MIN_MARKED_SHARE,
    ...dueParams(options.due ?? dueThrough(query.to)),
  };
  const trendSql = options.trendSlice ? slicedTrendSql(options.trendSlice, params) : DAY_TREND_SQL;
  const conditions: string[] = [];
  const band = options.attendance;
  if (band?.kind === "pa") conditions.push("is_pa");
  else if (band?.kind === "sa") conditions.push("is_sa");
  else if (band?.kind === "under") {
    if (!Number.isFinite(band.pct)) throw new Error(`the attendance threshold must be a number (got ${band.pct})`);
    params.under_pct = band.pct;
    conditions.push("attendance_pct < $under_pct::DOUBLE");
  }
  if (options.fallingOnly) {
    params.steady = STEADY_POINTS;
    conditions.push("trend_pts <= -$steady::DOUBLE");
  }
  const words = (options.search ?? "").trim().toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);
  words.forEach((word, i) => {
    params[`word_${i}`] = word;
    conditions.push(`contains(haystack, $word_${i})`);
  });
  let pageFilter = "";
  if (pageSize !== null) {
    params.page = requestedPage;
    params.page_size = pageSize;
    // The page asked for, or the last page when it is past the end.
    pageFilter = `QUALIFY rn > (least($page::BIGINT, greatest(1, ceil(count(*) OVER () / $page_size::DOUBLE))::BIGINT) - 1) * $page_size::BIGINT
                    AND rn <= least($page::BIGINT, greatest(1, ceil(count(*) OVER () / $page_size::DOUBLE))::BIGINT) * $page_size::BIGINT`;
  }
  const rows = await cachedRows<Row>(
    connection,
    `WITH ${rowsSql.sql},
     trend AS (${trendSql}),
     ${trendSchoolCte(options.trendSlice)},
     ${unmarkedDaysCte("scope")},
     listed AS (
       SELECT r.*, ${FIGURES}, coalesce(um.unmarked_days, 0)::INTEGER AS unmarked_days,
              coalesce(t.recent_possible, 0)::INTEGER AS trend_recent, coalesce(t.earlier_possible, 0)::INTEGER AS trend_earlier,
              ts.recent_school AS trend_recent_school, ts.earlier_school AS trend_earlier_school,
              (${ON_ROLL.recent})::INTEGER AS trend_recent_on_roll, (${ON_ROLL.earlier})::INTEGER AS trend_earlier_on_roll,
              lower(r.surname || ', ' || r.forename || ' ' || r.forename || ' ' || r.surname || ' ' || r.upn) AS haystack
       FROM pupil_rows r LEFT JOIN trend t USING (pupil_id) LEFT JOIN unmarked um USING (pupil_id) CROSS JOIN trend_school ts),
     filtered AS (SELECT * FROM listed ${conditions.length ? `WHERE ${conditions.join(" AND ")}` : ""})
     SELECT * EXCLUDE (haystack),
            row_number() OVER (ORDER BY ${orderBy(sort, dir)}) AS rn,
            count(*) OVER () AS list_total,
            count(*) FILTER (WHERE is_pa) OVER () AS list_pa,
            max(possible) OVER () AS list_max_possible
     FROM filtered
     ${pageFilter}
     ORDER BY rn`,
    params,
  );
  const total = rows.length ? Number(rows[0].list_total) : 0;
  const pa = rows.length ? Number(rows[0].list_pa) : 0;
  const anyPossible = rows.length ? Number(rows[0].list_max_possible) > 0 : false;
  const pages = pageSize === null ? 1 : pageCount(total, pageSize);
  return {
    rows: rows.map((row) => ({
      ...toPupilMeasures(row),
      trend_pts: row.trend_pts === null ? null : Number(row.trend_pts),
      trend_marked: options.trend
        ? {
            recent: Number(row.trend_recent),
            recent_school: Number(row.trend_recent_school),
            recent_on_roll: Number(row.trend_recent_on_roll),
            earlier: Number(row.trend_earlier),
            earlier_school: Number(row.trend_earlier_school),
            earlier_on_roll: Number(row.trend_earlier_on_roll),
          }
        : null,
      unmarked_days: Number(row.unmarked_days),
    })),
    total,
    pa,
    anyPossible,
    page: pageSize === null ? 1 : Math.min(requestedPage, pages),
    pages,
    pageSize: pageSize ?? total,
    sort,
    dir,
  };
}
