/**
 * Break test (session 15): the Audit page's from= and to= typed by hand. `to=9999-12-31`
 * made a next day of year 10000 that DuckDB cannot read: a 500 (Conversion Error); and
 * `from=2026-02-30` was taken as a date (Date.parse reads it as 2 March), silently moved.
 * Both are now named as not dates, as other bad values are.
 */
import { describe, expect, it } from "vitest";
import { auditQueryFromSearch } from "../analytics/audit.ts";

describe("audit dates typed by hand", () => {
  it("a day that does not exist is not a date", () => {
    const { filter, problems } = auditQueryFromSearch(new URLSearchParams("from=2026-02-30&to=2026-03-01"));
    expect(filter.from).toBeNull();
    expect(problems).toEqual(['"2026-02-30" is not a date (YYYY-MM-DD)']);
  });
  it("the last day of year 9999 is named, not passed to DuckDB", () => {
    const { filter, problems } = auditQueryFromSearch(new URLSearchParams("from=0001-01-01&to=9999-12-31"));
    expect(filter).toMatchObject({ from: null, to: null });
    expect(problems).toHaveLength(2);
  });
  it("ordinary dates are kept", () => {
    expect(auditQueryFromSearch(new URLSearchParams("from=2026-09-01&to=2026-11-23")).filter).toMatchObject({ from: "2026-09-01", to: "2026-11-23" });
  });
});

describe("the audit page's page number", () => {
  it("is digits only, and one that is not is named (trial 25b: page=1e3 was read as page 1,000, page=abc as page 1 without a word)", () => {
    for (const raw of ["1e3", "abc", "-2", "2.5"]) {
      const { page, problems } = auditQueryFromSearch(new URLSearchParams(`page=${raw}`));
      expect(page).toBe(1);
      expect(problems).toEqual([`"${raw}" is not a page number such as 2`]);
    }
    expect(auditQueryFromSearch(new URLSearchParams("page=3"))).toMatchObject({ page: 3, problems: [] });
    expect(auditQueryFromSearch(new URLSearchParams(""))).toMatchObject({ page: 1, problems: [] });
  });
});
