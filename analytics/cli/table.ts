/**
 * Plain-text table for CLI output without --json; percentages to two decimals. Columns are
 * right-aligned (figures), but those named in `left` (words, such as a code's meaning).
 */
export function formatTable(rows: ReadonlyArray<object>, options: { left?: readonly string[] } = {}): string {
  if (rows.length === 0) return "(no rows)";
  const columns = Object.keys(rows[0]);
  const records = rows as ReadonlyArray<Record<string, unknown>>;
  const cell = (key: string, value: unknown) => {
    if (value === null || value === undefined) return "—";
    if (typeof value === "number" && key.endsWith("_pct")) return value.toFixed(2);
    return String(value);
  };
  const cells = records.map((row) => columns.map((key) => cell(key, row[key])));
  const widths = columns.map((key, i) => Math.max(key.length, ...cells.map((r) => r[i].length)));
  const left = columns.map((key) => options.left?.includes(key) ?? false);
  const line = (values: string[]) => values.map((v, i) => (left[i] ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join("  ").trimEnd();
  return [line(columns), ...cells.map(line)].join("\n");
}
