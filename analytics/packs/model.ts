/**
 * The pack model: what a report pack says, independent of how it is shown. Builders
 * (slt.ts, fgb.ts) fill it from the analytics functions; renderers (html.ts, xlsx.ts) only
 * lay it out, so the screen, the PDF and the workbook always carry the same figures.
 * Everything in it is plain data (numbers, strings, ISO dates) so it crosses into a loader.
 */

export type PackKind = "slt" | "fgb";

/**
 * One table cell. Numbers keep full precision here; renderers round for display (one
 * decimal for percentages) while the workbook stores the exact value with a number format.
 */
export type Cell =
  | { kind: "text"; text: string }
  | { kind: "count"; value: number }
  /**
   * A percentage; `setting` marks a policy threshold or target, printed as the school typed it
   * (analytics/thresholds.ts formatThreshold), not to one decimal; `lines`, the school's attendance
   * lines beside a pupil's figure (a pupil in the band "90% to under 96%"), printed with as many
   * decimals as keep it from reading as a line it is not on (decimalsBesideLines: 95.97 %, not "96.0%").
   */
  | { kind: "pct"; value: number | null; setting?: true; lines?: readonly number[] }
  | { kind: "points"; value: number | null }
  /** A day (ISO); `month`: the month it begins, shown as one ("Sep 2026", a workbook's "mmm yyyy"). */
  | { kind: "date"; value: string; month?: true }
  /** A figure withheld to protect small groups; the text says why. */
  | { kind: "suppressed"; text: string }
  /** A status in words (colour only reinforces it). */
  | { kind: "tag"; text: string; tone: Tone };

export type Tone = "good" | "bad" | "warn" | "neutral";

export interface Column {
  label: string;
  numeric?: boolean;
  /** Printed on one line (a date, "Next review 7 Jul 2026"), so the row is not three lines tall. */
  nowrap?: boolean;
}

export interface PackTable {
  caption: string;
  columns: Column[];
  rows: Cell[][];
  /** Shown when there are no rows, instead of an empty table. */
  empty?: string;
  note?: string;
  /**
   * Why its withheld figures are withheld, when not the small-group rule (a governors' pack
   * says one or the other under every table with a withheld figure: withheld-notes.ts).
   */
  withheldWhy?: string;
}

export interface ChartSeries {
  name: string;
  values: Array<number | null>;
}

export interface ChartSpec {
  type: "bar" | "line";
  title: string;
  /** Names the axis in words, e.g. "Attendance (%)". */
  yLabel: string;
  categories: string[];
  /**
   * When the categories are weeks or months: each one's first day (ISO; a week's Monday, a
   * month's 1st), so a workbook's chart data holds dates, not their labels ("31 Aug" was text
   * beside the weekly sheet's dates: trial 28).
   */
  dates?: { first: string[]; unit: "week" | "month" };
  series: ChartSeries[];
  /** Drawn as a labelled dashed line. */
  target?: { value: number; label: string };
}

export interface Figure {
  label: string;
  value: Cell;
  /** Lines under the value, e.g. "0.4 pts below the 96.1 % target". */
  details: string[];
  /** A word-tag: "Above target" / "Below target". */
  status?: { text: string; tone: Tone };
}

export interface CommentaryEntry {
  body: string;
  author: string;
  role: string;
  updatedAt: string;
}

export type Block =
  | { kind: "figures"; items: Figure[] }
  | { kind: "table"; table: PackTable }
  | { kind: "chart"; chart: ChartSpec }
  | { kind: "paragraphs"; heading?: string; items: string[] }
  | { kind: "commentary"; heading: string; entry: CommentaryEntry | null };

export interface PackSection {
  id: string;
  title: string;
  /** Worksheet name in the workbook (at most 31 characters). */
  sheet: string;
  intro?: string;
  blocks: Block[];
  /** Printed straight after the previous section instead of on a new page (short sections). */
  runOn?: boolean;
}

export interface PackModel {
  kind: PackKind;
  title: string;
  schoolName: string;
  /**
   * What the pack covers: "March 2026", "Autumn 2026"; a month or term not over says where it
   * stops ("December 2026 to 1 Dec 2026", "Autumn 2026 to the end of Autumn 1").
   */
  periodLabel: string;
  /** The period part of the file name (analytics/packs/files.ts packFileName), saying the same. */
  fileKey: string;
  /** The month or term, and the academic year to date at its end. */
  period: { from: string; to: string };
  yearToDate: { from: string; to: string };
  /** The key the pack was asked for: '2026-03' or 'autumn-2026'. */
  periodKey: string;
  today: string;
  generatedAt: string;
  /** Who may see it: printed on the cover and in the workbook. */
  audience: string;
  /** Caveats about the data (e.g. the code change of August 2024). */
  notes: string[];
  sections: PackSection[];
  /**
   * The Appendix A tabs: weekly, termly and annual attendance to date. Only the workbook has
   * them; null in a model made for the PDF or the page (SltPackRequest.toDateTabs), which the
   * workbook refuses.
   */
  toDateTabs: Array<{ sheet: string; table: PackTable }> | null;
}
