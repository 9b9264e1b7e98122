import { RouteError } from "~/components/RouteError";
import { plural } from "../../analytics/plural.ts";
import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { maxUploadMb } from "~/lib/upload.server";
import { uploadTooLargeMessage } from "~/lib/upload-kinds";
import type { BenchmarkReport, ComparisonCell, MeasureLine } from "../../analytics/benchmarks/report.ts";
import { verdictBadgeWords } from "../../analytics/benchmarks/comparison.ts";
import { GROUP_WORDS, MEASURE_WORDS, PERIOD_WORDS, PHASE_WORDS, formatIsoDate, populationWords, releaseWords, yearSpanWords } from "../../analytics/benchmarks/labels.ts";
import type { BenchmarkMeasure, BenchmarkPeriod, BenchmarkPhase } from "../../analytics/benchmarks/store.ts";
import { auditRequest } from "~/lib/audit.server";
import { decodeBytes } from "../../analytics/import/decode.ts";
import { withDb } from "~/lib/db.server";
import { benchmarkYear } from "~/lib/benchmark-year";
import { formatCount, formatPct, formatPoints } from "~/lib/format";
import {
  academicYearOf,
  academicYearsWithMarks,
  buildBenchmarkReport,
  CENSUS_PUBLICATION,
  governorHorizon,
  halfTermsOf,
  currentDate,
  DAILY_PUBLICATION,
  importBenchmarkFile,
  benchmarkImportWords,
  ENGLAND_AREA_CODE,
  findArea,
  listAreas,
  listFigures,
  ReportChoiceError,
  type BenchmarkImportSummary,
} from "~/lib/analytics.server";
import { requireRole } from "~/lib/auth.server";
import { ROLE_LABELS, can } from "~/lib/permissions";
import { ActionAnswer } from "~/components/ActionAnswer";
import { CsrfInput } from "~/components/CsrfInput";
import { formatThreshold } from "../../analytics/thresholds.ts";
import { repeatedWords, unreadWords, type UnreadValue } from "~/lib/filters";

export const meta: MetaFunction = () => [{ title: "Benchmarks — Rollcall" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, "view_benchmarks", { context });
  // Governors (no pupil-level access) read the report with small counts withheld (issue 9).
  const withholdSmallCounts = !can(user.role, "view_pupils");
  const url = new URL(request.url);
  const today = currentDate();
  // The year asked for, or the one holding the period carried in from another page; what the
  // address asked for and could not be read is said on the page (app/lib/benchmark-year.ts).
  const { year: yearParam, notice, groups: termGroups } = benchmarkYear(url.searchParams, { governor: withholdSmallCounts });
  // England's code is the national figure every report shows: no area beside it.
  const areaAsked = url.searchParams.get("area") || null;
  const area = areaAsked === ENGLAND_AREA_CODE ? null : areaAsked;
  const groups = url.searchParams.get("groups") || null;
  const figuresParam = url.searchParams.get("figures")?.trim() ?? "";
  const allYears = figuresParam === "all";
  return withDb(async (c) => {
    const years = await academicYearsWithMarks(c);
    // Governors: figures run to the end of the last half term that has ended, so the year
    // they open first is that half term's (analytics/governor-periods.ts).
    const horizon = withholdSmallCounts ? governorHorizon(await halfTermsOf(c), today) : null;
    // Before any half term has ended a governor has no figures to compare: said, not an error.
    if (withholdSmallCounts && horizon === null) {
      return { waiting: "Governors see figures for whole half terms once they have ended, and no half term has ended yet." } as const;
    }
    const latest = horizon ? academicYearOf(horizon) : academicYearOf(today);
    const defaultYear = years.includes(latest) ? latest : (years[0] ?? latest);
    // A year after the latest with figures (not begun; for a governor, no half term of it
    // ended) has nothing to compare: said, and the latest shown (it was a 500, then a 400).
    const future = yearParam !== null && yearParam > latest;
    const academicYear = future ? defaultYear : (yearParam ?? defaultYear);
    const futureNotice = future ? `There are no figures for ${yearParam} yet (${withholdSmallCounts ? "governors see whole half terms that have ended" : "it has not begun"}): showing ${academicYear}.` : null;
    let report: BenchmarkReport | null = null;
    // Groups over the term carried in from another page, where the report has that term (one
    // not begun, or with no marks, falls back to the report's own choice).
    let groupsShown = groups ?? termGroups ?? null;
    let areaShown = area;
    // A choice the report cannot use (an area with no figures, a groups period not in the
    // year) is named on the page with what such a value looks like, and the report shown
    // without it — never a bare 400 (app/lib/filters.ts unreadWords).
    const unread: UnreadValue[] = figuresParam && !allYears ? [{ name: "figures", value: figuresParam, expected: "all (every year's figures), or nothing for this year's" }] : [];
    for (let attempt = 0; report === null; attempt++) {
      try {
        report = await buildBenchmarkReport(c, { academicYear, today, areaCode: areaShown, groupPeriod: groupsShown, withholdSmallCounts });
      } catch (error) {
        if (!(error instanceof ReportChoiceError) || attempt > 1) throw error;
        if (error.choice === "area") areaShown = null;
        else groupsShown = null;
        // A term carried in from another page that this year does not have: the report's own choice, silently (the notice above names the year).
        if (error.choice === "area" || groups) unread.push({ name: error.choice, value: error.value, expected: error.expected });
      }
    }
    const shown: BenchmarkReport = report;
    const unreadNotice = unread.length > 0 ? `Not understood in the address: ${unreadWords(unread)}. Showing the report without ${unread.length > 1 ? "them" : "it"}.` : null;
    // The areas the year's report has figures for; an area chosen without any stays chosen (its column says so).
    const areas = await listAreas(c, academicYear);
    const chosen = areaShown && !areas.some((a) => a.code === areaShown) ? await findArea(c, areaShown) : undefined;
    if (chosen) areas.push(chosen);
    const figures = (await listFigures(c, { academicYear: allYears ? undefined : academicYear })).filter(
      (figure) => figure.geographic_level === "national" || figure.area_code === areaShown || shown.columns.some((column) => column.code === figure.area_code),
    );
    return {
      today,
      academicYear,
      notice: [unreadNotice, futureNotice, notice, repeatedWords(url.searchParams, ["year", "period", "half", "term", "from", "to", "area", "groups", "figures"])].filter(Boolean).join(" ") || null,
      groupsShown,
      // Governors: only years with a half term that has ended.
      years: (years.includes(academicYear) ? years : [academicYear, ...years]).filter((year) => !withholdSmallCounts || year <= latest),
      area: areaShown,
      areas: areas.map(({ level, code, name }) => ({ level, code, name })),
      report,
      allYears,
      // Only roles that may import see the form (the action refuses the rest anyway).
      canImport: can(user.role, "import"),
      figures: figures.map((figure) => ({
        id: figure.figure_id,
        academicYear: figure.academic_year,
        period: figure.period as BenchmarkPeriod,
        periodEnd: figure.period_end,
        phase: figure.phase as BenchmarkPhase,
        area: figure.area_name,
        group: figure.group_name,
        measure: figure.measure as BenchmarkMeasure,
        valueText: figure.value_text,
        value: figure.value,
        published: figure.value !== null,
        publication: figure.publication,
        release: releaseWords(figure.release),
        sourceUrl: figure.source_url,
        origin: figure.origin,
      })),
    };
  });
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Imports a DfE open-data CSV uploaded from the form below: all or nothing. */
export async function action({ request, context }: ActionFunctionArgs): Promise<{ error: string } | { summary: BenchmarkImportSummary; words: string }> {
  const user = await requireRole(request, "import", { context });
  let form: FormData;
  // The school's upload limit (ROLLCALL_MAX_UPLOAD_MB); a benchmark CSV is read whole, in memory.
  const limitMb = maxUploadMb();
  try {
    form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: Math.floor(limitMb * 1024 * 1024) }));
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return { error: uploadTooLargeMessage(limitMb) };
    return { error: `The upload could not be read: ${(error as Error).message}` };
  }
  const file = form.get("file");
  // Nothing chosen is a part with no file name; a chosen empty file has its name and is refused by it (the file is empty).
  if (!(file instanceof File) || file.name === "") return { error: "Choose a CSV file to import." };
  const publication = form.get("publication") === "census" ? CENSUS_PUBLICATION : DAILY_PUBLICATION;
  const dataTo = String(form.get("dataTo") ?? "").trim();
  if (dataTo && !ISO_DATE.test(dataTo)) return { error: `"Data to" must be a date (got "${dataTo}").` };
  const sourceUrl = String(form.get("sourceUrl") ?? "").trim();
  try {
    // Decoded as every imported file is (UTF-8, UTF-16 or Windows-1252; refused, never replaced).
    const { text } = decodeBytes(new Uint8Array(await file.arrayBuffer()), file.name);
    const summary = await withDb((c) =>
      importBenchmarkFile(c, {
        file: file.name,
        text,
        by: { name: user.name, role: ROLE_LABELS[user.role] },
        options: { publication, periodEnd: dataTo || null, ...(sourceUrl ? { sourceUrl } : {}) },
      }),
    );
    await auditRequest(request, context, {
      action: "import",
      target: summary.file,
      detail: `benchmarks: ${summary.rowsRead} rows read, ${summary.inserted} figures new, ${summary.unchanged} already stored`,
    });
    return { summary, words: benchmarkImportWords(summary, formatCount) };
  } catch (error) {
    await auditRequest(request, context, { action: "import_refused", target: file.name, detail: `benchmarks: ${(error as Error).message}` });
    return { error: `Refused ${(error as Error).message}. Nothing was imported: the benchmarks are unchanged.` };
  }
}

/** The loader's data when there is a report (not a governor's before any half term has ended). */
type LoaderData = Exclude<ReturnType<typeof useLoaderData<typeof loader>>, { waiting: string }>;
type Report = LoaderData["report"];

function basisOf(label: string): string {
  const match = /\((.*)\)$/.exec(label);
  return match ? match[1] : label;
}

/**
 * A cell's caveat said once down a column (trial 50: on a phone every row repeated "for reference
 * only: the published figure is for 2025/26 … — not the same period, so no verdict"): where the
 * cell above in the same column gave the same words, "for reference only, as above: no verdict".
 * The first row of a column (and any after a row that differs) says the words in full.
 */
function caveatWords(cell: ComparisonCell, above: ComparisonCell | undefined): string {
  const words = cell.comparison.words;
  return above?.benchmark && above.comparison.direction === null && above.comparison.words === words && words.startsWith("for reference only") ? "for reference only, as above: no verdict" : words;
}

function Comparison({ cell, report, above }: { cell: ComparisonCell | undefined; report: Report; /** The cell above in the same column, if any. */ above?: ComparisonCell }) {
  if (!cell?.benchmark) {
    // Where the column would be, in words: "no published figure for Shropshire for 2025/26 —
    // import the DfE file to add it" (case 4); never an empty or dropped column.
    const words = cell?.comparison.words ?? "no published figure";
    return (
      <>
        <td className="num hint" data-testid="no-published-figure">
          {words === "no published figure" ? "No published figure" : words.charAt(0).toUpperCase() + words.slice(1)}
        </td>
        <td />
      </>
    );
  }
  const source = report.sources[cell.benchmark.sourceRef - 1];
  // No badge against all state-funded schools: the gap with its caveat instead (case 3).
  const tag =
    cell.comparison.direction === "better" ? "tag--green" : cell.comparison.direction === "worse" ? "tag--red" : cell.comparison.direction === "same" ? "tag--grey" : null;
  return (
    <>
      <td className="num" title={source ? source.citation : undefined}>
        {formatPct(cell.benchmark.value)}
        <sup>
          <a href={`#source-${cell.benchmark.sourceRef}`} aria-label={`Source ${cell.benchmark.sourceRef}: ${source?.source ?? ""}`}>
            [{cell.benchmark.sourceRef}]
          </a>
        </sup>
        <div className="benchmark-basis">{basisOf(cell.benchmark.label)}</div>
        {/* Its notes once down the column, as its caveat (caveatWords): a note the figure above gave too reads "As above". */}
        {cell.benchmark.notes.map((note) => (
          <div key={note} className="benchmark-note" data-testid="benchmark-note">
            {above?.benchmark?.notes.includes(note) ? "As above." : note}
          </div>
        ))}
      </td>
      <td>
        {tag ? (
          <>
            <span className={`tag ${tag}`}>{verdictBadgeWords(cell.comparison)}</span>
            {cell.comparison.periodsNote ? <div className="benchmark-note">{cell.comparison.periodsNote}</div> : null}
          </>
        ) : (
          <span className="comparison-caveat" data-testid="comparison-caveat">
            {cell.comparison.gapPoints !== null ? `${formatPoints(cell.comparison.gapPoints)}: ` : ""}
            {caveatWords(cell, above)}
          </span>
        )}
      </td>
    </>
  );
}

function SchoolFigure({ line }: { line: MeasureLine }) {
  // Withheld from a governor (small counts, as in the FGB pack): the words, never the count.
  if (line.withheld !== null) {
    return (
      <td className="num suppressed" data-testid="withheld">
        {line.withheld}
        {line.denominator !== null ? (
          <div className="benchmark-basis">
            of {formatCount(line.denominator)} {line.unit}
          </div>
        ) : null}
      </td>
    );
  }
  return (
    <td className="num">
      <strong>{formatPct(line.school)}</strong>
      <div className="benchmark-basis">
        {formatCount(line.numerator)} of {formatCount(line.denominator)} {line.unit}
      </div>
    </td>
  );
}

/** Columns with at least one published figure (national always). */
function usedColumns(report: Report, lines: MeasureLine[]): number[] {
  return report.columns.map((_, i) => i).filter((i) => i === 0 || lines.some((line) => line.cells[i]?.benchmark));
}

/**
 * The school's attendance against its own target (Settings): a table of its own, since the
 * target is the school's, not a published figure (trial20: 96.1 % stood in the "National"
 * column of the year's table). Whole roll, as the target is set.
 */
function TargetTable({ report }: { report: Report }) {
  const target = report.target;
  const targetTag = target.comparison.direction === "better" ? "tag--green" : target.comparison.direction === "worse" ? "tag--red" : "tag--grey";
  return (
    <table className="data" data-testid="benchmark-target">
      <caption>
        {report.year.label}: the school's own target (Settings), not a published figure
      </caption>
      <thead>
        <tr>
          <th scope="col">Measure</th>
          <th scope="col" className="num">School</th>
          <th scope="col" className="num">Target</th>
          <th scope="col">Compared</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <th scope="row">
            Attendance against the school's target
            <div className="benchmark-basis" data-population>
              {populationWords(target.population, target.pupils)}
            </div>
          </th>
          {target.withheld !== null ? (
            <td className="num suppressed" data-testid="withheld">
              {target.withheld}
            </td>
          ) : (
            <td className="num">
              <strong>{formatPct(target.attendancePct)}</strong>
              <div className="benchmark-basis">
                {formatCount(target.attended)} of {formatCount(target.possible)} {plural(target.possible, "session")}
              </div>
            </td>
          )}
          <td className="num">
            {formatThreshold(target.targetPct, 1)}
            <div className="benchmark-basis">school target (Settings)</div>
          </td>
          <td>
            <span className={`tag ${targetTag}`}>{target.words}</span>
          </td>
        </tr>
      </tbody>
    </table>
  );
}

function YearTable({ report }: { report: Report }) {
  // Every column the reader chose, with or without figures: an area with none for this year
  // says so in each cell ("no published figure for East Midlands for 2025/26 — import the DfE
  // file to add it", issue 13 case 4); dropping the column had left no word (a trial).
  // Published figures only: the school's target has its own table (TargetTable).
  const columns = report.columns.map((_, i) => i);
  return (
    <table className="data" data-testid="benchmark-year">
      <caption>
        {report.year.label}: {yearSpanWords(report.academicYear, report.firstSchoolDay, report.year.to)}
      </caption>
      <thead>
        <tr>
          <th scope="col">Measure</th>
          <th scope="col" className="num">School</th>
          {columns.map((i) => (
            <ColumnHeads key={i} label={report.columns[i].label} />
          ))}
        </tr>
      </thead>
      <tbody>
        {report.year.lines.map((line, row) => (
          <tr key={line.measure}>
            <th scope="row">
              {line.label}
              <div className="benchmark-basis" data-population>
                {populationWords(report.year.population, report.year.pupils)}
              </div>
            </th>
            <SchoolFigure line={line} />
            {columns.map((i) => (
              <Comparison key={i} cell={line.cells[i]} report={report} above={report.year.lines[row - 1]?.cells[i]} />
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ColumnHeads({ label }: { label: string }) {
  return (
    <>
      <th scope="col" className="num">{label}</th>
      <th scope="col">Compared</th>
    </>
  );
}

interface CompactRow {
  key: string;
  label: string;
  pupils: number | null;
  lines: MeasureLine[];
  message?: string;
}

function CompactTable({ report, caption, first, rows, testId }: { report: Report; caption: string; first: string; rows: CompactRow[]; testId: string }) {
  const lines = rows.flatMap((row) => row.lines);
  const columns = usedColumns(report, lines);
  // A chosen area with no figure for any row is left out of this table and said in its caption.
  const missing = report.columns
    .map((column, i) => (i > 0 && !columns.includes(i) ? (lines.map((line) => line.cells[i]?.comparison.words).find((w) => w && w !== "no published figure") ?? `no published figure for ${column.label}`) : null))
    .filter((words): words is string => words !== null);
  const span = 2 * (1 + 2 * columns.length);
  return (
    <table className="data" data-testid={testId}>
      <caption>
        {caption}
        {missing.length > 0 ? (
          <span className="hint" data-testid="no-published-column">
            {" "}
            ({missing.join("; ")})
          </span>
        ) : null}
      </caption>
      <thead>
        <tr>
          <th scope="col">{first}</th>
          <th scope="col" className="num">Pupils</th>
          <th scope="col" className="num">Absence: school</th>
          {columns.map((i) => (
            <ColumnHeads key={`a${i}`} label={report.columns[i].label} />
          ))}
          <th scope="col" className="num">Persistent absence: school</th>
          {columns.map((i) => (
            <ColumnHeads key={`p${i}`} label={report.columns[i].label} />
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, r) => (
          <tr key={row.key}>
            <th scope="row">{row.label}</th>
            {/* A withheld group's pupils read "withheld" like its other figures, never a dash (DEFINITIONS.md). */}
            {row.pupils === null ? (
              <td className="num suppressed" data-testid="withheld">
                withheld
              </td>
            ) : (
              <td className="num">{formatCount(row.pupils)}</td>
            )}
            {row.lines.length === 0 ? (
              <td colSpan={span} className="hint">
                {row.message}
              </td>
            ) : (
              row.lines.map((line) => (
                <LineCells key={line.measure} line={line} columns={columns} report={report} above={rows[r - 1]?.lines.find((l) => l.measure === line.measure)} />
              ))
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function LineCells({ line, columns, report, above }: { line: MeasureLine; columns: number[]; report: Report; /** The same measure's line in the row above, if any. */ above?: MeasureLine }) {
  return (
    <>
      <SchoolFigure line={line} />
      {columns.map((i) => (
        <Comparison key={i} cell={line.cells[i]} report={report} above={above?.cells[i]} />
      ))}
    </>
  );
}

export default function Benchmarks() {
  const data = useLoaderData<typeof loader>();
  if ("waiting" in data) {
    return (
      <>
        <h1>Benchmarks</h1>
        <div className="notice" role="status" data-testid="benchmarks-waiting">
          <p>{data.waiting}</p>
        </div>
      </>
    );
  }
  return <BenchmarksPage data={data} />;
}

function BenchmarksPage({ data }: { data: LoaderData }) {
  const { report, years, academicYear, areas, area, figures, allYears, canImport, notice, groupsShown } = data;
  const download = (format: string) => {
    const params = new URLSearchParams();
    params.set("year", academicYear);
    if (area) params.set("area", area);
    // The groups period the page shows (a value it could not read is not carried on).
    if (groupsShown) params.set("groups", groupsShown);
    return `/benchmarks/report/${format}?${params.toString()}`;
  };
  const groupRows: CompactRow[] = report.groups.map((group) => ({
    key: group.group,
    label: group.label,
    pupils: group.suppressed ? null : group.pupils,
    lines: group.lines,
    message: group.withheld ?? "No pupils in this group",
  }));
  const regions = areas.filter((a) => a.level === "regional");
  const authorities = areas.filter((a) => a.level === "local-authority");
  return (
    <>
      <h1>Benchmarks</h1>
      <p className="lede">
        The school against published national figures for the same phase, period and group, with the source and date of each figure.
      </p>
      {notice ? (
        <p className="notice" role="status" data-testid="benchmarks-notice">
          {notice}
        </p>
      ) : null}

      <Form method="get" className="filters" aria-label="Choose the year and comparisons">
        <div className="field">
          <label htmlFor="year">Academic year</label>
          <select id="year" name="year" defaultValue={academicYear}>
            {years.map((year) => (
              <option key={year} value={year}>
                {year}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="area">Also compare with</label>
          <select id="area" name="area" defaultValue={area ?? ""}>
            <option value="">National only</option>
            {/* Each level's group only when it has an area with figures (the rest are not offered). */}
            {(
              [
                ["Regions", regions],
                ["Local authorities", authorities],
              ] as const
            ).map(([label, list]) =>
              list.length > 0 ? (
                <optgroup key={label} label={label}>
                  {list.map((a) => (
                    <option key={a.code} value={a.code}>
                      {a.name}
                    </option>
                  ))}
                </optgroup>
              ) : null,
            )}
          </select>
          {/* Only areas with figures for the year are offered; the rest come with the DfE's file. */}
          <span className="hint" data-testid="area-hint">
            {regions.length + authorities.length === 0
              ? `No region's or local authority's figures are loaded for ${academicYear}: `
              : "Areas with figures loaded for this year; "}
            {canImport ? <a href="#import">import the DfE file</a> : "a user who may import can add the DfE file"} with{" "}
            {regions.length + authorities.length === 0 ? "them to compare with one" : "others to add them"}.
          </span>
        </div>
        <div className="field">
          <label htmlFor="groups">Groups over</label>
          <select id="groups" name="groups" defaultValue={groupsShown ?? ""}>
            <option value="">Chosen for the published figures</option>
            {report.groupPeriod.choices.map((choice) => (
              <option key={choice.key} value={choice.key}>
                {choice.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button">
          Show
        </button>
      </Form>

      {report.year.possibleSessions === 0 ? (
        <p className="hint" data-testid="benchmark-no-report">
          No benchmark report is made for {report.academicYear}: the register has no marks for it.
        </p>
      ) : (
      <p className="benchmark-downloads" aria-label="Download the head's benchmark report">
        {/* One page against England alone; an area's columns can take it to two (trial 30). */}
        Head's benchmark report (A4):{" "}
        <a className="button button--secondary" href={download("pdf")} download data-testid="download-pdf">
          PDF
        </a>{" "}
        <a className="button button--secondary" href={download("xlsx")} download data-testid="download-xlsx">
          Spreadsheet (XLSX)
        </a>{" "}
        <a className="button button--secondary" href={download("csv")} download data-testid="download-csv">
          CSV
        </a>
      </p>
      )}

      {report.year.possibleSessions === 0 ? (
        <div className="notice notice--warning" role="status">
          <p>
            No register marks are stored for {report.academicYear}: the school's figures show "—". Import the register, or choose another year.
          </p>
        </div>
      ) : null}

      <h2>The year</h2>
      <TargetTable report={report} />
      <YearTable report={report} />

      <h2>By term</h2>
      {report.terms.length ? (
        <CompactTable
          report={report}
          caption={`Terms of ${report.academicYear}: pupils ${report.year.population}`}
          first="Term"
          testId="benchmark-terms"
          rows={report.terms.map((term) => ({ key: term.key, label: term.label, pupils: term.pupils, lines: term.lines }))}
        />
      ) : (
        <p className="hint">
          {report.year.possibleSessions === 0
            ? `No register marks are stored for ${report.academicYear}, so no term has figures.`
            : `No term of ${report.academicYear} has begun, or the calendar has not been imported.`}
        </p>
      )}

      <h2>By pupil group</h2>
      <p className="hint">
        The DfE publishes most national figures by group for single terms and for all state-funded schools; each figure says which.
      </p>
      <CompactTable report={report} caption={`Groups, ${report.groupPeriod.label}: pupils ${report.year.population}`} first="Group" rows={groupRows} testId="benchmark-groups" />

      <h2 id="sources">Sources of the figures above</h2>
      {report.sources.length ? (
        <ol className="benchmark-sources">
          {report.sources.map((source) => (
            <li key={source.ref} id={`source-${source.ref}`} value={source.ref}>
              {source.source}:{" "}
              {/^https?:/.test(source.url) ? (
                <a href={source.url} rel="noreferrer">
                  {source.address}
                </a>
              ) : (
                source.url
              )}
              {source.origin !== "shipped" ? <span className="tag tag--blue">imported</span> : null}
            </li>
          ))}
        </ol>
      ) : (
        <p className="hint">No published figure was found for {report.academicYear}.</p>
      )}
      <ul className="hint">
        {report.notes.map((note) => (
          <li key={note}>{note}</li>
        ))}
      </ul>

      <h2>All published figures {allYears ? "" : `for ${academicYear}`}</h2>
      <p>
        {allYears ? (
          <Link to={`?year=${encodeURIComponent(academicYear)}${area ? `&area=${area}` : ""}`}>Show {academicYear} only</Link>
        ) : (
          <Link to={`?year=${encodeURIComponent(academicYear)}${area ? `&area=${area}` : ""}&figures=all`}>Show every year</Link>
        )}
        {canImport ? (
          <>
            {" · "}
            <a href="#import">Import a DfE open-data file</a>
          </>
        ) : null}
      </p>
      <PublishedFigures figures={figures} />
      {canImport ? <ImportForm /> : null}
    </>
  );
}

function ImportForm() {
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  return (
    <section className="panel" aria-labelledby="import">
      <h2 id="import">Import a DfE open-data file</h2>
      <p>
        A CSV downloaded from the DfE's statistics service (explore-education-statistics): national, regional and local authority rows
        with <code>time_period</code>, <code>geographic_level</code>, the area codes and names, <code>school_type</code> or{" "}
        <code>education_phase</code>, and rate columns such as <code>overall_absence_perc</code> and <code>pa_perc</code>. A file with
        any error is refused as a whole; importing the same file again changes nothing.
      </p>
      {result && "error" in result ? (
        <ActionAnswer answer={result} className="notice notice--warning" role="alert" testId="import-error">
          <p>{result.error}</p>
        </ActionAnswer>
      ) : null}
      {result && "summary" in result ? (
        <ActionAnswer answer={result} className="notice" role="status" testId="import-summary">
          <p>{result.words}</p>
        </ActionAnswer>
      ) : null}
      <Form method="post" encType="multipart/form-data" className="benchmark-import">
        <CsrfInput />
        <div className="field">
          <label htmlFor="file">CSV file</label>
          <input id="file" name="file" type="file" accept=".csv,text/csv" required />
        </div>
        <div className="field">
          <label htmlFor="publication">Publication</label>
          <select id="publication" name="publication" defaultValue="daily">
            <option value="daily">Pupil attendance in schools (daily data: "Academic year" is the year to date)</option>
            <option value="census">Pupil absence in schools in England (census: "Academic year" is the full year)</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="dataTo">Data to (for a year-to-date file, if known)</label>
          <input id="dataTo" name="dataTo" type="date" />
        </div>
        <div className="field">
          <label htmlFor="sourceUrl">Where the file came from (address, optional)</label>
          <input id="sourceUrl" name="sourceUrl" type="url" size={60} />
        </div>
        <button type="submit" className="button" disabled={busy}>
          {busy ? "Importing…" : "Import"}
        </button>
      </Form>
    </section>
  );
}

function PublishedFigures({ figures }: { figures: LoaderData["figures"] }) {
  if (figures.length === 0) return <p className="hint">No published figures are stored for this year.</p>;
  return (
    <table className="data benchmark-figures" data-testid="published-figures">
      <caption>{formatCount(figures.length)} published figures, each with its source</caption>
      <thead>
        <tr>
          <th scope="col">Year</th>
          <th scope="col">Period</th>
          <th scope="col">Phase</th>
          <th scope="col">Area</th>
          <th scope="col">Group</th>
          <th scope="col">Measure</th>
          <th scope="col" className="num">Published</th>
          <th scope="col">Source</th>
        </tr>
      </thead>
      <tbody>
        {figures.map((figure) => (
          <tr key={figure.id}>
            <td>{figure.academicYear}</td>
            <td>
              {PERIOD_WORDS[figure.period]}
              {figure.periodEnd ? ` to ${formatIsoDate(figure.periodEnd)}` : ""}
            </td>
            <td>{PHASE_WORDS[figure.phase]}</td>
            <td>{figure.area}</td>
            <td>{GROUP_WORDS[figure.group] ?? figure.group}</td>
            <td>{MEASURE_WORDS[figure.measure]}</td>
            {/* One decimal place, as every figure on every page; the value as published on hover. */}
            <td className="num" title={figure.published ? `As published: ${figure.valueText}%` : undefined} data-testid="published-figure">
              {figure.published ? formatPct(figure.value) : <span className="tag tag--grey">withheld by the DfE ({figure.valueText})</span>}
            </td>
            <td>
              {/^https?:/.test(figure.sourceUrl) ? (
                <a href={figure.sourceUrl} rel="noreferrer">
                  {figure.publication}, {figure.release}
                </a>
              ) : (
                `${figure.publication}, ${figure.release}`
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ErrorBoundary() {
  return <RouteError title="The benchmarks could not be shown" />;
}
