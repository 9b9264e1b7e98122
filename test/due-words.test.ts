/**
 * A step's due words name each date once (analytics/due-words.ts; fresh-clone trial 50: "due by
 * 14 Dec · Due as of 7 Dec · Due from 7 Dec" on a step the register first showed on the day viewed).
 */
import { describe, expect, it } from "vitest";
import { DUE_BY_UNKNOWN, shownLateWords, unknownDueBy } from "../analytics/due-words.ts";

const fmt = (iso: string) => iso.slice(5);

describe("shownLateWords", () => {
  const step = { due_from: "2026-12-07", shown_late: { met_on: "2026-10-14", rule: "line" as const } };

  it("says the day due from when it is not today", () => {
    expect(shownLateWords(step, fmt, "2026-12-09")).toBe("Due from 12-07, when the register first showed it; the line was crossed on 10-14.");
    expect(shownLateWords(step, fmt)).toBe("Due from 12-07, when the register first showed it; the line was crossed on 10-14.");
  });

  it("says today rather than today's date again (never 'that day', read as the due-by date before it: trial 50b)", () => {
    expect(shownLateWords(step, fmt, "2026-12-07")).toBe("Due from today, when the register first showed it; the line was crossed on 10-14.");
    expect(shownLateWords({ ...step, shown_late: { met_on: "2026-10-10", rule: "threshold" } }, fmt, "2026-12-07")).toBe(
      "Due from today, when the register first showed it; the penalty-notice threshold was met on 10-10.",
    );
  });
});

describe("unknownDueBy (the Casework page's, its CSV's and the SLT pack's words for a missing due-by)", () => {
  it("says the date is not known yet for a step due or not yet due without one, and nothing otherwise", () => {
    expect(unknownDueBy({ status: "due", due_by: null })).toBe(DUE_BY_UNKNOWN);
    // Review 50: a step not yet due as of a past date printed nothing (the page "—").
    expect(unknownDueBy({ status: "not yet due", due_by: null })).toBe(DUE_BY_UNKNOWN);
    expect(unknownDueBy({ status: "not yet due", due_by: "2026-12-14" })).toBeNull();
    expect(unknownDueBy({ status: "if no improvement", due_by: null })).toBeNull();
    expect(unknownDueBy({ status: null, due_by: null })).toBeNull();
  });
});
