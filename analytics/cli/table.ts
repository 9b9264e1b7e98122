/** Plain-text table for CLI output without --json; percentages to two decimals. */
export function formatTable(rows: ReadonlyArray<object>): string {
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
  const line = (values: string[]) => values.map((v, i) => v.padStart(widths[i])).join("  ");
  return [line(columns), ...cells.map(line)].join("\n");
}
