/**
 * The pupil list: sortable, filterable by name or UPN and by the policy's attendance bands,
 * and downloadable as CSV — exactly the rows shown, in the order shown. Flags and trends
 * are words in tags, never colour alone.
 */
import { Link } from "@remix-run/react";
import {
  createColumnHelper,
  flexRender,
  getCoreRowModel,
  getFilteredRowModel,
  getSortedRowModel,
  useReactTable,
  type FilterFn,
  type SortingState,
} from "@tanstack/react-table";
import { useEffect, useMemo, useState } from "react";
import { toCsv } from "~/lib/csv";
import { saveCsvDownload } from "~/lib/export-audit";
import { attendanceFilterOptions, describeAttendanceFilter, matchesAttendanceFilter } from "~/lib/pupil-filters";
import { formatCount, formatPct, formatPoints } from "~/lib/format";

export interface PupilRow {
  upn: string;
  name: string;
  year_group: string;
  reg_group: string;
  sen: string;
  fsm: string;
  eal: string;
  lac: string;
  possible_sessions: number;
  /** The counts the rates are made of, so the CSV gives each rate's numerator and denominator. */
  present_sessions: number;
  aea_sessions: number;
  authorised_sessions: number;
  unauthorised_sessions: number;
  attendance_pct: number | null;
  authorised_pct: number | null;
  unauthorised_pct: number | null;
  absence_spells: number;
  late_sessions: number;
  is_pa: boolean;
  is_sa: boolean;
  /** Attendance in the last four weeks minus the four before, points; null without both. */
  trend_pts: number | null;
}

/** Changes within this many points are "steady": a session or two either way. */
const STEADY_POINTS = 1;

function trendWord(points: number | null): "down" | "up" | "steady" | null {
  if (points === null) return null;
  if (points <= -STEADY_POINTS) return "down";
  if (points >= STEADY_POINTS) return "up";
  return "steady";
}

function Flags(props: { row: PupilRow }) {
  const { row } = props;
  // Short tags keep the table readable; the full words are read out and shown on hover.
  if (row.is_sa)
    return (
      <span className="tag tag--red" title="Severe absence: missed half or more of their possible sessions">
        SA<span className="visually-hidden"> severe absence</span>
      </span>
    );
  if (row.is_pa)
    return (
      <span className="tag tag--orange" title="Persistent absence: missed 10% or more of their possible sessions">
        PA<span className="visually-hidden"> persistent absence</span>
      </span>
    );
  return null;
}

function Trend(props: { points: number | null }) {
  const word = trendWord(props.points);
  if (word === null) return <span className="hint">—</span>;
  if (word === "steady") return <span className="same">Steady</span>;
  return (
    <span className={word === "down" ? "worse" : "better"}>
      {word === "down" ? "▼ Down" : "▲ Up"} {formatPoints(Math.abs(props.points ?? 0)).replace("+", "")}
    </span>
  );
}

const column = createColumnHelper<PupilRow>();

const byNameOrUpn: FilterFn<PupilRow> = (row, _columnId, value: string) => {
  const needle = value.trim().toLowerCase();
  if (!needle) return true;
  // "Smith, Amy" and "Amy Smith" both find the pupil.
  const [surname, forename] = row.original.name.toLowerCase().split(", ");
  const haystack = `${row.original.name.toLowerCase()} ${forename} ${surname} ${row.original.upn.toLowerCase()}`;
  return needle.split(/\s+/).every((part) => haystack.includes(part));
};

/** Sorts nulls (no possible sessions) last whichever way the column is sorted. */
const nullsLast = (a: number | null, b: number | null) => (a === null ? (b === null ? 0 : 1) : b === null ? -1 : a - b);

/** The CSV's columns: rates to one decimal, each beside its numerator and denominator (app/lib/csv.ts). */
const CSV_COLUMNS = [
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
  { key: "absence_spells", label: "Absence spells" },
  { key: "late_sessions", label: "Late sessions" },
  { key: "flag", label: "Flag" },
  { key: "trend_pts", label: "Trend (points)", format: "points" },
];

function downloadCsv(filename: string, rows: PupilRow[]) {
  const records = rows.map(({ is_pa, is_sa, ...values }) => ({
    ...values,
    flag: is_sa ? "Severe absence" : is_pa ? "Persistent absence" : "",
  }));
  saveCsvDownload(filename, toCsv(records, CSV_COLUMNS), records.length);
}

/** Keeps the list's own controls in the URL (without a reload) so a filtered list can be shared. */
function rememberInUrl(key: string, value: string) {
  const url = new URL(window.location.href);
  if (value) url.searchParams.set(key, value);
  else url.searchParams.delete(key);
  window.history.replaceState(window.history.state, "", url);
}

export function PupilTable(props: { rows: PupilRow[]; thresholds: number[]; pupilSearch: string; filename: string; trendNote: string }): JSX.Element {
  const { rows, thresholds, pupilSearch } = props;
  const [text, setText] = useState("");
  const [below, setBelow] = useState("");
  const [fallingOnly, setFallingOnly] = useState(false);
  const [sorting, setSorting] = useState<SortingState>([]);

  // Read the list's controls from the URL once in the browser (the server renders the full list).
  useEffect(() => {
    const search = new URLSearchParams(window.location.search);
    setText(search.get("q") ?? "");
    const wanted = search.get("attendance") ?? "";
    if (attendanceFilterOptions(thresholds).some((option) => option.value === wanted)) setBelow(wanted);
    setFallingOnly(search.get("trend") === "down");
  }, [thresholds]);

  const data = useMemo(
    () => rows.filter((row) => matchesAttendanceFilter(row, below) && (!fallingOnly || trendWord(row.trend_pts) === "down")),
    [rows, below, fallingOnly],
  );

  const columns = useMemo(
    () => [
      column.accessor("name", {
        header: "Pupil",
        cell: (info) => (
          <Link to={`/pupils/${encodeURIComponent(info.row.original.upn)}?${pupilSearch}`} data-testid="pupil-link">
            {info.getValue()}
          </Link>
        ),
      }),
      column.accessor("upn", { header: "UPN", cell: (info) => <span className="pupil-table__upn">{info.getValue()}</span> }),
      column.accessor("year_group", { header: "Year", sortingFn: "alphanumeric" }),
      column.accessor("reg_group", { header: "Class" }),
      column.accessor("sen", { header: "SEN", cell: (info) => (info.getValue() === "N" ? "—" : info.getValue()) }),
      column.accessor("fsm", { header: "FSM", cell: (info) => (info.getValue() === "Y" ? "FSM" : "—") }),
      column.accessor("eal", { header: "EAL", cell: (info) => (info.getValue() === "Y" ? "EAL" : "—") }),
      column.accessor("lac", { header: "LAC", cell: (info) => (info.getValue() === "Y" ? "LAC" : "—") }),
      column.accessor("possible_sessions", { header: "Sessions", cell: (info) => formatCount(info.getValue()), meta: { numeric: true } }),
      column.accessor("attendance_pct", {
        header: "Attendance",
        cell: (info) => formatPct(info.getValue()),
        sortingFn: (a, b) => nullsLast(a.original.attendance_pct, b.original.attendance_pct),
        meta: { numeric: true },
      }),
      column.accessor("authorised_pct", {
        header: "Authorised absence",
        cell: (info) => formatPct(info.getValue()),
        sortingFn: (a, b) => nullsLast(a.original.authorised_pct, b.original.authorised_pct),
        meta: { numeric: true },
      }),
      column.accessor("unauthorised_pct", {
        header: "Unauthorised absence",
        cell: (info) => formatPct(info.getValue()),
        sortingFn: (a, b) => nullsLast(a.original.unauthorised_pct, b.original.unauthorised_pct),
        meta: { numeric: true },
      }),
      column.accessor("absence_spells", { header: "Absence spells", meta: { numeric: true } }),
      column.accessor("late_sessions", { header: "Late sessions", meta: { numeric: true } }),
      column.accessor((row) => (row.is_sa ? 2 : row.is_pa ? 1 : 0), { id: "flag", header: "Flag", cell: (info) => <Flags row={info.row.original} /> }),
      column.accessor("trend_pts", {
        header: "Trend",
        cell: (info) => <Trend points={info.getValue()} />,
        sortingFn: (a, b) => nullsLast(a.original.trend_pts, b.original.trend_pts),
      }),
    ],
    [pupilSearch],
  );

  const table = useReactTable({
    data,
    columns,
    state: { sorting, globalFilter: text },
    onSortingChange: setSorting,
    globalFilterFn: byNameOrUpn,
    getCoreRowModel: getCoreRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
    getSortedRowModel: getSortedRowModel(),
  });
  const shown = table.getRowModel().rows;
  const paShown = shown.filter((row) => row.original.is_pa).length;

  return (
    <section aria-labelledby="pupil-list-heading">
      <h2 id="pupil-list-heading" className="visually-hidden">
        Pupil list
      </h2>
      <div className="filters pupil-table__controls no-print">
        <div className="field">
          <label htmlFor="pupil-search">Name or UPN</label>
          <input
            id="pupil-search"
            type="search"
            value={text}
            onChange={(event) => {
              setText(event.currentTarget.value);
              rememberInUrl("q", event.currentTarget.value);
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="pupil-below">Attendance</label>
          <select
            id="pupil-below"
            value={below}
            onChange={(event) => {
              setBelow(event.currentTarget.value);
              rememberInUrl("attendance", event.currentTarget.value);
            }}
          >
            {attendanceFilterOptions(thresholds).map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field pupil-table__check">
          <input
            id="pupil-falling"
            type="checkbox"
            checked={fallingOnly}
            onChange={(event) => {
              setFallingOnly(event.currentTarget.checked);
              rememberInUrl("trend", event.currentTarget.checked ? "down" : "");
            }}
          />
          <label htmlFor="pupil-falling">Only pupils whose attendance is falling</label>
        </div>
        <div className="field">
          <button type="button" className="button button--secondary" onClick={() => downloadCsv(props.filename, shown.map((row) => row.original))} data-testid="pupils-csv">
            Download CSV<span className="visually-hidden"> of the {shown.length} pupils shown</span>
          </button>
        </div>
      </div>
      <p aria-live="polite" data-testid="pupils-count">
        Showing <strong>{formatCount(shown.length)}</strong> of {formatCount(rows.length)} pupils
        {below ? `: ${describeAttendanceFilter(below, thresholds)}` : ""}
        {fallingOnly ? " whose attendance is falling" : ""}
        {text.trim() ? ` matching “${text.trim()}”` : ""}; {formatCount(paShown)} persistently absent.
      </p>
      <div className="pupil-table__scroll">
        <table className="data pupil-table" data-testid="pupil-table">
          <caption className="visually-hidden">Pupils, with their attendance in the period. Select a column heading to sort.</caption>
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  const numeric = (header.column.columnDef.meta as { numeric?: boolean } | undefined)?.numeric;
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      className={numeric ? "num" : undefined}
                      aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none"}
                    >
                      <button type="button" className="sort" onClick={header.column.getToggleSortingHandler()}>
                        {flexRender(header.column.columnDef.header, header.getContext())}
                        <span aria-hidden="true">{sorted === "asc" ? " ▲" : sorted === "desc" ? " ▼" : ""}</span>
                      </button>
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr key={row.id} data-upn={row.original.upn}>
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} className={(cell.column.columnDef.meta as { numeric?: boolean } | undefined)?.numeric ? "num" : undefined}>
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {shown.length === 0 ? <p className="notice">No pupils match. Clear the name or attendance filter.</p> : null}
      <p className="hint">
        Sessions: possible sessions in the period. PA: persistent absence (missed 10% or more of their own possible sessions); SA: severe
        absence (50% or more). Absence spells: separate runs of absent sessions. {props.trendNote}
      </p>
    </section>
  );
}
