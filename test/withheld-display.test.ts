/**
 * A figure withheld from governors is shown as withheld — never as a blank, "no data" or 0 —
 * in the CSV of every chart, and bars start at zero (issue 13, "charts and lists that do not
 * mislead"). The chart drawings themselves are checked in test/browser/withheld-display.test.ts.
 */
import { describe, expect, it } from "vitest";
import { axisCutWords, pctDomain, zeroBasedAxis } from "../app/components/Charts.tsx";
import { countsOf, toCsv } from "../app/lib/csv.ts";
import { withheldBecause, withheldKey, withheldMarks, withheldReason, withheldWords } from "../app/lib/withheld.ts";
import { WITHHELD_TEXT } from "../analytics/suppression.ts";
import { WITHIN_CLASS_TEXT } from "../analytics/governor-lattice.ts";

const parse = (csv: string) => csv.trim().split("\r\n").map((line) => line.split(","));

describe("withheld figures in chart CSVs", () => {
  const columns = [
    { key: "label", label: "Group" },
    { key: "pupils", label: "Pupils", format: "count" },
    { key: "absence_pct", label: "Absence rate", format: "pct" },
    { key: "pa_pct", label: "Persistent absence rate", format: "pct" },
  ];
  const shown = { label: "Boys", withheld: null, pupils: 122, absence_pct: 3.7, pa_pct: 9.0, ...countsOf("", { pupils: 122, possible_sessions: 12000, present_sessions: 11556, aea_sessions: 0, authorised_sessions: 344, unauthorised_sessions: 100, pa_pupils: 11 }) };
  // The whole row withheld: the server sends no figures (null), and the reason.
  const wholeRow = { label: "Looked after", withheld: WITHHELD_TEXT, pupils: null, absence_pct: null, pa_pct: null };
  // Only persistent absence withheld: its rate and count are null, marked with the reason.
  const paOnly = {
    label: "EHC plan",
    withheld: null,
    pupils: 8,
    absence_pct: 9.8,
    pa_pct: null,
    ...withheldMarks(["pa_pct", "pa_pupils"], WITHHELD_TEXT),
    ...countsOf("", { pupils: 8, possible_sessions: 1060, present_sessions: 956, aea_sessions: 0, authorised_sessions: 80, unauthorised_sessions: 24 }),
  };

  it("writes every figure of a withheld row as withheld — not an empty cell", () => {
    const [header, , row] = parse(toCsv([shown, wholeRow], columns));
    expect(row[0]).toBe("Looked after");
    const cells = Object.fromEntries(header.map((label, i) => [label, row[i]]));
    for (const label of header.slice(1)) expect(cells[label], label).toBe("withheld");
  });

  it("writes a withheld rate and its numerator as withheld, its published denominator as a figure", () => {
    const [header, boys, ehc] = parse(toCsv([shown, paOnly], columns));
    const cell = (row: string[], label: string) => row[header.indexOf(label)];
    expect(cell(ehc, "Persistent absence rate %")).toBe("withheld");
    expect(cell(ehc, "Persistent absence rate: pupils persistently absent")).toBe("withheld");
    expect(cell(ehc, "Persistent absence rate: pupils")).toBe("8");
    // The shown figures beside it are unchanged.
    expect(cell(ehc, "Absence rate %")).toBe("9.8");
    expect(cell(boys, "Persistent absence rate %")).toBe("9.0");
    expect(cell(boys, "Persistent absence rate: pupils persistently absent")).toBe("11");
    expect(ehc.every((value) => value !== "" && value !== "0")).toBe(true);
  });

  it("keeps a row's label a label, and reads a figure's own mark before the row's", () => {
    expect(withheldReason(wholeRow, "label", false)).toBeNull();
    expect(withheldReason(wholeRow, "pupils")).toBe(WITHHELD_TEXT);
    expect(withheldReason(paOnly, "pa_pct")).toBe(WITHHELD_TEXT);
    expect(withheldReason(paOnly, "absence_pct")).toBeNull();
    expect(withheldKey("pa_pct")).toBe("pa_pct__withheld");
    // One word for every withheld figure, whatever withheld it: "fewer than 5" and "withheld (so
    // that a small group elsewhere cannot be worked out)" told a reader which was small.
    expect(WITHHELD_TEXT).toBe("withheld");
    expect(withheldWords(WITHHELD_TEXT)).toBe("withheld");
    expect(withheldBecause(WITHHELD_TEXT)).toBeNull();
    // A figure never given at all says so (nothing about its size).
    expect(withheldWords(WITHIN_CLASS_TEXT)).toBe("withheld (not given for a pupil group within a class)");
    // Reasons that already say so are not wrapped twice (a new user read "withheld (suppressed (…))").
    expect(withheldWords("withheld for governors")).toBe("withheld for governors");
    expect(withheldMarks(["pa_pct"], null)).toEqual({});
  });
});

describe("chart axes", () => {
  it("start bar axes at zero, in even steps, above the largest value — and stand when every figure is withheld", () => {
    expect(zeroBasedAxis([9.79, 3.3, null])).toEqual({ domain: [0, 10], ticks: [0, 5, 10] });
    expect(zeroBasedAxis([96.2, 94.1])).toEqual({ domain: [0, 100], ticks: [0, 50, 100] });
    expect(zeroBasedAxis([123])).toEqual({ domain: [0, 150], ticks: [0, 50, 100, 150] });
    expect(zeroBasedAxis([null, null]).domain).toEqual([0, 10]);
  });

  it("say in words when a line chart's axis is cut, and nothing when it starts at zero", () => {
    const domain = pctDomain([95.1, 96.4], 96.1);
    expect(domain[0]).toBeGreaterThan(0);
    expect(axisCutWords(domain)).toBe(`The vertical axis starts at ${domain[0]}%, not 0: differences look larger than they are.`);
    expect(axisCutWords([0, 100])).toBeNull();
  });
});
