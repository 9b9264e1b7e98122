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
