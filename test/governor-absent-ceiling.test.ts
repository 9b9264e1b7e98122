/**
 * Issue 13, cases 8–9: pupils absent at least once never outnumber the group's pupils, and a
 * reader knows it (the pupils never absent, pupils − pupils absent, are at least 0). The
 * planner's second pass (analytics/suppression.ts, the pupils absent) did not use that bound.
 *
 * By hand: a week's register of two classes of 6. Every pupil of 3A was absent (6 of 6), 4
 * of 3B: the school's 12 pupils, 10 absent. 3B's 4 reads "fewer than 5"; to keep it from
 * "school 10 − 3A 6", one more count is withheld, and the cheapest is 3A's. The reader:
 *   3A = 10 − 3B ≥ 10 − 4 = 6, and 3A ≤ its 6 published pupils, so 3A = 6 and 3B = 10 − 6 = 4.
 * With the bound the planner withholds the school's count as well (nothing cheaper breaks it).
 */
import { describe, expect, it } from "vitest";
import { ABSENT_PUPILS, planSuppression, WITHHELD_TEXT, type GroupCounts, type SuppressedFigure } from "../analytics/suppression.ts";

const MIN = 5;
const FIGURES: SuppressedFigure[] = ["pupils", "possible_sessions", "attended_sessions", ABSENT_PUPILS];
// 10 sessions a pupil in the week; one session off for each pupil absent.
const group = (key: string, pupils: number, absent: number): GroupCounts => ({
  key,
  pupils,
  possible_sessions: 10 * pupils,
  attended_sessions: 10 * pupils - absent,
  pa_pupils: 0,
  sa_pupils: 0,
  absent_pupils: absent,
});
const GROUPS = [group("school", 12, 10), group("class:3A", 6, 6), group("class:3B", 6, 4)];
const CLASSES = ["class:3A", "class:3B"];

/**
 * What a governor reads of the pupils absent: each class's pupils, and each count as printed
 * (a number, or the words in its place); then the reader's sums by hand: the school is 3A and
 * 3B, a small count (withheld as 1 to 4: every withheld count reads "withheld", but this
 * reader is told which are small, as the planner assumes one may work out) is 1 to 4, and a
 * class's pupils absent are 0 to its pupils.
 */
function attack(read: (key: string) => { pupils: number; absent: number | "small" | "withheld" }): Map<string, [number, number]> {
  const range = new Map<string, [number, number]>();
  for (const key of ["school", ...CLASSES]) {
    const { pupils, absent } = read(key);
    range.set(key, typeof absent === "number" ? [absent, absent] : absent === "small" ? [1, Math.min(MIN - 1, pupils)] : [0, pupils]);
  }
  for (let round = 0; round < 4; round++) {
    const [slo, shi] = range.get("school")!;
    for (const key of CLASSES) {
      const others = CLASSES.filter((k) => k !== key).map((k) => range.get(k)!);
      const [lo, hi] = range.get(key)!;
      range.set(key, [Math.max(lo, slo - others.reduce((s, r) => s + r[1], 0)), Math.min(hi, shi - others.reduce((s, r) => s + r[0], 0))]);
    }
    const parts = CLASSES.map((k) => range.get(k)!);
    range.set("school", [Math.max(slo, parts.reduce((s, r) => s + r[0], 0)), Math.min(shi, parts.reduce((s, r) => s + r[1], 0))]);
  }
  return range;
}

describe("pupils absent against the group's pupils (absent ≤ pupils; pupils never absent ≥ 0)", () => {
  it("no withheld count is pinned by a sum and the group's pupils", () => {
    const plan = planSuppression(GROUPS, [{ total: "school", parts: CLASSES }], MIN, { figures: FIGURES, focused: true });
    const read = (key: string) => {
      const g = GROUPS.find((x) => x.key === key)!;
      expect(plan.rowHidden(key), `${key}'s row`).toBe(false);
      if (plan.hidden(key, ABSENT_PUPILS)) expect(plan.text(key, ABSENT_PUPILS)).toBe(WITHHELD_TEXT);
      const absent = !plan.hidden(key, ABSENT_PUPILS) ? g.absent_pupils! : plan.reason?.(key, ABSENT_PUPILS) === "primary" ? ("small" as const) : ("withheld" as const);
      return { pupils: g.pupils, absent };
    };
    expect(read("class:3B").absent).toBe("small");
    const ranges = attack(read);
    const pinned = [...ranges].filter(([key, [lo, hi]]) => lo === hi && plan.hidden(key, ABSENT_PUPILS)).map(([key, [lo]]) => `${key} = ${lo}`);
    expect(pinned).toEqual([]);
    // Every range holds the true count (the attack is sound).
    for (const g of GROUPS) expect(ranges.get(g.key)![0] <= g.absent_pupils! && g.absent_pupils! <= ranges.get(g.key)![1]).toBe(true);
  });

  it("the attack works: with 3A's count printed, 3B's is 10 − 6 = 4", () => {
    const ranges = attack((key) => {
      const g = GROUPS.find((x) => x.key === key)!;
      return { pupils: g.pupils, absent: key === "class:3B" ? ("small" as const) : g.absent_pupils! };
    });
    expect(ranges.get("class:3B")).toEqual([4, 4]);
  });
});
