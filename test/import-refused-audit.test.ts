/**
 * The audit trail's row of a refused web import names every fault the refusal listed, not only
 * the first (trial 25: a file with two faults was audited with one), up to ten after the first,
 * and counts the rest (app/lib/import.server.ts refusalAuditDetail).
 */
import { describe, expect, it } from "vitest";
import { refusalAuditDetail, type RefusalLine } from "../app/lib/import.server.ts";

const fault = (line: number): RefusalLine => ({ file: "marks.csv", line, column: 3, place: `line ${line}, column 3`, reason: `"Q" is not an attendance code` });
const first = 'marks.csv, line 2, column 3: "Q" is not an attendance code';

describe("a refused import on the audit trail", () => {
  it("names the second fault after the first", () => {
    expect(refusalAuditDetail({ ok: false, message: first, errors: [fault(2), fault(5)], total: 2 })).toBe(
      `${first} Also: marks.csv, line 5, column 3: "Q" is not an attendance code.`,
    );
  });

  it("names ten after the first and counts the rest (60 faults, 13 listed by the refusal)", () => {
    const errors = Array.from({ length: 13 }, (_, i) => fault(i + 2));
    const detail = refusalAuditDetail({ ok: false, message: first, errors, total: 60 });
    expect(detail.match(/marks\.csv, line \d+/g)).toHaveLength(11);
    expect(detail).toContain("line 12, column 3");
    expect(detail).not.toContain("line 13, column 3");
    expect(detail.endsWith("; and 49 more.")).toBe(true);
  });

  it("a refusal of one fault, or of the file itself, is its message alone", () => {
    expect(refusalAuditDetail({ ok: false, message: first, errors: [fault(2)], total: 1 })).toBe(first);
    expect(refusalAuditDetail({ ok: false, message: "empty.csv, line 1, column 1: the file is empty" })).toBe("empty.csv, line 1, column 1: the file is empty");
  });
});
