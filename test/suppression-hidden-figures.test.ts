/**
 * protect's withheld figures (analytics/suppression.ts HiddenFigures) keep why each cell is
 * withheld by its number as well as by id, so a look at the table reads an array (issue 11:
 * thousands of looks a governor's plan at 4,500 pupils). The array must follow every change
 * of the map — withheld, published again (releaseRows), cleared and restored — or a look
 * would read a figure as published that is withheld; and it names the cells changed since the
 * last look (`touched`), the only ones a look writes again. And protect's choice is as before: by
 * hand, the pair a (2, "fewer than 5") and b beside c in t = a + b + c.
 */
import { describe, expect, it } from "vitest";
import { HiddenFigures, protect } from "../analytics/suppression.ts";

const CELLS = [
  { id: "t", value: 40, cost: 1e6 },
  { id: "a", value: 2, primary: { lo: 1, hi: 4 } },
  { id: "b", value: 18 },
  { id: "c", value: 20 },
];

describe("protect's withheld figures by cell number", () => {
  it("follow every set, delete and clear of the map (0 shown, 1 primary, 2 secondary)", () => {
    const hidden = new HiddenFigures(CELLS);
    hidden.set("a", "primary").set("b", "secondary");
    expect([...hidden.byNumber]).toEqual([0, 1, 2, 0]);
    hidden.set("b", "primary");
    expect([...hidden.byNumber]).toEqual([0, 1, 1, 0]);
    expect(hidden.delete("b")).toBe(true);
    expect([...hidden.byNumber]).toEqual([0, 1, 0, 0]);
    // An id that is no cell: in the map alone.
    hidden.set("elsewhere", "secondary");
    expect(hidden.get("elsewhere")).toBe("secondary");
    expect([...hidden.byNumber]).toEqual([0, 1, 0, 0]);
    const before = new Map(hidden);
    hidden.clear();
    expect([...hidden.byNumber]).toEqual([0, 0, 0, 0]);
    for (const [id, why] of before) hidden.set(id, why);
    expect([...hidden.byNumber]).toEqual([0, 1, 0, 0]);
    expect([...hidden]).toEqual([...before]);
  });

  it("list the cells set or deleted since the list was emptied, each as changed (a look writes those cells alone); null, every cell, until emptied and once cleared", () => {
    const hidden = new HiddenFigures(CELLS);
    hidden.set("a", "primary");
    // Before the first look: every cell's start is to be written.
    expect(hidden.touched).toBeNull();
    hidden.touched = [];
    hidden.set("b", "secondary").set("elsewhere", "secondary");
    hidden.delete("b");
    hidden.set("c", "secondary");
    expect(hidden.touched).toEqual([2, 2, 3]);
    hidden.touched = [];
    hidden.clear();
    hidden.set("a", "primary");
    expect(hidden.touched).toBeNull();
  });

  it("protect withholds a, then b (the cheapest other part, 18 < 20) so that t − b − c cannot give a", () => {
    expect([...protect(CELLS, [{ total: "t", parts: ["a", "b", "c"] }])]).toEqual([
      ["a", "primary"],
      ["b", "secondary"],
    ]);
  });
});
