/**
 * Display formats for packs (HTML, PDF and the sentences written from the data). They
 * follow the app's formats (app/lib/format.ts): one decimal, "—" for no figure, UK dates.
 * Duplicated here because analytics/ never imports app/.
 */
import { format, parseISO } from "date-fns";
import { enGB } from "date-fns/locale";
import type { Cell } from "./model.ts";
import { decimalsBesideLines, formatThreshold } from "../thresholds.ts";

export const NO_FIGURE = "—";

export function pct(value: number | null | undefined): string {
  return value === null || value === undefined || Number.isNaN(value) ? NO_FIGURE : `${value.toFixed(1)}%`;
}

export function points(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return NO_FIGURE;
  const rounded = Number(value.toFixed(1));
  const sign = rounded > 0 ? "+" : rounded < 0 ? "−" : "±";
  return `${sign}${Math.abs(rounded).toFixed(1)} pts`;
}

export function count(value: number): string {
  return value.toLocaleString("en-GB");
}

/** A sentence's first letter in capitals ("figures for groups …" → "Figures for groups …"). */
export function capitalise(words: string): string {
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function ukDate(iso: string, pattern = "d MMM yyyy"): string {
  return format(parseISO(iso), pattern, { locale: enGB });
}

/**
 * A pack's period as its cover, its first section and its workbook state it: the label and the
 * dates it runs between ("November 2026: 1 Nov 2026 to 30 Nov 2026"). A label that already
 * ends with its last date (a month not over: "December 2026 to 2 Dec 2026", slt.ts sltPeriods)
 * reads as the dates and the month so far, each date once: "1 Dec 2026 to 2 Dec 2026
 * (December 2026 so far)" — it read "December 2026 to 2 Dec 2026: 1 Dec 2026 to 2 Dec 2026".
 */
export function periodLine(label: string, period: { from: string; to: string }): string {
  const from = ukDate(period.from);
  const to = ukDate(period.to);
  const tail = ` to ${to}`;
  return label.endsWith(tail) ? `${from} to ${to} (${label.slice(0, -tail.length)} so far)` : `${label}: ${from} to ${to}`;
}

export function cellText(cell: Cell): string {
  switch (cell.kind) {
    case "text":
    case "suppressed":
    case "tag":
      return cell.text;
    case "count":
      return count(cell.value);
    case "pct":
      if (cell.value !== null && cell.lines !== undefined) return `${cell.value.toFixed(decimalsBesideLines(cell.value, cell.lines))}%`;
      return cell.setting && cell.value !== null ? formatThreshold(cell.value, 1) : pct(cell.value);
    case "points":
      return points(cell.value);
    case "date":
      return cell.month ? ukDate(cell.value, "MMM yyyy") : ukDate(cell.value);
  }
}

// Cell constructors keep builders short and readable.
export const text = (value: string): Cell => ({ kind: "text", text: value });
export const num = (value: number): Cell => ({ kind: "count", value });
export const rate = (value: number | null): Cell => ({ kind: "pct", value });
/** A policy threshold or target as a cell: a number in the workbook, printed as typed (95.25 → "95.25%"). */
export const settingRate = (value: number): Cell => ({ kind: "pct", value, setting: true });
/** A pupil's rate beside the school's attendance lines (percent): printed so it never reads as a line it is not on (model.ts Cell). */
export const rateBesideLines = (value: number | null, lines: readonly number[]): Cell => ({ kind: "pct", value, lines });
export const diff = (value: number | null): Cell => ({ kind: "points", value });
export const day = (value: string): Cell => ({ kind: "date", value });

/** Meets the target, unrounded (value ≥ target): the one comparison in analytics/thresholds.ts. */
export { meetsTarget } from "../thresholds.ts";
