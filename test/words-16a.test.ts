/**
 * Trial 16a's words: "a academic year" on Trends; "R" on Year groups & classes but "Reception"
 * in the pack's spreadsheet. One article rule and one year-group label for every page, pack
 * and download.
 */
import { describe, expect, it } from "vitest";
import { articleFor, withArticle } from "../analytics/article.ts";
import { yearGroupWords } from "../analytics/year-group-words.ts";
import { yearGroupLabel } from "../analytics/packs/sections.ts";
import { describeFilterValue } from "../app/lib/filters.ts";
import { GRAIN_LABELS } from "../app/lib/grain.ts";

describe("a or an", () => {
  it("reads the word's first sound", () => {
    expect(withArticle(GRAIN_LABELS.academic_year.toLowerCase())).toBe("an academic year");
    expect(withArticle(GRAIN_LABELS.half_term.toLowerCase())).toBe("a half term");
    expect(withArticle("ethnicity")).toBe("an ethnicity");
    expect(withArticle("FSM status")).toBe("an FSM status");
    expect(withArticle("UPN")).toBe("a UPN");
    expect(articleFor("unit")).toBe("a");
    expect(articleFor("year group")).toBe("a");
    expect(articleFor("EAL")).toBe("an");
  });
});

describe("one label for a year group", () => {
  it("is the same on the pages (filters) and in the packs", () => {
    for (const value of ["R", "N1", "N2", "1", "6", "13"]) {
      expect(describeFilterValue("year_group", value)).toBe(yearGroupWords(value));
      expect(yearGroupLabel(value)).toBe(yearGroupWords(value));
    }
    expect(yearGroupWords("R")).toBe("Reception");
    expect(yearGroupWords("N2")).toBe("Nursery 2");
    expect(yearGroupWords("4")).toBe("Year 4");
  });
});

import { changePopulationWords, lastYearGroupWords } from "../analytics/population-words.ts";

describe("what a 'what changed' comparison compares (trial 16a)", () => {
  const summer2 = { from: "2026-06-08", to: "2026-07-21", label: "Summer 2 2026" };
  const autumn1 = { from: "2026-09-03", to: "2026-10-23", label: "Autumn 1 2026" };
  const autumn2 = { from: "2026-11-02", to: "2026-12-18", label: "Autumn 2 2026" };
  it("across 1 August a year group is different pupils, and says so", () => {
    const w = changePopulationWords(summer2, autumn1, { year_group: "3" });
    expect(w.samePupils).toBe(false);
    expect(w.words).toBe(
      "Year 3 in Summer 2 2026 and Year 3 in Autumn 1 2026 are different pupils: the two periods are in different academic years, and pupils move up a year each September. This compares the group, not the same children.",
    );
    expect(changePopulationWords(summer2, autumn1, { reg_group: "3A" }).words).toMatch(/^Class 3A in Summer 2 2026 and Class 3A in Autumn 1 2026 are different pupils/);
    expect(changePopulationWords(summer2, autumn1, {}).words).toMatch(/the oldest year group left in the summer and a new intake joined/);
    // A characteristic's pupils (trial 29: a governor's ethnicity=APKN read "This compares the school").
    expect(changePopulationWords(summer2, autumn1, { characteristic: true }).words).toBe(
      "Summer 2 2026 and Autumn 1 2026 are in different academic years, so the pupils this filter chooses differ: the oldest year group left in the summer and a new intake joined in September. This compares the group, not the same children.",
    );
  });
  it("within one academic year: the same pupils, bar joiners and leavers", () => {
    expect(changePopulationWords(autumn1, autumn2, { year_group: "3" })).toEqual({
      samePupils: true,
      words: "Both periods are in one academic year, so they are the same pupils, except any who joined or left between them.",
    });
  });
});

describe("the same period last year under a year-group filter", () => {
  it("says it is other pupils", () => {
    expect(lastYearGroupWords({ year_group: "3" })).toBe(
      "Last year's Year 3 are other pupils than this year's (pupils move up a year each September): the comparison is of the group, not the same children.",
    );
    expect(lastYearGroupWords({})).toBeNull();
  });
});
