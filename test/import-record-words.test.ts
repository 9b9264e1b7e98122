/**
 * An import record's counts say what they count and add up as printed (fresh-clone trial 50b: a
 * CTF's record, 3 pupils' 33 marks, read "Rows: 3 read: 0 new, 1 amended, 32 unchanged"); the
 * CLI says sessions with no mark in the Import page's words ("Skipped (no mark)"), where it had
 * said "3 sessions read but not stored".
 */
import { describe, expect, it } from "vitest";
import { importCountsWords } from "../analytics/import/record-words.ts";
import { skippedWords } from "../analytics/audit.ts";

const record = (kind: string, read: number, inserted: number, amended: number, unchanged: number) => ({
  kind,
  rows_read: read,
  rows_inserted: inserted,
  rows_amended: amended,
  rows_unchanged: unchanged,
});

describe("an import record's counts", () => {
  it("counts a CTF's marks as marks, beside the rows (pupils) read: 0 + 1 + 32 = 33", () => {
    expect(importCountsWords(record("marks", 3, 0, 1, 32))).toBe("3 rows read, 33 marks: 0 new, 1 amended, 32 unchanged");
  });

  it("says marks read where each row is one mark, and pupils for a pupils file", () => {
    expect(importCountsWords(record("marks", 40, 38, 2, 0))).toBe("40 marks read: 38 new, 2 amended, 0 unchanged");
    expect(importCountsWords(record("pupils", 1, 1, 0, 0))).toBe("1 pupil read: 1 new, 0 amended, 0 unchanged");
    // Blank cells skipped: fewer marks than rows, said as such.
    expect(importCountsWords(record("marks", 1, 1, 0, 0))).toBe("1 mark read: 1 new, 0 amended, 0 unchanged");
    expect(importCountsWords(record("marks", 12, 10, 0, 0))).toBe("12 rows read, 10 marks: 10 new, 0 amended, 0 unchanged");
    expect(importCountsWords(record("calendar", 2_400, 2_400, 0, 0))).toBe("2,400 rows read: 2,400 new, 0 amended, 0 unchanged");
  });
});

describe("sessions skipped", () => {
  it("are said in the Import page's words", () => {
    expect([skippedWords(1), skippedWords(3)]).toEqual(["1 session skipped (no mark)", "3 sessions skipped (no mark)"]);
  });
});
