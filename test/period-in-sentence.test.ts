/**
 * Trial 30b: Interventions' heading lowered the whole period label, "By type, 1 aug 2024 – 31 jul
 * 2027" (and "november 2026" for a month). Only a label starting with a common word is lowered.
 */
import { describe, expect, it } from "vitest";
import { periodInSentence } from "../app/lib/format.ts";

describe("a period's label inside a sentence", () => {
  it("lowers This, Last and Year; keeps months, terms, years and dates", () => {
    expect(["This week", "Last month", "Year to date", "This half term"].map(periodInSentence)).toEqual(["this week", "last month", "year to date", "this half term"]);
    expect(["November 2026", "Autumn 2026", "2026/27 to date", "2025/26", "1 Aug 2024 – 31 Jul 2027"].map(periodInSentence)).toEqual(["November 2026", "Autumn 2026", "2026/27 to date", "2025/26", "1 Aug 2024 – 31 Jul 2027"]);
  });
});
