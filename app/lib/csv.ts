/**
 * CSV text for the figures behind a chart or a table (client-safe). The header uses the
 * column labels people see on the page.
 *
 * Percentages (columns of format "pct") are written to one decimal place, as on the page,
 * and each is followed by its exact numerator and denominator wherever the row carries the
 * counts the rate is made of (the measures' own fields, analytics/measures.ts, or the same
 * fields with a prefix such as `rest_` — see `countsOf`). Someone re-analysing a download
 * recomputes the exact rate from the counts; nobody reads `25.862068965517242`. Point gaps
 * (format "points") are one decimal too.
 *
 * A figure withheld from governors (app/lib/withheld.ts: the row's `withheld` reason, or the
 * figure's own mark) is written as "withheld (fewer than 5)", and so is a withheld rate's
 * numerator — never an empty cell or a 0, which would read as no data or as none.
 *
 * Every text field goes through the shared formula neutraliser (analytics/cell-safety.ts,
 * OWASP CSV injection); figures written to one decimal stay figures.
 */
import { csvField } from "../../analytics/cell-safety.ts";
import { withheldReason, withheldWords } from "./withheld.ts";

export interface CsvColumn {
  key: string;
  label: string;
  format?: string;
  /**
   * For a rate of the measures (attendance_pct, rest_pa_pct…): whether its numerator and
   * denominator columns follow it. Default true: the header is the columns' alone, the same
   * with no row as with many (a filter no pupil matched once gave a header without them); a
   * row without the counts leaves them empty. False for a rate whose rows never carry counts.
   */
  counts?: boolean;
  /**
   * For a rate: the decimals of a row's figure, where one would mislead (a pupil under a
   * threshold, app/lib/casework-csv.ts: 95.97, not 96.0, on the list below 96 %). Default 1.
   */
  decimals?: (row: CsvRow) => number;
}

type CsvValue = string | number | boolean | null | undefined;
export type CsvRow = Record<string, CsvValue>;

/** How each rate of the measures is made: numerator fields (summed) over a denominator field. */
const RATE_COUNTS: Record<string, { numerator: string[]; denominator: string; numeratorWords: string; denominatorWords: string }> = {
  attendance_pct: { numerator: ["present_sessions", "aea_sessions"], denominator: "possible_sessions", numeratorWords: "sessions attended", denominatorWords: "possible sessions" },
  absence_pct: { numerator: ["authorised_sessions", "unauthorised_sessions"], denominator: "possible_sessions", numeratorWords: "sessions absent", denominatorWords: "possible sessions" },
  authorised_pct: { numerator: ["authorised_sessions"], denominator: "possible_sessions", numeratorWords: "authorised sessions", denominatorWords: "possible sessions" },
  unauthorised_pct: { numerator: ["unauthorised_sessions"], denominator: "possible_sessions", numeratorWords: "unauthorised sessions", denominatorWords: "possible sessions" },
  pa_pct: { numerator: ["pa_pupils"], denominator: "pupils", numeratorWords: "pupils persistently absent", denominatorWords: "pupils" },
  sa_pct: { numerator: ["sa_pupils"], denominator: "pupils", numeratorWords: "pupils severely absent", denominatorWords: "pupils" },
};

const COUNT_FIELDS = [
  "pupils",
  "possible_sessions",
  "present_sessions",
  "aea_sessions",
  "authorised_sessions",
  "unauthorised_sessions",
  "pa_pupils",
  "sa_pupils",
] as const;

/** The counts of a measures object under a prefix (`rest_`), to spread into a CSV row. */
export function countsOf(prefix: string, measures: Partial<Record<(typeof COUNT_FIELDS)[number], number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const field of COUNT_FIELDS) if (typeof measures[field] === "number") out[`${prefix}${field}`] = measures[field]!;
  return out;
}

/** The rate's counts in this row, or null when the row does not carry them. */
export function rateCounts(row: CsvRow, key: string): { numerator: number; denominator: number } | null {
  const match = /^(.*?)((?:attendance|absence|authorised|unauthorised|pa|sa)_pct)$/.exec(key);
  if (!match) return null;
  const [, prefix, rate] = match;
  const spec = RATE_COUNTS[rate];
  const values = [...spec.numerator, spec.denominator].map((field) => row[`${prefix}${field}`]);
  if (!values.every((value) => typeof value === "number")) return null;
  const numbers = values as number[];
  return { numerator: numbers.slice(0, -1).reduce((a, b) => a + b, 0), denominator: numbers[numbers.length - 1] };
}

/**
 * A rate's denominator (pupils, possible sessions) when the row carries it as a number and
 * publishes it: a row withheld whole has its pupils withheld too (the server sends 0 for them,
 * which is not a figure), so its denominators read withheld as its pupils column does.
 */
function denominatorOf(row: CsvRow, key: string): number | null {
  const match = /^(.*?)((?:attendance|absence|authorised|unauthorised|pa|sa)_pct)$/.exec(key);
  if (!match) return null;
  const field = `${match[1]}${RATE_COUNTS[match[2]].denominator}`;
  if (withheldReason(row, field)) return null;
  const value = row[field];
  return typeof value === "number" ? value : null;
}

function rateWords(key: string): { numeratorWords: string; denominatorWords: string } | null {
  const match = /((?:attendance|absence|authorised|unauthorised|pa|sa)_pct)$/.exec(key);
  return match ? RATE_COUNTS[match[1]] : null;
}

/** One decimal (or `digits`) for a percentage or a gap in points; anything else as it is. */
function oneDecimal(value: CsvValue, digits = 1): CsvValue | Figure {
  return typeof value === "number" && Number.isFinite(value) ? new Figure(value.toFixed(digits)) : value;
}

/** A figure we wrote ourselves (one decimal) is never text a spreadsheet could run. */
class Figure {
  constructor(readonly text: string) {}
}

function cell(value: CsvValue | Figure): string {
  return value instanceof Figure ? value.text : csvField(value);
}

const isRate = (column: CsvColumn) => column.format === "pct" || (column.format === undefined && /_pct$/.test(column.key));
const isPoints = (column: CsvColumn) => column.format === "points" || (column.format === undefined && /_pts$/.test(column.key));

export function toCsv(rows: CsvRow[], columns: CsvColumn[]): string {
  // Each rate column of the measures is followed by its numerator and denominator (CsvColumn.counts).
  const layout: Array<{ label: string; value: (row: CsvRow) => CsvValue | Figure }> = [];
  for (const column of columns) {
    // A withheld figure's cell says so (and why); `figure` false for text columns (a label).
    const figure = isRate(column) || isPoints(column) || column.format === "count";
    const withheld = (row: CsvRow) => withheldReason(row, column.key, figure);
    const shown = (row: CsvRow, value: (row: CsvRow) => CsvValue | Figure) => {
      const reason = withheld(row);
      return reason ? withheldWords(reason) : value(row);
    };
    if (isRate(column)) {
      layout.push({ label: column.label.endsWith("%") ? column.label : `${column.label} %`, value: (row) => shown(row, (r) => oneDecimal(r[column.key], column.decimals?.(r))) });
      const words = rateWords(column.key);
      // Decided by the column, never by the rows, so the header does not change with them.
      if (words && column.counts !== false) {
        // Only beside a rate the row has: a row without the field (a casework rule measured by
        // the other rate) leaves its counts empty too; a rate of null (no possible sessions)
        // keeps the counts that say why. A withheld rate's numerator is withheld with it; its
        // denominator is printed when the row publishes it.
        const counts = (row: CsvRow) => (row[column.key] === undefined ? null : rateCounts(row, column.key));
        layout.push({ label: `${column.label}: ${words.numeratorWords}`, value: (row) => shown(row, (r) => counts(r)?.numerator ?? null) });
        layout.push({
          label: `${column.label}: ${words.denominatorWords}`,
          value: (row) => (withheld(row) ? (denominatorOf(row, column.key) ?? withheldWords(withheld(row)!)) : (counts(row)?.denominator ?? null)),
        });
      }
    } else if (isPoints(column)) {
      layout.push({ label: column.label, value: (row) => shown(row, (r) => oneDecimal(r[column.key])) });
    } else {
      layout.push({ label: column.label, value: (row) => shown(row, (r) => r[column.key]) });
    }
  }
  const lines = [layout.map((entry) => cell(entry.label)).join(",")];
  for (const row of rows) lines.push(layout.map((entry) => cell(entry.value(row))).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
