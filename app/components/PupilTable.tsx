/**
 * The pupil list: one page of the list the server filtered, sorted and paged
 * (analytics/pupil-list.ts). The controls are a GET form and plain links (sort by a column,
 * previous and next page) that keep the view's filters, so they work without JavaScript and
 * every list can be bookmarked. The CSV link downloads the whole filtered list in the same
 * order, from the same analytics function. Flags and trends are words in tags, never colour
 * alone.
 */
import { pupilListName } from "../../analytics/pupil-name.ts";
import { plural } from "../../analytics/plural.ts";
import { Form, Link } from "@remix-run/react";
import type { PupilListRow } from "../../analytics/pupil-list.ts";
import type { PupilFlags } from "~/lib/pupil-list.server";
import { PUPIL_SORT_COLUMNS, trendJudged, trendNotJudgedWords, trendOffRollWords, trendWord, type PupilSort, type TrendMarkedSessions, type TrendRoll } from "../../analytics/pupil-list-columns.ts";
import { firstOfEach, pageSpan } from "../../analytics/list-paging.ts";
import { PUPIL_JUDGED_MIN_SESSIONS, notYetJudged, notYetJudgedWords, pupilJudged } from "../../analytics/judged-span.ts";
import { SESSION_RUNS_LABEL, SESSION_RUNS_WORDS } from "../../analytics/absence-run-words.ts";
import { ListPager, SortHeader, type PagingState } from "~/components/ListPager";
import { attendanceFilterOptions, describeAttendanceFilter } from "~/lib/pupil-filters";
import { formatCount, formatCountOf, formatPct, formatPctBesideLines, formatPoints } from "~/lib/format";

/**
 * PA and SA flags. With `slice` (a drill-down to some sessions: "Mondays", "mornings") the
 * figures are the pupil's on those sessions only, and missing 10 % of one's Mondays is not
 * persistent absence (the DfE measures it on all of a pupil's possible sessions), so the tags
 * say what was measured instead of naming the measure.
 */
function Flags(props: { row: PupilListRow; slice: string | null }) {
  const { row, slice } = props;
  const flag = <DfeFlag row={row} slice={slice} />;
  // The list's PA and SA are the DfE's (every pupil with a session counts), so they add up to
  // the Overview's; a pupil with too few sessions of their own reads "Not yet judged: 6 of 40
  // sessions" on their page and in the CSV (analytics/judged-span.ts), and the list says both.
  if (slice || pupilJudged(row.possible_sessions)) return flag;
  // Unflagged too: a pupil at 100 % over 18 sessions is no more judged than one at 80 % (trial21b).
  return (
    <>
      {row.is_pa || row.is_sa ? <>{flag} </> : null}
      {/* The count in the text, not only on hover: the CSV's and the pupil page's words (trial22). */}
      <span className="tag tag--grey tag--words" title={`Counted in the school's figure, as the DfE counts every pupil; not yet judged on their page or in casework: ${notYetJudgedWords(row.possible_sessions, "in this period")}`}>
        {notYetJudged(row.possible_sessions, true)}
      </span>
    </>
  );
}

function DfeFlag(props: { row: PupilListRow; slice: string | null }) {
  const { row, slice } = props;
  // Short tags keep the table readable; the full words are read out and shown on hover.
  if (row.is_sa)
    return (
      <span className="tag tag--red" title={slice ? `Missed half or more of these sessions (${slice}); severe absence is measured on all of a pupil's sessions` : "Severe absence: missed half or more of their possible sessions"}>
        {slice ? "50%+" : "SA"}<span className="visually-hidden">{slice ? " missed half or more of these sessions" : " severe absence"}</span>
      </span>
    );
  if (row.is_pa)
    return (
      <span className="tag tag--orange" title={slice ? `Missed 10% or more of these sessions (${slice}); persistent absence is measured on all of a pupil's sessions` : "Persistent absence: missed 10% or more of their possible sessions"}>
        {slice ? "10%+" : "PA"}<span className="visually-hidden">{slice ? " missed 10% or more of these sessions" : " persistent absence"}</span>
      </span>
    );
  return null;
}

export function Trend(props: { points: number | null; marked: TrendMarkedSessions | null; roll: TrendRoll }) {
  const word = trendWord(props.points);
  // Too few marked sessions in a window (marks stop, part-marked weeks): said, never a trend from them.
  if (props.marked && !trendJudged(props.marked)) {
    // Off roll for a whole window (left or joined): said as it is, not as marks missing.
    const offRoll = trendOffRollWords(props.marked, props.roll);
    if (offRoll)
      return (
        <span className="hint trend-words" data-testid="trend-off-roll">
          {offRoll}
        </span>
      );
    return (
      <span className="hint trend-words" data-testid="trend-too-few" title={trendNotJudgedWords(props.marked, props.roll, true)}>
        Too few marks to judge
      </span>
    );
  }
  if (word === null) return <span className="hint">—</span>;
  if (word === "steady") return <span className="same">Steady</span>;
  return (
    <span className={word === "down" ? "worse" : "better"}>
      {word === "down" ? "▼ Down" : "▲ Up"} {formatPoints(Math.abs(props.points ?? 0)).replace("+", "")}
    </span>
  );
}

const yesNo = (value: string, word: string) => (value === "Y" ? word : "—");

/** The table's columns: heading, sort column (PUPIL_SORT_COLUMNS) and cell. */
const COLUMNS: Array<{ sort: PupilSort; header: string; numeric?: boolean; cell: (row: PupilListRow, pupilSearch: string, slice: string | null, lines: readonly number[]) => JSX.Element | string | number }> = [
  {
    sort: "name",
    header: "Pupil",
    cell: (row, pupilSearch) => (
      <Link to={`/pupils/${encodeURIComponent(row.upn)}?${pupilSearch}`} data-testid="pupil-link">
        {pupilListName(row)}
      </Link>
    ),
  },
  { sort: "upn", header: "UPN", cell: (row) => <span className="pupil-table__upn">{row.upn}</span> },
  { sort: "year_group", header: "Year", cell: (row) => row.year_group },
  { sort: "reg_group", header: "Class", cell: (row) => row.reg_group },
  { sort: "sen", header: "SEN", cell: (row) => (row.sen === "N" ? "—" : row.sen) },
  { sort: "fsm", header: "FSM", cell: (row) => yesNo(row.fsm, "FSM") },
  { sort: "eal", header: "EAL", cell: (row) => yesNo(row.eal, "EAL") },
  { sort: "lac", header: "LAC", cell: (row) => yesNo(row.lac, "LAC") },
  { sort: "possible_sessions", header: "Sessions", numeric: true, cell: (row) => formatCount(row.possible_sessions) },
  {
    sort: "attendance_pct",
    header: "Attendance",
    numeric: true,
    // Of marked sessions only: the pupil's unmarked school days said beside the rate (analytics/unmarked-days.ts).
    // Under one of the school's lines, never printed as on it (formatPctBesideLines: 95.97%, not 96.0%).
    cell: (row, _search, _slice, lines) =>
      row.unmarked_days > 0 ? (
        <>
          {formatPctBesideLines(row.attendance_pct, lines)}
          <br />
          <span className="hint" data-testid="pupil-unmarked-days">
            {formatCountOf(row.unmarked_days, "school day")} unmarked
          </span>
        </>
      ) : (
        formatPctBesideLines(row.attendance_pct, lines)
      ),
  },
  { sort: "authorised_pct", header: "Authorised absence", numeric: true, cell: (row) => formatPct(row.authorised_pct) },
  { sort: "unauthorised_pct", header: "Unauthorised absence", numeric: true, cell: (row) => formatPct(row.unauthorised_pct) },
  { sort: "absence_spells", header: SESSION_RUNS_LABEL, numeric: true, cell: (row) => row.absence_spells },
  { sort: "late_sessions", header: "Late sessions", numeric: true, cell: (row) => row.late_sessions },
  { sort: "flag", header: "Flag", cell: (row, _search, slice) => <Flags row={row} slice={slice} /> },
  { sort: "trend_pts", header: "Trend", cell: (row) => <Trend points={row.trend_pts} marked={row.trend_marked} roll={row} /> },
];

export interface PupilTableProps {
  rows: PupilListRow[];
  paging: PagingState;
  /** Persistently absent pupils in the whole filtered list. */
  pa: number;
  thresholds: number[];
  /** The page's own search string (filters, sort, page), which links keep. */
  search: string;
  /** Why the CSV of this address would be refused (address-filters.server.ts csvRefusalNote), or null: the link then opens the refusal as a page (no `download`), never a failed download. */
  csvRefusal?: string | null;
  /** The view's filters, carried to each pupil's page. */
  pupilSearch: string;
  /** The view's parameters the list's form must keep (period, pupil filters, drill-down). */
  keep: Array<[string, string]>;
  q: string;
  attendance: string;
  fallingOnly: boolean;
  trendNote: string;
  /**
   * What the flags count when they are not persistent and severe absence (all null when they
   * are): `slice`, a drill-down to some sessions ("Mondays") or a period under 20 school days
   * ("3 school days in all"); `note`, why they are not the measures; `hint`, the sentence under
   * the list (app/lib/pupil-list.server.ts flagWords).
   */
  flags: PupilFlags;
}

/**
 * The list's CSV link and what the file holds: every pupil of the filtered list (any page), or,
 * when the filters match no pupil, the columns alone — a true answer for filters the school
 * has. `refusal`: why the file of this address would be refused (a filter value the school does
 * not have, a range the register does not reach …), said beside the link, which opens the
 * refusal as a page (no `download`), never a failed download.
 */
export function PupilsCsvLink(props: { search: string; total: number; refusal?: string | null }): JSX.Element {
  // Each parameter once, as the page read it: the file is the list shown (firstOfEach).
  const csvSearch = firstOfEach(props.search);
  csvSearch.delete("page");
  return (
    <>
      <a className="button button--secondary" href={`/pupils.csv?${csvSearch.toString()}`} download={props.refusal ? undefined : true} data-testid="pupils-csv">
        Download CSV
      </a>
      <span className="hint" data-testid="pupils-csv-note">
        {" "}
        {props.refusal
          ? props.refusal
          : props.total === 0
            ? "CSV has no pupils: the columns only"
            : `CSV has all ${formatCount(props.total)} ${plural(props.total, "pupil")}`}
      </span>
    </>
  );
}

export function PupilTable(props: PupilTableProps): JSX.Element {
  const { rows, paging, thresholds, search, pupilSearch } = props;
  const { slice, note: sliceNote, hint: sliceHint } = props.flags;
  const { first, last } = pageSpan(paging);
  return (
    <section aria-labelledby="pupil-list-heading">
      <h2 id="pupil-list-heading" className="visually-hidden">
        Pupil list
      </h2>
      {/* Keyed by the address: its fields are uncontrolled, so following a link re-reads them. */}
      <Form method="get" className="filters pupil-table__controls no-print" data-testid="pupil-list-filters" key={search}>
        {props.keep.map(([key, value]) => (
          <input key={key} type="hidden" name={key} value={value} />
        ))}
        {paging.sort !== "name" || paging.dir !== "asc" ? (
          <>
            <input type="hidden" name="sort" value={paging.sort} />
            <input type="hidden" name="dir" value={paging.dir} />
          </>
        ) : null}
        <div className="field">
          <label htmlFor="pupil-search">Name or UPN</label>
          <input id="pupil-search" name="q" type="search" defaultValue={props.q} />
        </div>
        <div className="field">
          <label htmlFor="pupil-below">Attendance</label>
          <select id="pupil-below" name="attendance" defaultValue={props.attendance}>
            {attendanceFilterOptions(thresholds, slice).map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field pupil-table__check">
          <input id="pupil-falling" name="trend" value="down" type="checkbox" defaultChecked={props.fallingOnly} />
          <label htmlFor="pupil-falling">Only pupils whose attendance is falling</label>
        </div>
        <div className="field">
          <button type="submit" className="button button--secondary" data-testid="pupil-list-show">
            Show
          </button>
        </div>
        <div className="field">
          <PupilsCsvLink search={search} total={paging.total} refusal={props.csvRefusal} />
        </div>
      </Form>
      <p aria-live="polite" data-testid="pupils-count" data-total={paging.total}>
        {paging.total === 0 ? (
          <>No pupils</>
        ) : (
          <>
            Showing <strong>{formatCount(first)}–{formatCount(last)}</strong> of {formatCount(paging.total)} {plural(paging.total, "pupil")}
          </>
        )}
        {props.attendance ? `: ${describeAttendanceFilter(props.attendance, thresholds, slice)}` : ""}
        {props.fallingOnly ? " whose attendance is falling" : ""}
        {props.q ? ` matching “${props.q}”` : ""}
        {/* Filtered to the persistently absent already, the list's count says it: the count of them would repeat the words. */}
        {props.attendance === "pa" ? null : (
          <>
            ; <span data-testid="pupils-pa">{formatCount(props.pa)}</span>{" "}
            {slice ? `missed 10% or more of these sessions (${slice})` : "persistently absent"}
          </>
        )}
        {slice && sliceNote ? `; ${sliceNote}` : ""}.
      </p>
      <ListPager search={search} paging={paging} noun="pupil list" testId="pupils-pager" />
      <div className="pupil-table__scroll">
        <table className="data pupil-table" data-testid="pupil-table">
          <caption className="visually-hidden">Pupils, with their attendance in the period. Select a column heading to sort.</caption>
          <thead>
            <tr>
              {COLUMNS.map((column) => (
                <SortHeader key={column.sort} search={search} paging={paging} column={column.sort} defaultDir={PUPIL_SORT_COLUMNS[column.sort].defaultDir} numeric={column.numeric}>
                  {column.header}
                </SortHeader>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.upn} data-upn={row.upn}>
                {COLUMNS.map((column) => (
                  <td key={column.sort} className={column.numeric ? "num" : undefined}>
                    {column.cell(row, pupilSearch, slice, thresholds)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {paging.total === 0 ? <p className="notice">No pupils match. Clear the name or attendance filter.</p> : null}
      <ListPager search={search} paging={paging} noun="pupil list" testId="pupils-pager-bottom" />
      <p className="hint">
        {sliceHint ? `${sliceHint} ` : ""}
        Sessions: possible sessions in the period. PA: persistent absence (missed 10% or more of their own possible sessions); SA: severe
        absence (50% or more), counted for every pupil as the DfE counts them; "not yet judged": fewer than {PUPIL_JUDGED_MIN_SESSIONS} possible
        sessions of their own, so their page and casework do not judge them yet. {SESSION_RUNS_WORDS}. {props.trendNote}
      </p>
    </section>
  );
}
