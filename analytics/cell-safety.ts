/**
 * Spreadsheet formula neutralising: the one function every CSV field and workbook cell
 * Rollcall writes goes through. Dependency-free and framework-free, so the browser's CSV
 * downloads (app/lib/csv.ts) use the very same code as the server's files.
 *
 * Source: OWASP, "CSV Injection" (https://owasp.org/www-community/attacks/CSV_Injection):
 * a text cell beginning with `=`, `+`, `-`, `@`, a tab (0x09) or a carriage return (0x0D)
 * may be run as a formula by Excel, LibreOffice or Google Sheets; prefix such a cell with
 * a single quote so it is read as text, and (in CSV) quote the field.
 *
 * Only text is neutralised. A number (a negative rate difference included) is written as
 * a number by its writer and stays one: it cannot carry a formula.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/** True when text, written as a cell, could be read as a formula. */
export function looksLikeFormula(text: string): boolean {
  return FORMULA_START.test(text);
}

/** Text made safe for a spreadsheet cell: `=HYPERLINK(…)` becomes `'=HYPERLINK(…)`; other text is unchanged. */
export function neutraliseFormula(text: string): string {
  return looksLikeFormula(text) ? `'${text}` : text;
}

/**
 * One CSV field (RFC 4180): empty for null/undefined, numbers and booleans as written by
 * String(), text neutralised and quoted when it holds a quote, comma or line break, or was
 * neutralised.
 */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value !== "string") return String(value);
  const safe = neutraliseFormula(value);
  return safe !== value || /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * A percentage or a gap in points as a CSV field: one decimal place, as printed on the pages
 * (issue 13, case 14: nobody reads `25.862068965517242`; the exact numerator and denominator
 * go beside it). Written as a number, so never neutralised (−2.3 is a figure, not a formula);
 * −0.0 is written 0.0. Empty for null, undefined or a non-finite value.
 */
export function csvDecimal(value: number | null | undefined, places = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "";
  const text = value.toFixed(places);
  return Number(text) === 0 ? (0).toFixed(places) : text;
}

/** One CSV line (no line end) from its fields. */
export function csvLine(values: ReadonlyArray<string | number | boolean | null | undefined>): string {
  return values.map(csvField).join(",");
}

/** The structural shape of an ExcelJS workbook this module needs (no ExcelJS import here). */
interface WorkbookLike {
  eachSheet(callback: (sheet: SheetLike) => void): void;
}
interface SheetLike {
  eachRow(options: { includeEmpty: boolean }, callback: (row: RowLike) => void): void;
}
interface RowLike {
  eachCell(options: { includeEmpty: boolean }, callback: (cell: CellLike) => void): void;
}
interface CellLike {
  value: unknown;
}

/**
 * Neutralises every text cell of an ExcelJS workbook in place, just before it is written:
 * plain strings, rich text runs and hyperlink texts. Numbers, dates, booleans and formulas
 * Rollcall itself wrote are left alone (Rollcall writes no formulas). Returns how many
 * cells were changed.
 */
export function neutraliseWorkbook(workbook: WorkbookLike): number {
  let changed = 0;
  workbook.eachSheet((sheet) =>
    sheet.eachRow({ includeEmpty: false }, (row) =>
      row.eachCell({ includeEmpty: false }, (cell) => {
        const value = cell.value;
        if (typeof value === "string") {
          if (looksLikeFormula(value)) {
            cell.value = neutraliseFormula(value);
            changed++;
          }
        } else if (value && typeof value === "object") {
          const v = value as { richText?: Array<{ text: string }>; text?: unknown; hyperlink?: unknown };
          if (Array.isArray(v.richText) && v.richText.length > 0 && looksLikeFormula(v.richText[0].text)) {
            cell.value = { ...v, richText: [{ ...v.richText[0], text: neutraliseFormula(v.richText[0].text) }, ...v.richText.slice(1)] };
            changed++;
          } else if (typeof v.text === "string" && typeof v.hyperlink === "string" && looksLikeFormula(v.text)) {
            cell.value = { ...v, text: neutraliseFormula(v.text) };
            changed++;
          }
        }
      }),
    ),
  );
  return changed;
}
