/**
 * Complementary suppression on hand-built tables (issue 13, case 8): the examples —
 * Year 4 with 7 persistently absent pupils and 4B with 5 (so 4A = 2), EHC-plan PA "fewer
 * than 5" beside the rest of the school's 26 of 232, severe absence 0 in 4A beside "fewer
 * than 5" in 4B — each shown recoverable with primary suppression alone and not once the
 * plan is applied.
 */
import { describe, expect, it } from "vitest";
import { withheldWords } from "../app/lib/withheld.ts";
import {
  inferBounds,
  planSuppression,
  protect,
  recoverable,
  WITHHELD_TEXT,
  type Bounds,
  type GroupCounts,
  type GroupSum,
  type SuppressedFigure,
  type SuppressionPlan,
} from "../analytics/suppression.ts";

const MIN = 5;

function group(key: string, pupils: number, pa: number, sa: number, possible = pupils * 100, attended = pupils * 95): GroupCounts {
  return { key, pupils, possible_sessions: possible, attended_sessions: attended, pa_pupils: pa, sa_pupils: sa };
}

/**
 * What a reader sees: published figures, and for withheld ones what a reader may know of them.
 * Every withheld figure reads "withheld", so its text gives nothing away; the reader here is
 * stronger than that — it knows which are withheld as small (the plan's own reason: 1 … 4),
 * as a reader who read the old words did, and as the planner assumes.
 */
function published(groups: GroupCounts[], plan: SuppressionPlan) {
  const known = new Map<string, number>();
  const withheld = new Map<string, Bounds>();
  const figures = ["pupils", "possible_sessions", "attended_sessions", "pa_pupils", "sa_pupils"] as const;
  for (const g of groups) {
    for (const f of figures) {
      const id = `${g.key}|${f}`;
      if (!plan.hidden(g.key, f)) known.set(id, g[f]);
      else if (plan.rowReason(g.key) === "small") withheld.set(id, f === "pupils" ? { lo: 1, hi: MIN - 1 } : { lo: 0, hi: Number.POSITIVE_INFINITY });
      else if (plan.reason?.(g.key, f) === "primary") withheld.set(id, { lo: 1, hi: MIN - 1 });
      else withheld.set(id, { lo: 0, hi: Number.POSITIVE_INFINITY });
    }
  }
  return { known, withheld };
}

function sumRules(sums: GroupSum[]) {
  const figures = ["pupils", "possible_sessions", "attended_sessions", "pa_pupils", "sa_pupils"] as const;
  return sums.flatMap((s) => figures.map((f) => ({ total: `${s.total}|${f}`, parts: s.parts.map((p) => `${p}|${f}`) })));
}

/** A junior school: Years 3–6 of two classes each. */
function juniorSchool(overrides: Record<string, GroupCounts> = {}) {
  const classes: GroupCounts[] = [];
  for (const y of ["3", "4", "5", "6"]) {
    for (const c of ["A", "B"]) {
      const key = `class:${y}${c}`;
      classes.push(overrides[key] ?? group(key, 30, 8, 5));
    }
  }
  const years = ["3", "4", "5", "6"].map((y) => {
    const parts = classes.filter((c) => c.key.startsWith(`class:${y}`));
    return sumOf(`year:${y}`, parts);
  });
  const school = sumOf("school", years);
  const sums: GroupSum[] = [
    { total: "school", parts: years.map((y) => y.key) },
    { total: "school", parts: classes.map((c) => c.key) },
    ...years.map((y) => ({ total: y.key, parts: classes.filter((c) => c.key.startsWith(`class:${y.key.slice(5)}`)).map((c) => c.key) })),
  ];
  return { groups: [school, ...years, ...classes], sums };
}

function sumOf(key: string, parts: GroupCounts[]): GroupCounts {
  const add = (f: Exclude<SuppressedFigure, "absent_pupils">) => parts.reduce((t, p) => t + p[f], 0);
  return { key, pupils: add("pupils"), possible_sessions: add("possible_sessions"), attended_sessions: add("attended_sessions"), pa_pupils: add("pa_pupils"), sa_pupils: add("sa_pupils") };
}

describe("recovering withheld figures by subtraction", () => {
  it("finds 4A's 2 persistently absent pupils from Year 4's 7 and 4B's 5 when only 4A is withheld", () => {
    const known = new Map([
      ["year:4|pa", 7],
      ["class:4B|pa", 5],
    ]);
    const withheld = new Map([["class:4A|pa", { lo: 1, hi: 4 }]]);
    expect(recoverable(known, withheld, [{ total: "year:4|pa", parts: ["class:4A|pa", "class:4B|pa"] }])).toEqual(["class:4A|pa"]);
  });

  it("finds two 'fewer than 5' cells that add up to 2 (each must be 1)", () => {
    const bounds = inferBounds(new Map([["t", 2]]), new Map([["a", { lo: 1, hi: 4 }], ["b", { lo: 1, hi: 4 }]]), [{ total: "t", parts: ["a", "b"] }]);
    expect(bounds.get("a")).toEqual({ lo: 1, hi: 1 });
    expect(bounds.get("b")).toEqual({ lo: 1, hi: 1 });
  });

  it("protect() withholds a second cell so the pair cannot be split, and a third when two small ones add up to 2", () => {
    const sums = [{ total: "t", parts: ["a", "b", "c"] }];
    const pair = protect(
      [
        { id: "t", value: 40, cost: 1e6 },
        { id: "a", value: 2, primary: { lo: 1, hi: 4 } },
        { id: "b", value: 18 },
        { id: "c", value: 20 },
      ],
      sums,
    );
    expect([...pair]).toEqual([
      ["a", "primary"],
      ["b", "secondary"],
    ]);
    const both = protect(
      [
        { id: "t", value: 42, cost: 1e6 },
        { id: "a", value: 1, primary: { lo: 1, hi: 4 } },
        { id: "b", value: 1, primary: { lo: 1, hi: 4 } },
        { id: "c", value: 40 },
      ],
      sums,
    );
    // a + b = 42 − 40 = 2 gives both away; withholding c leaves a, b in 1…4 each.
    expect(both.get("c")).toBe("secondary");
  });

  it("a figure every reader knows (the leavers' pupils: public) is printed withheld but protected by nothing, and never chosen to protect another", () => {
    // The school's 27 pupils over a term: 3A 10, 3B 14, the leavers 3 (the school's 27 over
    // the term less its 24 over the last half term: public). Their persistently absent count
    // (2 of the school's 9; 3A 3, 3B 4) is not public and must stay unknown.
    const sums = [
      { total: "school", parts: ["3A", "3B", "leavers"] },
      { total: "school:pa", parts: ["3A:pa", "3B:pa", "leavers:pa"] },
    ];
    const cells = (leaversPublic: boolean) => [
      { id: "school", value: 27, cost: 1e6 },
      { id: "3A", value: 10 },
      { id: "3B", value: 14 },
      { id: "leavers", value: 3, primary: { lo: 1, hi: 4 }, public: leaversPublic || undefined },
      { id: "school:pa", value: 9, cost: 1e6 },
      { id: "3A:pa", value: 3, primary: { lo: 1, hi: 4 } },
      { id: "3B:pa", value: 4, primary: { lo: 1, hi: 4 } },
      { id: "leavers:pa", value: 2, primary: { lo: 1, hi: 4 } },
    ];
    // Not known to be public: a class's pupils go to protect the leavers' 3.
    expect([...protect(cells(false), sums)].filter(([, why]) => why === "secondary").map(([id]) => id)).toEqual(["3A"]);
    // Public: the leavers' row still reads withheld, and nothing else goes for it.
    const hidden = protect(cells(true), sums);
    expect(hidden.get("leavers")).toBe("primary");
    expect([...hidden].filter(([, why]) => why === "secondary")).toEqual([]);
    // Its PA count: 9 less 3A and 3B, both withheld by the primary rule (1…4 each), leaves 1…7:
    // no more than "fewer than 5" says.
    expect(inferBounds(new Map([["school:pa", 9]]), new Map([["3A:pa", { lo: 1, hi: 4 }], ["3B:pa", { lo: 1, hi: 4 }], ["leavers:pa", { lo: 1, hi: 4 }]]), sums).get("leavers:pa")).toEqual({ lo: 1, hi: 4 });
  });
});

describe("planSuppression on the issue's examples", () => {
  it("a class's whole row withheld only to protect another reads as the small one does, so neither can be told apart (3B has 4 pupils; 3A goes with it)", () => {
    const { groups, sums } = juniorSchool({ "class:3B": group("class:3B", 4, 0, 0) });
    const plan = planSuppression(groups, sums, MIN);
    expect(plan.rowReason("class:3B")).toBe("small");
    expect(plan.rowReason("class:3A")).toBe("secondary");
    // The words beside 3A and beside 3B are the same: "withheld (so that a small group
    // elsewhere cannot be worked out)" beside a row said that row was not small (0 or at least
    // 5), and "fewer than 5 pupils" that it was.
    for (const figure of ["pupils", "possible_sessions", "attended_sessions", "pa_pupils", "sa_pupils"] as const) {
      expect([plan.text("class:3A", figure), plan.text("class:3B", figure)]).toEqual([WITHHELD_TEXT, WITHHELD_TEXT]);
    }
    expect(withheldWords(plan.text("class:3A", "pupils"))).toBe("withheld");
  });

  it("Year 4 with 7 persistently absent pupils, 4B with 5: 4A (2) cannot be worked out", () => {
    const { groups, sums } = juniorSchool({ "class:4A": group("class:4A", 30, 2, 0), "class:4B": group("class:4B", 30, 5, 5) });
    const year4 = groups.find((g) => g.key === "year:4")!;
    expect(year4.pa_pupils).toBe(7);
    // Primary suppression alone: 4A = 7 − 5.
    const naive = published(groups, primaryOnlyPlan(groups));
    expect(recoverable(naive.known, naive.withheld, sumRules(sums))).toContain("class:4A|pa_pupils");

    const plan = planSuppression(groups, sums, MIN);
    expect(plan.hidden("class:4A", "pa_pupils")).toBe(true);
    expect(plan.text("class:4A", "pa_pupils")).toBe(WITHHELD_TEXT);
    expect(plan.hidden("class:4B", "pa_pupils")).toBe(true);
    // 4B's 5, withheld to protect 4A's 2, reads the same word as 4A's.
    expect(plan.text("class:4B", "pa_pupils")).toBe(WITHHELD_TEXT);
    expect([plan.reason?.("class:4A", "pa_pupils"), plan.reason?.("class:4B", "pa_pupils")]).toEqual(["primary", "secondary"]);
    // Year 4 and the whole school stay published; other classes' PA counts too.
    expect(plan.hidden("year:4", "pa_pupils")).toBe(false);
    expect(plan.hidden("school", "pa_pupils")).toBe(false);
    expect(plan.hidden("class:5A", "pa_pupils")).toBe(false);
    const seen = published(groups, plan);
    expect(recoverable(seen.known, seen.withheld, sumRules(sums))).toEqual([]);
  });

  it("EHC plan 'fewer than 5' persistently absent beside the rest of the school's 26 of 232: the rest's figure is withheld too", () => {
    const school = group("school", 240, 27, 4);
    const ehc = group("sen:E", 8, 1, 0, 800, 760);
    const rest = { ...group("rest:sen:E", 232, 26, 4), possible_sessions: 24000 - 800, attended_sessions: 240 * 95 - 760 };
    school.possible_sessions = 24000;
    school.attended_sessions = 240 * 95;
    const groups = [school, ehc, rest];
    const sums: GroupSum[] = [{ total: "school", parts: ["sen:E", "rest:sen:E"] }];
    const naive = published(groups, primaryOnlyPlan(groups));
    expect(recoverable(naive.known, naive.withheld, sumRules(sums))).toContain("sen:E|pa_pupils");

    const plan = planSuppression(groups, sums, MIN);
    expect(plan.hidden("sen:E", "pa_pupils")).toBe(true);
    expect(plan.hidden("rest:sen:E", "pa_pupils")).toBe(true);
    expect(plan.hidden("school", "pa_pupils")).toBe(false);
    // The group's other figures are not small and stay (8 pupils, attendance).
    expect(plan.rowHidden("sen:E")).toBe(false);
    const seen = published(groups, plan);
    expect(recoverable(seen.known, seen.withheld, sumRules(sums))).toEqual([]);
  });

  it("severe absence 0 in 4A beside 'fewer than 5' in 4B, and Year 4's own 3: no class, year or school figure gives either away", () => {
    const { groups, sums } = juniorSchool({ "class:4A": group("class:4A", 30, 6, 0), "class:4B": group("class:4B", 30, 6, 3) });
    const naive = published(groups, primaryOnlyPlan(groups));
    const naiveRecovered = recoverable(naive.known, naive.withheld, sumRules(sums));
    expect(naiveRecovered).toContain("class:4B|sa_pupils");

    const plan = planSuppression(groups, sums, MIN);
    expect(plan.hidden("class:4B", "sa_pupils")).toBe(true);
    // Year 4's own 3 is withheld (it is small), so 4A's 0 no longer gives 4B away; the years
    // then add up to the school's figure, so another year goes too, and so on down.
    expect(plan.hidden("year:4", "sa_pupils")).toBe(true);
    expect(plan.hidden("school", "sa_pupils")).toBe(false);
    const seen = published(groups, plan);
    expect(recoverable(seen.known, seen.withheld, sumRules(sums))).toEqual([]);
  });

  it("a class of 4 loses its whole row, and the next smallest class and year figures go with it so nothing subtracts back", () => {
    const { groups, sums } = juniorSchool({ "class:6B": group("class:6B", 4, 1, 0), "class:3A": group("class:3A", 26, 6, 5) });
    const plan = planSuppression(groups, sums, MIN);
    expect(plan.rowHidden("class:6B")).toBe(true);
    expect(plan.rowReason("class:6B")).toBe("small");
    expect(plan.text("class:6B", "pupils")).toBe(WITHHELD_TEXT);
    // 6A is the only other part of Year 6: it goes too, said as secondary.
    expect(plan.rowHidden("class:6A")).toBe(true);
    expect(plan.text("class:6A", "pupils")).toBe(WITHHELD_TEXT);
    const seen = published(groups, plan);
    expect(recoverable(seen.known, seen.withheld, sumRules(sums))).toEqual([]);
  });
});

/** Primary suppression only, as the packs did before complementary suppression. */
function primaryOnlyPlan(groups: GroupCounts[]): SuppressionPlan {
  const byKey = new Map(groups.map((g) => [g.key, g]));
  const smallRow = (key: string) => {
    const p = byKey.get(key)!.pupils;
    return p > 0 && p < MIN;
  };
  const hidden = (key: string, f: SuppressedFigure) => smallRow(key) || ((f === "pa_pupils" || f === "sa_pupils") && byKey.get(key)![f] > 0 && byKey.get(key)![f] < MIN);
  return {
    min: MIN,
    rowHidden: smallRow,
    rowReason: (key) => (smallRow(key) ? "small" : null),
    hidden,
    text: () => WITHHELD_TEXT,
    reason: (key, f) => (hidden(key, f) ? "primary" : null),
  };
}

describe("unbounded withheld figures", () => {
  it("two withheld parts with no upper bound still narrow a third from the total", () => {
    const inf = Number.POSITIVE_INFINITY;
    const bounds = inferBounds(new Map([["t", 10], ["c", 3]]), new Map([["a", { lo: 0, hi: inf }], ["b", { lo: 0, hi: inf }]]), [{ total: "t", parts: ["a", "b", "c"] }]);
    expect(bounds.get("a")).toEqual({ lo: 0, hi: 7 });
    expect(bounds.get("b")).toEqual({ lo: 0, hi: 7 });
  });
});

describe("a figure pinned by the words printed for others alone", () => {
  /**
   * A large school over a half term: each year group has 1 severely absent pupil, the school 4.
   * Every one reads "fewer than 5", and the words alone pin them (4 years of at least 1 add up
   * to at most 4: each is 1). Withholding published figures cannot unpin them, so the planner
   * must not try: it once withheld each year's persistently absent count (severely ≤
   * persistently), then their pupils (persistently ≤ pupils), and with them every row of the
   * school, the whole school's too.
   */
  it("one of the counts is printed without its range; no row is withheld, and nothing is pinned", () => {
    const years = ["3", "4", "5", "6"].map((y) => group(`year:${y}`, 120, 15, 1));
    const school = sumOf("school", years);
    expect(school.sa_pupils).toBe(4);
    const groups = [school, ...years];
    const sums: GroupSum[] = [{ total: "school", parts: years.map((y) => y.key) }];
    for (const focused of [false, true]) {
      const plan = planSuppression(groups, sums, MIN, { focused });
      expect(groups.filter((g) => plan.rowHidden(g.key)).map((g) => g.key), `focused ${focused}`).toEqual([]);
      expect(groups.filter((g) => plan.hidden(g.key, "pa_pupils")).map((g) => g.key), `focused ${focused}`).toEqual([]);
      expect(groups.every((g) => plan.hidden(g.key, "sa_pupils"))).toBe(true);
      expect(groups.filter((g) => plan.reason?.(g.key, "sa_pupils") === "secondary")).toHaveLength(1);
      const seen = published(groups, plan);
      expect(recoverable(seen.known, seen.withheld, sumRules(sums))).toEqual([]);
    }
  });
});

describe("an at-most pair that bounds nothing", () => {
  /**
   * a and b are "fewer than 5" and the total t = 2 = a + b + c with c's 0: each is 1. a's
   * persistently absent partner (a ≤ pa, pa 30) narrows a to nothing it did not know, so
   * withholding it protects nothing; c is what gives the pair away. The planner once withheld
   * pa first (it was the cheapest figure met), and, in a large table, went on through
   * "pa ≤ pupils" to whole rows.
   */
  it("is not withheld to protect the figure it sits beside; the sum's own member is", () => {
    const hidden = protect(
      [
        { id: "t", value: 2, cost: 1e6 },
        { id: "a", value: 1, primary: { lo: 1, hi: 4 } },
        { id: "b", value: 1, primary: { lo: 1, hi: 4 } },
        { id: "c", value: 0, cost: 1 },
        { id: "pa", value: 30, cost: 0 },
      ],
      [{ total: "t", parts: ["a", "b", "c"] }],
      [{ a: "a", b: "pa" }],
      { focused: true },
    );
    expect(hidden.get("c")).toBe("secondary");
    expect(hidden.has("pa")).toBe(false);
  });
});
