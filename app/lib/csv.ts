/**
 * CSV text for the figures behind a chart (client-safe). Values are written as they came
 * from the loader (unrounded rates, ISO dates) so a download can be re-analysed exactly;
 * the header uses the column labels people see in the table.
 */
export interface CsvColumn {
  key: string;
  label: string;
}

function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  // Quote anything a spreadsheet could misread; a leading =, +, - or @ would run as a formula.
  const guarded = /^[=+\-@]/.test(text) && typeof value === "string" ? `'${text}` : text;
  return /[",\r\n]/.test(guarded) || guarded !== text ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

export function toCsv(rows: Array<Record<string, string | number | null>>, columns: CsvColumn[]): string {
  const lines = [columns.map((column) => cell(column.label)).join(",")];
  for (const row of rows) lines.push(columns.map((column) => cell(row[column.key])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
