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
  readDrillParam,
  readFilters,
  unknownFilterWords,
  unreadValues,
  unreadWords,
  type ViewFilters,
  navSearch,
} from "../app/lib/filters.ts";
import { benchmarkYear } from "../app/lib/benchmark-year.ts";
import { academicYearKey } from "../analytics/period-names.ts";
import { optionalAcademicYear } from "../analytics/cli/args.ts";

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

describe("unreadValues: what the address asked for and readFilters could not use", () => {
  it("lists each dropped value with what such a value looks like, and nothing for a valid view", () => {
    expect(unreadValues(filtersToSearch({ period: "custom", from: "2026-09-01", to: "2026-10-23", sen: "K", year_group: "5" }))).toEqual([]);
    const unread = unreadValues(new URLSearchParams("period=half&year=2025-27&from=2026-02-30&term=autumn2025&sen=X&lac=&year_group=<b>"));
    expect(unread.map((item) => [item.name, item.value])).toEqual([
      ["period", "half"],
      ["from", "2026-02-30"],
      ["year", "2025-27"],
      ["term", "autumn2025"],
      ["year_group", "<b>"],
      ["sen", "X"],
    ]);
    expect(unreadWords(unread.slice(2, 3))).toBe('year "2025-27" (expected an academic year such as 2025/26 or 2025-26)');
    expect(unreadWords(unread.slice(5))).toBe('sen "X" (expected E for an EHC plan, K for SEN support or N for none)');
  });
});

describe("an academic year in an address or a flag: 2025/26 or 2025-26 (trial 26)", () => {
  it("academicYearKey reads both spellings as 2025/26, and no other", () => {
    expect(academicYearKey("2025/26")).toBe("2025/26");
    expect(academicYearKey(" 2025-26 ")).toBe("2025/26");
    expect(academicYearKey("1999-00")).toBe("1999/00");
    for (const bad of ["2025-27", "2025/2026", "2025_26", "25/26", ""]) expect([bad, academicYearKey(bad)]).toEqual([bad, null]);
  });

  it("the views read year=2025-26 as 2025/26 and say nothing; 2025-27 is said", () => {
    const search = new URLSearchParams("period=academic-year&year=2025-26");
    expect(readFilters(search)).toEqual({ period: "academic-year", year: "2025/26" });
    expect(unreadValues(search)).toEqual([]);
    expect(unreadValues(new URLSearchParams("period=academic-year&year=2025-27")).map((u) => u.name)).toEqual(["year"]);
    expect(benchmarkYear(new URLSearchParams("year=2024-25"))).toEqual({ year: "2024/25", notice: null });
  });

  it("the CLI's --year reads both, and refuses another in a sentence", () => {
    expect(optionalAcademicYear("2025-26", "--year")).toBe("2025/26");
    expect(optionalAcademicYear("2025/26", "--year")).toBe("2025/26");
    expect(optionalAcademicYear(undefined, "--year")).toBeUndefined();
    expect(() => optionalAcademicYear("2025-27", "--year")).toThrow('--year must be an academic year such as 2025/26 or 2025-26 (got "2025-27")');
  });
});

describe("benchmarkYear: the year Benchmarks opens on", () => {
  const year = (query: string) => benchmarkYear(new URLSearchParams(query));
  it("takes year= as given, and says so when it cannot be read", () => {
    expect(year("year=2024/25")).toEqual({ year: "2024/25", notice: null });
    expect(year("year=2025-27").year).toBeNull();
    expect(year("year=2025-27").notice).toContain('year "2025-27"');
  });
  it("opens the academic year holding a term, half term or custom range carried from another page", () => {
    expect(year("period=term&term=autumn-2024").year).toBe("2024/25");
    expect(year("period=term&term=spring-2025").year).toBe("2024/25");
    expect(year("period=half-term&half=summer-2-2026").year).toBe("2025/26");
    expect(year("period=custom&from=2025-07-01&to=2025-09-30").year).toBe("2025/26");
    expect(year("period=term&term=autumn-2024").notice).toContain("(Autumn 2024), with its groups over Autumn 2024");
    // Groups over the term chosen, or the term holding the half term chosen.
    expect(year("period=term&term=spring-2025").groups).toBe("spring-2025");
    expect(year("period=half-term&half=summer-2-2026").groups).toBe("summer-2026");
    expect(year("period=custom&from=2025-07-01&to=2025-09-30").groups).toBeNull();
  });
  it("keeps the default, without a word, for the year to date and no period", () => {
    expect(year("")).toEqual({ year: null, notice: null });
    expect(year("period=ytd")).toEqual({ year: null, notice: null });
    expect(year("period=this-week").year).toBeNull();
    expect(year("period=half").notice).toContain('period "half"');
  });
});

describe("readDrillParam: a drill-down's value is one its breakdown can give, or is named", () => {
  const drill = (value: string) => readDrillParam(new URLSearchParams({ drill: value }), ["/", "U", "#"]);
  it("reads what drillDownHref writes", () => {
    expect(drill("weekday:Friday")).toEqual({ by: "weekday", value: "Friday" });
    expect(drill("session:PM")).toEqual({ by: "session", value: "PM" });
    expect(drill("date:2026-10-05")).toEqual({ by: "date", value: "2026-10-05" });
    expect(drill("week:2026-10-05")).toEqual({ by: "week", value: "2026-10-05" });
    expect(drill("month:2026-10")).toEqual({ by: "month", value: "2026-10" });
    expect(drill("half_term:autumn-1-2026")).toEqual({ by: "half_term", value: "autumn-1-2026" });
    expect(drill("term:autumn-2026")).toEqual({ by: "term", value: "autumn-2026" });
    expect(drill("academic_year:2025/26")).toEqual({ by: "academic_year", value: "2025/26" });
    expect(drill("year_group:5")).toEqual({ by: "year_group", value: "5" });
    expect(drill("code:U")).toEqual({ by: "code", value: "U" });
    expect(readDrillParam(new URLSearchParams(""), [])).toBeNull();
  });
  it("names a value that is no weekday, session, date or week, with what one looks like (was applied silently)", () => {
    expect(drill("weekday:Funday")).toEqual({ unread: { name: "drill", value: "weekday:Funday", expected: "a school day: weekday:Monday, weekday:Tuesday, weekday:Wednesday, weekday:Thursday, weekday:Friday" } });
    expect(drill("weekday:Saturday")).toMatchObject({ unread: { value: "weekday:Saturday" } });
    expect(drill("session:XM")).toEqual({ unread: { name: "drill", value: "session:XM", expected: "session:AM or session:PM" } });
    expect(drill("date:2026-02-30")).toMatchObject({ unread: { expected: "a date such as date:2026-10-05" } });
    expect(drill("week:2026-10-06")).toMatchObject({ unread: { expected: "the Monday a week begins, such as week:2026-10-05" } });
    expect(drill("month:2026-13")).toMatchObject({ unread: { name: "drill" } });
    expect(drill("sen:Q")).toEqual({ unread: { name: "drill", value: "sen:Q", expected: "sen: E for an EHC plan, K for SEN support or N for none" } });
    expect(drill("code:QQ")).toMatchObject({ unread: { expected: "a register code such as code:U" } });
    expect(drill("colour:red")).toMatchObject({ unread: { expected: "a breakdown and its value, such as weekday:Friday, month:2026-10 or year_group:5" } });
    expect(drill("Friday")).toMatchObject({ unread: { value: "Friday" } });
  });
});

describe("unreadValues for a governor: a period is expected as one of the governor's", () => {
  it("lists half-term, term, ytd and academic-year only", () => {
    const search = new URLSearchParams({ period: "half" });
    expect(unreadValues(search, { governor: true })).toEqual([{ name: "period", value: "half", expected: "one of half-term, term, ytd, academic-year" }]);
    expect(unreadValues(search)[0].expected).toBe("one of this-week, last-week, this-month, last-month, half-term, term, ytd, academic-year, custom");
    expect(benchmarkYear(search, { governor: true }).notice).toBe('Not understood in the address: period "half" (expected one of half-term, term, ytd, academic-year). Showing the latest year instead.');
  });
});

describe("a filter value no pupil of the school has", () => {
  it("lists the school's values when few, and counts them when many (trial19b: 'the school's: 14 of them')", () => {
    const ethnicities = ["WBRI", "WIRI", "WOTH", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN", "AOTH", "BCRB", "BAFR", "CHNE"];
    expect(unknownFilterWords({ ethnicity: "XXXX" }, { yearGroups: [], regGroups: [], ethnicities })).toBe(
      'Ethnicity "XXXX": no pupil of the school has one (the school\'s: 14 recorded, in the picker), so no pupil is shown.',
    );
    expect(unknownFilterWords({ year_group: "99" }, { yearGroups: ["3", "4"], regGroups: [], ethnicities })).toBe('Year group "Year 99": no pupil of the school has one (the school\'s: Year 3, Year 4), so no pupil is shown.');
  });
});

describe("the section links' query (navSearch)", () => {
  it("carries the period and pupil filters only: never a page's own parameters (a trial: the Account page's links carried ?redirectTo=)", () => {
    expect(navSearch("?redirectTo=%2Fpupils")).toBe("");
    expect(navSearch("?period=ytd&sort=name&fsm=Y&page=2&drill=weekday%3AFriday&q=amy&year_group=")).toBe("?period=ytd&fsm=Y");
    expect(navSearch("?period=custom&from=2025-09-01&to=2025-10-17&reg_group=5A")).toBe("?period=custom&from=2025-09-01&to=2025-10-17&reg_group=5A");
    expect(navSearch("")).toBe("");
  });
});
