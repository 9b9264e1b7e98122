/**
 * Issue 13, cases 8–9: a count of persistently (PA) or severely (SA) absent pupils is bounded
 * by the absent sessions published beside it (analytics/suppression.ts LinearRule,
 * absenceRules). Hand-built tables, bounds computed by hand:
 * - the ceiling: every PA pupil counted in a group missed at least k of its sessions, so
 *   k × PA ≤ possible − attended;
 * - the floor: none missed more than M, any other pupil at most m, U missed by pupils counted
 *   elsewhere, so possible − attended ≤ (M − m) × PA + m × pupils + U;
 * and the plan withholds the sessions beside a count they pin (the row goes with them).
 */
import { describe, expect, it } from "vitest";
import { pinnedByAbsentSessions } from "./helpers/absent-sessions-reader.ts";
import { absenceRules, inferBounds, planSuppression, type AbsenceBounds, type Bounds, type GroupCounts, type GroupSum, type SuppressedFigure } from "../analytics/suppression.ts";

const MIN = 5;
const FIGURES = ["pupils", "possible_sessions", "attended_sessions", "pa_pupils", "sa_pupils"] as const;
const id = (key: string) => (f: SuppressedFigure) => `${key}|${f}`;

/** Bounds of a group of pupils who each had 40 sessions: a PA pupil misses at least 4, an SA one at least 20. */
const FORTY: AbsenceBounds = { pa_least: 4, pa_most: 0, pa_other_most: 0, sa_least: 20, sa_most: 0, sa_other_most: 0, uncounted_absent: 0 };

describe("what a group's absent sessions say of its PA and SA counts (inferBounds with absenceRules)", () => {
  // 3A: 8 pupils × 40 sessions, 320 possible, 316 attended: 4 missed, by one pupil (PA, not SA).
  const known = new Map([
    ["3A|pupils", 8],
    ["3A|possible_sessions", 320],
    ["3A|attended_sessions", 316],
  ]);
  const absence: AbsenceBounds = { ...FORTY, pa_most: 4, sa_other_most: 4 };

  it("ceiling: 'fewer than 5' persistently absent beside 4 missed sessions is 1 (⌊4 ÷ 4⌋), and severely absent 0 (⌊4 ÷ 20⌋)", () => {
    const withheld = new Map<string, Bounds>([
      ["3A|pa_pupils", { lo: 1, hi: 4 }],
      ["3A|sa_pupils", { lo: 0, hi: Number.POSITIVE_INFINITY }],
    ]);
    const rules = absenceRules(absence, id("3A"), FIGURES);
    expect(inferBounds(known, withheld, [], [], rules)).toEqual(
      new Map([
        ["3A|pa_pupils", { lo: 1, hi: 1 }],
        ["3A|sa_pupils", { lo: 0, hi: 0 }],
      ]),
    );
    // Without the rules the reader has only the text's 1 to 4.
    expect(inferBounds(known, withheld, []).get("3A|pa_pupils")).toEqual({ lo: 1, hi: 4 });
  });

  it("ceiling, the other way: a published count bounds withheld sessions (attended ≤ possible − 4 × PA)", () => {
    const withheld = new Map<string, Bounds>([["3A|attended_sessions", { lo: 0, hi: Number.POSITIVE_INFINITY }]]);
    // (No floor here: the most a PA pupil missed is no more than the others'.)
    const rules = absenceRules(FORTY, id("3A"), FIGURES);
    const k = new Map([...known, ["3A|pa_pupils", 3], ["3A|sa_pupils", 1]]);
    k.delete("3A|attended_sessions");
    // 4 × 3 + attended ≤ 320 → attended ≤ 308; 20 × 1 + attended ≤ 320 → ≤ 300.
    expect(inferBounds(k, withheld, [], [], rules).get("3A|attended_sessions")).toEqual({ lo: 0, hi: 300 });
  });

  it("floor: 60 missed by 10 pupils, no PA pupil missing more than 8 and no other more than 3, 4 by pupils counted elsewhere: at least ⌈(60 − 30 − 4) ÷ 5⌉ = 6 persistently absent", () => {
    // 10 pupils × 40 sessions: 400 possible, 340 attended, 60 missed; 4 of them missed by a
    // pupil counted in another group (a pupil who moved: their earlier half term's sessions).
    const k = new Map([
      ["3B|pupils", 10],
      ["3B|possible_sessions", 400],
      ["3B|attended_sessions", 340],
    ]);
    const bounds: AbsenceBounds = { pa_least: 4, pa_most: 8, pa_other_most: 3, sa_least: 20, sa_most: 0, sa_other_most: 8, uncounted_absent: 4 };
    const withheld = new Map<string, Bounds>([
      ["3B|pa_pupils", { lo: 0, hi: Number.POSITIVE_INFINITY }],
      ["3B|sa_pupils", { lo: 0, hi: Number.POSITIVE_INFINITY }],
    ]);
    const rules = absenceRules(bounds, id("3B"), FIGURES);
    // PA: 400 ≤ 340 + 5 × PA + 3 × 10 + 4 → PA ≥ 26 ÷ 5 → 6; ≤ ⌊60 ÷ 4⌋ = 15.
    // SA: 60 ÷ 20 → at most 3; no SA pupil missed anything (most 0 < the others' 8): no floor.
    expect(inferBounds(k, withheld, [], [], rules)).toEqual(
      new Map([
        ["3B|pa_pupils", { lo: 6, hi: 15 }],
        ["3B|sa_pupils", { lo: 0, hi: 3 }],
      ]),
    );
  });

  it("floor for severe absence: 45 missed by 2 pupils, none missing more than 25: at least ⌈45 ÷ 25⌉ = 2 severely absent (and at most ⌊45 ÷ 20⌋ = 2)", () => {
    const k = new Map([
      ["4C|pupils", 2],
      ["4C|possible_sessions", 80],
      ["4C|attended_sessions", 35],
    ]);
    // Both pupils severely absent: 20 and 25 missed. SA most 25, the others' most 0 (none).
    const bounds: AbsenceBounds = { pa_least: 4, pa_most: 25, pa_other_most: 0, sa_least: 20, sa_most: 25, sa_other_most: 0, uncounted_absent: 0 };
    const withheld = new Map<string, Bounds>([["4C|sa_pupils", { lo: 0, hi: Number.POSITIVE_INFINITY }]]);
    // Floor: 45 ≤ 25 × SA → SA ≥ 2; ceiling: 20 × SA ≤ 45 → SA ≤ 2.
    expect(inferBounds(k, withheld, [], [], absenceRules(bounds, id("4C"), FIGURES)).get("4C|sa_pupils")).toEqual({ lo: 2, hi: 2 });
  });

  it("makes no rule that says nothing: a least of 0 (a leavers' row, no sessions) or Infinity (no pupil counted), a most no more than the others'", () => {
    expect(absenceRules({ ...FORTY, pa_least: 0, sa_least: 0 }, id("L"), FIGURES)).toEqual([]);
    expect(absenceRules({ ...FORTY, pa_least: Number.POSITIVE_INFINITY, sa_least: Number.POSITIVE_INFINITY, pa_most: 3, pa_other_most: 3 }, id("X"), FIGURES)).toEqual([]);
    // A plan without PA and SA (a week's figures) gets none either.
    expect(absenceRules(FORTY, id("3A"), ["pupils", "possible_sessions", "attended_sessions"])).toEqual([]);
  });
});

describe("the plan withholds the sessions beside a count they pin", () => {
  /**
   * Year 3 of three classes, 40 sessions a pupil. 3A: 8 pupils, 4 missed, by its one PA
   * pupil ("fewer than 5"). 3B: 10 pupils, 60 missed, 6 PA. 3C: 10 pupils, 50 missed, 5 PA.
   * The school (Year 3): 12 PA. By subtraction alone 3A = 12 − 6 − 5 = 1, so 3C's count goes
   * too; then 3A is 1 to 4 by subtraction, but its 4 missed sessions say at most ⌊4 ÷ 4⌋ = 1.
   */
  const groups: GroupCounts[] = [
    { key: "school", pupils: 28, possible_sessions: 1120, attended_sessions: 1006, pa_pupils: 12, sa_pupils: 0, absence: { pa_least: 4, pa_most: 7, pa_other_most: 5, sa_least: 20, sa_most: 0, sa_other_most: 7, uncounted_absent: 0 } },
    { key: "class:3A", pupils: 8, possible_sessions: 320, attended_sessions: 316, pa_pupils: 1, sa_pupils: 0, absence: { ...FORTY, pa_most: 4, sa_other_most: 4 } },
    { key: "class:3B", pupils: 10, possible_sessions: 400, attended_sessions: 340, pa_pupils: 6, sa_pupils: 0, absence: { ...FORTY, pa_most: 7, pa_other_most: 5, sa_other_most: 7 } },
    { key: "class:3C", pupils: 10, possible_sessions: 400, attended_sessions: 350, pa_pupils: 5, sa_pupils: 0, absence: { ...FORTY, pa_most: 6, pa_other_most: 4, sa_other_most: 6 } },
  ];
  const sums: GroupSum[] = [{ total: "school", parts: ["class:3A", "class:3B", "class:3C"] }];
  const sumRules = sums.flatMap((s) => FIGURES.map((f) => ({ total: `${s.total}|${f}`, parts: s.parts.map((p) => `${p}|${f}`) })));
  const atMost = groups.flatMap((g) => [
    { a: `${g.key}|sa_pupils`, b: `${g.key}|pa_pupils` },
    { a: `${g.key}|pa_pupils`, b: `${g.key}|pupils` },
    { a: `${g.key}|attended_sessions`, b: `${g.key}|possible_sessions` },
  ]);
  const linear = groups.flatMap((g) => absenceRules(g.absence!, id(g.key), FIGURES));

  it.each([false, true])("3A's row is withheld, and no small count can be worked out with the sessions' bounds (focused %s)", (focused) => {
    const plan = planSuppression(groups, sums, MIN, { focused });
    // Unfocused, every withheld figure must stay unknown, and 3A's severely absent 0 is pinned
    // by its PA count's words: at most 4 PA pupils missing at most 4 each, no other pupil any,
    // so at most 16 missed by 3A, and an SA pupil misses 20 (its absent sessions as a figure of
    // their own: analytics/suppression.ts absentSessions). Nothing else withheld breaks that, so
    // the count is printed without its range (as every count is: "withheld").
    expect(plan.reason?.("class:3A", "pa_pupils")).toBe(focused ? "primary" : "secondary");
    // The count alone withheld is not enough: its sessions go, and the row with them.
    expect(plan.rowHidden("class:3A")).toBe(true);
    expect(plan.rowHidden("school")).toBe(false);
    const known = new Map<string, number>();
    const withheld = new Map<string, Bounds>();
    for (const g of groups) {
      for (const f of FIGURES) {
        const cell = `${g.key}|${f}`;
        if (!plan.hidden(g.key, f)) known.set(cell, g[f]);
        else withheld.set(cell, plan.reason?.(g.key, f) === "primary" && (f === "pa_pupils" || f === "sa_pupils") ? { lo: 1, hi: MIN - 1 } : { lo: 0, hi: Number.POSITIVE_INFINITY });
      }
    }
    const ranges = inferBounds(known, withheld, sumRules, atMost, linear);
    const pinned = [...ranges].filter(([cell, b]) => b.lo === b.hi && plan.reason?.(cell.split("|")[0], cell.split("|")[1] as SuppressedFigure) === "primary");
    expect(pinned).toEqual([]);
  });

  it("without the sessions' bounds (no AbsenceBounds) the plan leaves 3A's row published, which the bound then gives away", () => {
    const plan = planSuppression(
      groups.map(({ absence: _absence, ...g }) => g),
      sums,
      MIN,
    );
    expect(plan.rowHidden("class:3A")).toBe(false);
    expect(plan.hidden("class:3A", "pa_pupils")).toBe(true);
    const known = new Map(FIGURES.filter((f) => !plan.hidden("class:3A", f)).map((f) => [`class:3A|${f}`, groups[1][f]] as [string, number]));
    const ranges = inferBounds(known, new Map([["class:3A|pa_pupils", { lo: 1, hi: 4 }]]), [], [], linear);
    expect(ranges.get("class:3A|pa_pupils")).toEqual({ lo: 1, hi: 1 });
  });
});

describe("absent sessions worked out by subtraction across a sum (issue 13: session 16's adversary)", () => {
  /**
   * Year 3 of three classes, 40 sessions a pupil (a PA pupil misses at least 4, an SA one at
   * least 20). 3A: 10 pupils, 20 missed, all by its one pupil severely absent ("fewer than 5"
   * PA and SA). 3B: 12 pupils, 24 missed, 2 each (none PA). 3C: 6 pupils, none missed. The
   * school (Year 3): 28 pupils, 44 missed, 1 PA and 1 SA (withheld: the school's 1 to 4).
   * 3A's own 20 missed pin its SA to 1 (⌊20 ÷ 20⌋), so its row goes; then 3A's row is the
   * school's less 3B's and 3C's, so one more class goes. Were it 3C (the smaller), 3A and 3C
   * together missed 44 − 24 = 20 sessions, each class at least 0, so 3A at most 20: its SA at
   * most ⌊20 ÷ 20⌋ = 1 and, a small count, at least 1 — while neither class's possible nor
   * attended sessions is known by itself (3A's possible 1,120 − 480 − 3C's).
   */
  const groups: GroupCounts[] = [
    { key: "school", pupils: 28, possible_sessions: 1120, attended_sessions: 1076, pa_pupils: 1, sa_pupils: 1, absence: { ...FORTY, pa_most: 20, pa_other_most: 2, sa_most: 20, sa_other_most: 2 } },
    { key: "class:3A", pupils: 10, possible_sessions: 400, attended_sessions: 380, pa_pupils: 1, sa_pupils: 1, absence: { ...FORTY, pa_most: 20, sa_most: 20 } },
    { key: "class:3B", pupils: 12, possible_sessions: 480, attended_sessions: 456, pa_pupils: 0, sa_pupils: 0, absence: { ...FORTY, pa_other_most: 2, sa_other_most: 2 } },
    { key: "class:3C", pupils: 6, possible_sessions: 240, attended_sessions: 240, pa_pupils: 0, sa_pupils: 0, absence: FORTY },
  ];
  const sums: GroupSum[] = [{ total: "school", parts: ["class:3A", "class:3B", "class:3C"] }];

  // Failed before (focused or not): 3C's row went with 3A's, and 3A's SA was 1 — ["class:3A|sa_pupils"].
  it.each([false, true])("leaves no small count pinned by absent sessions worked out by subtraction (focused %s)", (focused) => {
    const plan = planSuppression(groups, sums, MIN, { focused });
    expect(plan.rowHidden("class:3A")).toBe(true);
    expect(plan.rowHidden("school")).toBe(false);
    expect(pinnedByAbsentSessions(groups, sums, plan, MIN)).toEqual([]);
    // 3B's row goes instead: 3A and 3B missed 44 between them, which allows 2 SA pupils.
    expect(plan.rowHidden("class:3B")).toBe(true);
  });
});
