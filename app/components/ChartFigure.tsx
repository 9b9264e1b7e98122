/**
 * A chart with its caption, the same figures as a table (the accessible alternative,
 * folded away by default) and a CSV download of exactly those rows. Every chart on the
 * dashboard goes through this so no figure is only in a picture.
 */
import type { ReactNode } from "react";
import { formatCount, formatDate, formatPct } from "~/lib/format";
import { toCsv } from "~/lib/csv";
import { saveCsvDownload } from "~/lib/export-audit";
import { useDownloadName } from "~/lib/download-name";
import { withheldReason, withheldWords } from "~/lib/withheld";

export type ChartColumnFormat = "pct" | "count" | "date" | "text";

export interface ChartColumn {
  key: string;
  label: string;
  format?: ChartColumnFormat;
  /** In the table on screen only when some row has a value (the CSV always has it: its header never depends on the rows). */
  onScreenWhenFilled?: boolean;
}

export type ChartRow = Record<string, string | number | null>;

function formatCell(value: string | number | null | undefined, format: ChartColumnFormat = "text"): string {
  if (value === null || value === undefined || value === "") return "—";
  if (format === "pct") return typeof value === "number" ? formatPct(value) : String(value);
  if (format === "count") return typeof value === "number" ? formatCount(value) : String(value);
  if (format === "date") return /^\d{4}-\d{2}-\d{2}$/.test(String(value)) ? formatDate(String(value)) : String(value);
  return String(value);
}

function downloadCsv(filename: string, rows: ChartRow[], columns: ChartColumn[]) {
  saveCsvDownload(filename, toCsv(rows, columns), rows.length);
}

export function ChartFigure(props: {
  title: string;
  description?: string;
  rows: ChartRow[];
  columns: ChartColumn[];
  /** What the chart is ("groups-sen"): the download is named from it, the page's period and filters and the reader's audience (useDownloadName). */
  filename: string;
  children: ReactNode;
}): JSX.Element {
  const { title, description, rows, columns, filename, children } = props;
  const downloadName = useDownloadName(filename);
  const shown = columns.filter((column) => !column.onScreenWhenFilled || rows.some((row) => row[column.key] !== null && row[column.key] !== undefined && row[column.key] !== ""));
  return (
    <figure className="chart" data-chart={filename}>
      <figcaption>{title}</figcaption>
      {description ? <p className="hint chart__description">{description}</p> : null}
      {rows.length === 0 ? <p className="notice">No figures for this period.</p> : children}
      <div className="chart__actions no-print">
        <details>
          <summary>Show the figures as a table</summary>
          <table className="data">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                {shown.map((column) => (
                  <th key={column.key} scope="col" className={column.format === "pct" || column.format === "count" ? "num" : undefined}>
                    {column.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => (
                <tr key={index}>
                  {shown.map((column) => {
                    const numeric = column.format === "pct" || column.format === "count";
                    // A figure withheld from governors says so, never "—" (no data).
                    const withheld = withheldReason(row, column.key, numeric);
                    return (
                      <td
                        key={column.key}
                        className={[numeric ? "num" : "", withheld ? "suppressed" : ""].filter(Boolean).join(" ") || undefined}
                        data-testid={withheld ? "withheld" : undefined}
                      >
                        {withheld ? withheldWords(withheld) : formatCell(row[column.key], column.format)}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </details>
        <button
          type="button"
          className="button button--secondary chart__download"
          onClick={() => downloadCsv(downloadName, rows, columns)}
          disabled={rows.length === 0}
        >
          Download CSV<span className="visually-hidden"> of {title}</span>
        </button>
      </div>
    </figure>
  );
}
