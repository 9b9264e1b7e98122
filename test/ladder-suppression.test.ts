/**
 * The FGB pack's ladder table for governors (issue 13, case 8): a band withheld as small (it
 * read "fewer than 5"; every withheld figure now reads "withheld") cannot be worked out from the
 * bands printed beside it and the pack's persistently and severely absent counts. The figures are those a new user found on the demo school: 27
 * persistently absent, bands of 15 (85–90 %) and 10 (50–85 %) and a "fewer than 5" below 50 %
 * that was 27 − 15 − 10 = 2.
 */
import { describe, expect, it } from "vitest";
import { fewestMissedBelow, ladderCountCells, ladderRules, ladderSums, type LadderSessions } from "../analytics/packs/ladder-suppression.ts";
import type { Cell } from "../analytics/packs/model.ts";
import { recoverable, WITHHELD_TEXT, type Bounds } from "../analytics/suppression.ts";

const THRESHOLDS = [96, 90, 85, 50];
const BANDS = [20, 15, 10, 2];
const HEADLINE = { pa: 27, sa: 2 };

/**
 * What a reader knows from the printed cells: published values, and ranges for the withheld.
 * "withheld" gives no range; this reader is told which withheld counts are 1 … 4 (`values`:
 * the true counts), as the old words "fewer than 5" told and as the planner assumes.
 */
function reader(cells: Cell[], headline: { pa: Cell; sa: Cell }, values: number[] = BANDS, heads = HEADLINE) {
  const known = new Map<string, number>();
  const withheld = new Map<string, Bounds>();
  const read = (id: string, cell: Cell, value: number) => {
    if (cell.kind === "count") known.set(id, cell.value);
    else if (cell.kind === "suppressed") withheld.set(id, value > 0 && value < 5 ? { lo: 1, hi: 4 } : { lo: 0, hi: Number.POSITIVE_INFINITY });
  };
  cells.forEach((cell, i) => read(`band:${i}`, cell, values[i]));
  read("pa", headline.pa, heads.pa);
  read("sa", headline.sa, heads.sa);
  return { known, withheld };
}

const printedHeadline = { pa: { kind: "count", value: 27 } as Cell, sa: { kind: "suppressed", text: WITHHELD_TEXT } as Cell };

describe("the FGB pack's ladder table", () => {
  it("withholds a second band below 90 % so the small one cannot be worked out from the PA count", () => {
    const cells = ladderCountCells(BANDS, THRESHOLDS, HEADLINE, 5);
    expect(cells[0]).toEqual({ kind: "count", value: 20 });
    expect(cells[3]).toEqual({ kind: "suppressed", text: WITHHELD_TEXT });
    // The smaller of the other bands below 90 % goes with it, in the same word.
    expect(cells[2]).toEqual({ kind: "suppressed", text: WITHHELD_TEXT });
    expect(cells[1]).toEqual({ kind: "count", value: 15 });
    const { known, withheld } = reader(cells, printedHeadline);
    expect(recoverable(known, withheld, ladderSums(THRESHOLDS))).toEqual([]);
  });

  it("control: the primary rule alone gives the small band away (2), so the check above can fail", () => {
    const primaryOnly: Cell[] = BANDS.map((value) => (value > 0 && value < 5 ? { kind: "suppressed", text: WITHHELD_TEXT } : { kind: "count", value }));
    const { known, withheld } = reader(primaryOnly, printedHeadline);
    expect(recoverable(known, withheld, ladderSums(THRESHOLDS))).toContain("band:3");
  });

  it("prints every count for staff, and withholds nothing when no band is small", () => {
    expect(ladderCountCells(BANDS, THRESHOLDS, HEADLINE, null)).toEqual(BANDS.map((value) => ({ kind: "count", value })));
    expect(ladderCountCells([20, 15, 10, 6], THRESHOLDS, { pa: 31, sa: 6 }, 5)).toEqual([20, 15, 10, 6].map((value) => ({ kind: "count", value })));
  });

  it("ties the bands below 90 % to the PA count and the band below 50 % to the SA count", () => {
    expect(ladderSums(THRESHOLDS)).toEqual([
      { total: "pa", parts: ["band:1", "band:2", "band:3"] },
      { total: "sa", parts: ["band:3"] },
    ]);
  });

  /**
   * Pupils not yet judged (fewer than 40 possible sessions) are in no band but in the headline
   * PA and SA (as the DfE counts them). Bands 20, 15, 10, 6 (below 90 %: 31) under a printed PA
   * of 33: printed whole, 33 − 31 = 2 would give the not-yet-judged PA pupils, a small count
   * never printed (two new pupils off ill). So bands below 90 % are withheld, enough that the 2
   * is not worked out; with none not yet judged, the same bands print in full.
   */
  it("keeps a small count of not-yet-judged PA pupils from being worked out as the headline less the bands", () => {
    const bands = [20, 15, 10, 6];
    const cells = ladderCountCells(bands, THRESHOLDS, { pa: 33, sa: 6 }, 5, undefined, undefined, { pa: 2, sa: 0 });
    expect(cells.slice(1).some((c) => c.kind === "suppressed")).toBe(true);
    const { known, withheld } = reader(cells, { pa: { kind: "count", value: 33 }, sa: { kind: "count", value: 6 } }, bands, { pa: 33, sa: 6 });
    // The reader's rules: the headline less the bands is the unprinted part, 0 or more.
    withheld.set("unjudged:pa", { lo: 0, hi: Number.POSITIVE_INFINITY });
    withheld.set("unjudged:sa", { lo: 0, hi: Number.POSITIVE_INFINITY });
    expect(ladderSums(THRESHOLDS, true)).toEqual([
      { total: "pa", parts: ["band:1", "band:2", "band:3", "unjudged:pa"] },
      { total: "sa", parts: ["band:3", "unjudged:sa"] },
    ]);
    expect(recoverable(known, withheld, ladderSums(THRESHOLDS, true))).toEqual([]);
    // Control: printed whole, the reader works the 2 out.
    const whole = bands.map((value) => ({ kind: "count", value }) as Cell);
    const all = reader(whole, { pa: { kind: "count", value: 33 }, sa: { kind: "count", value: 6 } }, bands, { pa: 33, sa: 6 });
    all.withheld.set("unjudged:pa", { lo: 0, hi: Number.POSITIVE_INFINITY });
    all.withheld.set("unjudged:sa", { lo: 0, hi: Number.POSITIVE_INFINITY });
    expect(recoverable(all.known, all.withheld, ladderSums(THRESHOLDS, true))).toContain("unjudged:pa");
  });

  /**
   * Any thresholds the school sets: 95 and 80 here. Ten pupils of 100 sessions each; in one
   * register A0 missed 6 (94 %: "80% to under 95%"), in its twin six pupils missed 1 each
   * (99 %: in no band). Both schools print 10 pupils, 1,000 possible and 994 attended. A pupil
   * below 95 % of 100 missed more than 5: at least 6, so at most ⌊6 ÷ 6⌋ = 1 pupil is in the
   * band, and one below 80 % missed at least 21, so none is.
   */
  const school = (missed: number[]): LadderSessions => ({
    pupils: 10,
    possible: 1000,
    attended: 1000 - missed.reduce((a, b) => a + b, 0),
    perPupil: Array.from({ length: 10 }, (_, i) => ({ possible: 100, missed: missed[i] ?? 0, band: (missed[i] ?? 0) >= 21 ? 1 : (missed[i] ?? 0) >= 6 ? 0 : null })),
  });
  const T2 = [95, 80];

  it("bounds the bands by the school's absent sessions, whatever thresholds the school sets", () => {
    expect(fewestMissedBelow(95, 100)).toBe(6);
    expect(fewestMissedBelow(80, 100)).toBe(21);
    expect(fewestMissedBelow(96, 80)).toBe(4);
    const rules = ladderRules(T2, school([6]));
    expect(rules[0]).toEqual({ left: [{ id: "band:0", times: 6 }, { id: "band:1", times: 21 }, { id: "attended", times: 1 }], right: [{ id: "possible", times: 1 }] });
    // A reader of the sessions alone: the band of 1 printed withheld with "1 to 4" is pinned.
    const known = new Map([["possible", 1000], ["attended", 994], ["pupils", 10], ["band:1", 0]]);
    expect(recoverable(known, new Map([["band:0", { lo: 1, hi: 4 }]]), [], [], rules)).toEqual(["band:0"]);
  });

  it("withholds a band the sessions allow fewer than the minimum whatever it holds, so the twins print the same", () => {
    const heads = { pa: 0, sa: 0 };
    const one = ladderCountCells([1, 0], T2, heads, 5, undefined, school([6]));
    const none = ladderCountCells([0, 0], T2, heads, 5, undefined, school([1, 1, 1, 1, 1, 1]));
    expect(one).toEqual([{ kind: "suppressed", text: WITHHELD_TEXT }, { kind: "count", value: 0 }]);
    expect(none).toEqual(one);
    // Control: without the sessions the twin printed its 0, which told the two apart.
    expect(ladderCountCells([0, 0], T2, heads, 5)).toEqual([{ kind: "count", value: 0 }, { kind: "count", value: 0 }]);
    // With room for 5 or more in the band (60 missed: at most 10), a 0 is printed.
    expect(ladderCountCells([0, 0], T2, heads, 5, undefined, school([5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5].slice(0, 10).map((m) => m + 1)))).toEqual([{ kind: "count", value: 0 }, { kind: "count", value: 0 }]);
  });
});
