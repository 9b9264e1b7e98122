/**
 * The FGB pack's ladder table for governors (issue 13, case 8): a band withheld as small (it
 * read "fewer than 5"; every withheld figure now reads "withheld") cannot be worked out from the
 * bands printed beside it and the pack's persistently and severely absent counts. The figures are those a new user found on the demo school: 27
 * persistently absent, bands of 15 (85–90 %) and 10 (50–85 %) and a "fewer than 5" below 50 %
 * that was 27 − 15 − 10 = 2.
 */
import { describe, expect, it } from "vitest";
import { ladderCountCells, ladderSums } from "../analytics/packs/ladder-suppression.ts";
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
});
