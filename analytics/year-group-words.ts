/**
 * A year group in words, the same on every page, pack, workbook and download: "Year 5",
 * "Reception", "Nursery 1", "Nursery 2" (the stored value is the census's: 1–13, R, N1, N2).
 * Trial 16a: "R" on Year groups & classes, "Reception" in the pack's spreadsheet. A value
 * outside those is printed as stored. Pure and client-safe.
 */
export function yearGroupWords(value: string): string {
  if (/^\d+$/.test(value)) return `Year ${value}`;
  if (value === "R") return "Reception";
  if (value === "N1" || value === "N2") return `Nursery ${value.slice(1)}`;
  return value;
}
