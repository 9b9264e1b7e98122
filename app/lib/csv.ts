/**
 * CSV text for the figures behind a chart (client-safe). Values are written as they came
 * from the loader (unrounded rates, ISO dates) so a download can be re-analysed exactly;
 * the header uses the column labels people see in the table. Every field goes through
 * the shared formula neutraliser (analytics/cell-safety.ts, OWASP CSV injection).
 */
import { csvField } from "../../analytics/cell-safety.ts";

export interface CsvColumn {
  key: string;
  label: string;
}

export function toCsv(rows: Array<Record<string, string | number | null>>, columns: CsvColumn[]): string {
  const lines = [columns.map((column) => csvField(column.label)).join(",")];
  for (const row of rows) lines.push(columns.map((column) => csvField(row[column.key])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
