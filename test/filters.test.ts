/**
 * The view in the URL: readFilters and filtersToSearch are inverses for valid views, and
 * anything invalid or unknown is dropped so a stale bookmark still opens a sensible page.
 */
import { describe, expect, it } from "vitest";
import {
  describePupilFilters,
  drillDownHref,
  filtersToSearch,
  hasPupilFilters,
  pupilFilterOf,
  readFilters,
  type ViewFilters,
} from "../app/lib/filters.ts";

describe("readFilters / filtersToSearch", () => {
  it("defaults to the year to date with no filters", () => {
    expect(readFilters(new URLSearchParams())).toEqual({ period: "ytd" });
    expect(filtersToSearch({ period: "ytd" }).toString()).toBe("period=ytd");
  });

  it("round-trips a view with every field set", () => {
    const view: ViewFilters = {
      period: "custom",
      from: "2026-09-01",
      to: "2026-10-23",
      year: "2025/26",
      year_group: "5",
      reg_group: "5B",
      sen: "K",
      fsm: "Y",
      eal: "N",
      lac: "Y",
      sex: "F",
      ethnicity: "WBRI",
    };
    const search = filtersToSearch(view);
    expect(search.toString()).toBe(
      "period=custom&from=2026-09-01&to=2026-10-23&year=2025%2F26&year_group=5&reg_group=5B&sen=K&fsm=Y&eal=N&lac=Y&sex=F&ethnicity=WBRI",
    );
    expect(readFilters(new URLSearchParams(search.toString()))).toEqual(view);
  });

  it("round-trips each period name", () => {
    for (const period of ["this-week", "last-week", "this-month", "last-month", "half-term", "term", "ytd", "academic-year", "custom"] as const) {
      expect(readFilters(filtersToSearch({ period }))).toEqual({ period });
    }
  });

  it("omits empty values", () => {
    const search = filtersToSearch({ period: "term", year_group: "", sen: undefined, fsm: "N" });
    expect(search.toString()).toBe("period=term&fsm=N");
    expect(readFilters(new URLSearchParams("period=term&year_group=&sen=&fsm=N"))).toEqual({ period: "term", fsm: "N" });
  });

  it("ignores unknown parameters and invalid values", () => {
    const filters = readFilters(
      new URLSearchParams({
        period: "fortnight",
        from: "2026-02-30",
        to: "23/11/2026",
        year: "2025/27",
        sen: "X",
        fsm: "yes",
        eal: "y",
        lac: "maybe",
        sex: "Q",
        year_group: "'; DROP TABLE marks; --",
        reg_group: "<script>",
        ethnicity: "W".repeat(60),
        colour: "red",
      }),
    );
    expect(filters).toEqual({ period: "ytd" });
  });

  it("keeps valid values next to invalid ones", () => {
    expect(readFilters(new URLSearchParams("period=academic-year&year=2024/25&sen=E&sex=Z&ethnicity=MWBC"))).toEqual({
      period: "academic-year",
      year: "2024/25",
      sen: "E",
      ethnicity: "MWBC",
    });
  });
});

describe("pupil filters", () => {
  it("extracts only the pupil characteristics, and says them in words", () => {
    const filters: ViewFilters = { period: "custom", from: "2026-09-01", to: "2026-09-30", year_group: "4", sen: "K", lac: "Y" };
    expect(pupilFilterOf(filters)).toEqual({ year_group: "4", sen: "K", lac: "Y" });
    expect(hasPupilFilters(filters)).toBe(true);
    expect(hasPupilFilters({ period: "ytd", year: "2025/26" })).toBe(false);
    expect(describePupilFilters(filters)).toBe("Year 4, SEN support, Looked after");
  });
});

describe("drillDownHref", () => {
  const view: ViewFilters = { period: "term", fsm: "Y" };

  it("turns a pupil dimension into a filter of the Pupils page", () => {
    expect(drillDownHref(view, { by: "sen", value: "E" })).toBe("/pupils?period=term&fsm=Y&sen=E");
    // A drill on a dimension already filtered replaces it rather than duplicating it.
    expect(drillDownHref(view, { by: "fsm", value: "N" })).toBe("/pupils?period=term&fsm=N");
  });

  it("turns a session dimension into a slice", () => {
    const href = drillDownHref(view, { by: "weekday", value: "Friday" });
    expect(href).toBe("/pupils?period=term&fsm=Y&drill=weekday%3AFriday");
    expect(new URLSearchParams(href.split("?")[1]).get("drill")).toBe("weekday:Friday");
  });
});
