/**
 * The casework lists' CSV (client-safe columns, used by routes/casework[.]csv.tsx): every
 * pupil of every list asked for, rates (attendance or absence, year to date) to one decimal
 * (an attendance under its list's threshold to as many as keep it off the line) beside their counts (app/lib/csv.ts), other rules' figures (days, sessions, marks) as they are.
 */
import type { CaseworkLadder, CaseworkList } from "../../analytics/casework/lists.ts";
import { toCsv, type CsvColumn, type CsvRow } from "./csv";
import { shownLateWords, unknownDueBy } from "../../analytics/due-words.ts";
import { decimalsBesideLines } from "../../analytics/thresholds.ts";

/** A pupil's attendance never reads as one of the school's lines it is not on (95.97, not 96.0, below 96 %): the decimals its row carries. */
const besideLines = (row: CsvRow): number => (typeof row.attendance_decimals === "number" ? row.attendance_decimals : 1);

const CSV_COLUMNS: CsvColumn[] = [
  { key: "rule", label: "Rule" },
  { key: "upn", label: "UPN" },
  { key: "surname", label: "Surname" },
  { key: "forename", label: "Forename" },
  { key: "year_group", label: "Year group" },
  { key: "reg_group", label: "Class" },
  { key: "attendance_pct", label: "Attendance", format: "pct", decimals: besideLines },
  { key: "absence_pct", label: "Absence", format: "pct" },
  { key: "value", label: "Value (days, sessions or marks)" },
  { key: "since", label: "Since" },
  { key: "stage", label: "Stage" },
  { key: "stage_date", label: "Stage recorded" },
  { key: "next", label: "Next step" },
  { key: "due_by", label: "Due by" },
  { key: "improvement_by", label: "If no improvement by" },
  { key: "status", label: "Status" },
  { key: "review_by", label: "Next review" },
  { key: "action_due", label: "List's action due" },
  // A step dated from the day the register first showed its rule met (an amendment made later:
  // "not yet due" in a view of a past date), in the page's words.
  { key: "shown_late", label: "Why due from later" },
  // The register stopping before the as-of date ("Marks imported up to …; the N school days
  // since have none yet — …"), on every row, as the page and packs say it; empty when it does not.
  { key: "register", label: "Register" },
];

const NO_LADDER: CaseworkLadder = { stage: null, stage_date: null, next: null, due_by: null, improvement_by: null, status: null, review_by: null };

/** `registerNotice`: analytics/unmarked-days.ts marksImported's words for the lists' year to the as-of date, or null. */
export function caseworkCsv(lists: CaseworkList[], registerNotice: string | null = null): { csv: string; rows: number } {
  const records = lists.flatMap((list) =>
    list.pupils.map((p) => {
      const rate = list.unit === "percent" ? (list.valueLabel === "Attendance" ? "attendance_pct" : "absence_pct") : null;
      return {
        rule: list.rule,
        upn: p.upn,
        surname: p.surname,
        forename: p.forename,
        year_group: p.year_group,
        reg_group: p.reg_group,
        ...(rate ? { [rate]: p.value, ...(p.counts ?? {}) } : { value: p.value }),
        since: p.since,
        ...(p.ladder ?? NO_LADDER),
        // A step due whose date the calendar cannot give yet says so (the page's words).
        due_by: p.ladder?.due_by ?? (p.ladder ? unknownDueBy(p.ladder) : null),
        shown_late: shownLateWords(p.ladder, (iso) => iso),
        // The list's own action's date where it is not a ladder step (the page's words).
        action_due: list.due,
        register: registerNotice,
        // Not a column: the attendance's decimals beside the school's lines (CaseworkList.lines).
        attendance_decimals: rate === "attendance_pct" && list.lines ? decimalsBesideLines(p.value, list.lines) : 1,
      };
    }),
  );
  return { csv: toCsv(records, CSV_COLUMNS), rows: records.length };
}
