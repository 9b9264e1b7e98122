/**
 * protect's last runs (issue 11): a table planned again with only some cells' "known to every
 * reader" (DisclosureCell.public) changed — a governor's term and year, round after round of
 * forcedRows — is given the last run's figures only where that run never read those cells'
 * flag, and every other input is the same. Hand-built tables where a wrong skip, or rules
 * compiled for another table, would change the plan; each plan is also checked against one
 * made afresh (forgetProtectRuns).
 */
import { beforeEach, describe, expect, it } from "vitest";
import { forgetProtectRuns, protect, runsTakenUp, wordLooksFromLast, type DisclosureCell, type LinearRule, type ProtectOptions, type SumRule } from "../analytics/suppression.ts";

const SMALL = { lo: 1, hi: 4 };

const plan = (cells: DisclosureCell[], sums: SumRule[], options: ProtectOptions = {}) => Object.fromEntries(protect(cells, sums, [], options));

/** The plan made with no last run kept (the figures of record). */
function afresh(cells: DisclosureCell[], sums: SumRule[], options: ProtectOptions = {}) {
  forgetProtectRuns();
  return plan(cells, sums, options);
}

beforeEach(() => forgetProtectRuns());

describe("protect's last runs", () => {
  // a (2, small) + b (10) = c (12): a is c less b, so one of them goes — b, the cheaper, unless
  // every reader knows b, when c goes.
  const sumTable = (bPublic: boolean): DisclosureCell[] => [
    { id: "a", value: 2, primary: SMALL },
    { id: "b", value: 10, cost: 0, public: bPublic || undefined },
    { id: "c", value: 12, cost: 5 },
  ];
  const sum: SumRule[] = [{ total: "c", parts: ["a", "b"] }];

  it("a figure the last plan read as known to every reader is chosen once it is not, and the other way", () => {
    expect(plan(sumTable(true), sum)).toEqual({ a: "primary", c: "secondary" });
    // The last run read b's flag (it chose c because b was known): planned again, b goes.
    expect(plan(sumTable(false), sum)).toEqual({ a: "primary", b: "secondary" });
    // And b, chosen by that run, known again: c goes.
    expect(plan(sumTable(true), sum)).toEqual({ a: "primary", c: "secondary" });
  });

  it("a table whose figures differ (a small figure, a cost, a value) is planned again", () => {
    expect(plan(sumTable(false), sum)).toEqual({ a: "primary", b: "secondary" });
    const noneSmall = sumTable(false).map((c) => (c.id === "a" ? { id: "a", value: 2 } : c));
    expect(plan(noneSmall, sum)).toEqual({});
    // b dearer than c (6 against 5): c goes.
    const dearB = sumTable(false).map((c) => (c.id === "b" ? { ...c, cost: 6 } : c));
    expect(plan(dearB, sum)).toEqual({ a: "primary", c: "secondary" });
    // b as dear as c: the smaller value first, b (10) before c (12); with b 13 and c 15, c.
    const evenB = sumTable(false).map((c) => (c.id === "b" ? { ...c, cost: 5 } : c));
    expect(plan(evenB, sum)).toEqual({ a: "primary", b: "secondary" });
    // a + b + d = c, b and d as dear: the smaller goes.
    const values = (b: number, d: number): DisclosureCell[] => [
      { id: "a", value: 2, primary: SMALL },
      { id: "b", value: b },
      { id: "d", value: d },
      { id: "c", value: 2 + b + d, cost: 5 },
    ];
    const threeParts: SumRule[] = [{ total: "c", parts: ["a", "b", "d"] }];
    expect(plan(values(10, 20), threeParts)).toEqual({ a: "primary", b: "secondary" });
    expect(plan(values(20, 10), threeParts)).toEqual({ a: "primary", d: "secondary" });
  });

  // b never published (withheld from the start): known to every reader, it gives a away beside
  // c, which goes; not known, a is safe. The first plan read b's flag at every look.
  const hiddenTable = (bPublic: boolean): DisclosureCell[] => [
    { id: "a", value: 2, primary: SMALL },
    { id: "b", value: 10, unpublished: true, public: bPublic || undefined },
    { id: "c", value: 12 },
  ];

  it("a withheld figure read as known to every reader: the plan is made again once it is not", () => {
    expect(plan(hiddenTable(true), sum)).toEqual({ a: "primary", b: "secondary", c: "secondary" });
    expect(plan(hiddenTable(false), sum)).toEqual({ a: "primary", b: "secondary" });
  });

  // Focused: a (2, small) + b + g = t. The walk from a meets b (cost 1) and g; g known to every
  // reader. With g dearer than b the walk's choice is b whether g is known or not; with g
  // cheaper, g is the choice once it is not known.
  const walkTable = (gCost: number, gPublic: boolean): DisclosureCell[] => [
    { id: "a", value: 2, primary: SMALL },
    { id: "b", value: 10, cost: 1 },
    { id: "g", value: 20, cost: gCost, public: gPublic || undefined },
    { id: "t", value: 32, cost: 9 },
  ];
  const walkSum: SumRule[] = [{ total: "t", parts: ["a", "b", "g"] }];
  const focused = { focused: true };

  it("a known figure the walk met that would not have come first changes nothing: the same plan as afresh", () => {
    expect(plan(walkTable(5, true), walkSum, focused)).toEqual({ a: "primary", b: "secondary" });
    const again = plan(walkTable(5, false), walkSum, focused);
    expect(again).toEqual({ a: "primary", b: "secondary" });
    expect(again).toEqual(afresh(walkTable(5, false), walkSum, focused));
  });

  it("a known figure the walk met that would have come first is chosen once it is not known", () => {
    expect(plan(walkTable(0, true), walkSum, focused)).toEqual({ a: "primary", b: "secondary" });
    const again = plan(walkTable(0, false), walkSum, focused);
    expect(again).toEqual({ a: "primary", g: "secondary" });
    expect(again).toEqual(afresh(walkTable(0, false), walkSum, focused));
  });

  // p (1, small) with "10 × p ≤ s + constant", s = 10 published: with a constant of 0, p ≤ 1, so
  // p = 1 is pinned and s goes; with 30, p ≤ 4, nothing pinned. r: a small figure of no rule,
  // known to every reader in the first plan only (its flag read: the second is planned again,
  // with the rules compiled for the first were they kept by a key without the constant).
  const linearTable = (rPublic: boolean): DisclosureCell[] => [
    { id: "p", value: 1, primary: SMALL },
    { id: "s", value: 10 },
    { id: "r", value: 3, primary: SMALL, public: rPublic || undefined },
  ];
  const rule = (constant: number): LinearRule[] => [{ left: [{ id: "p", times: 10 }], right: [{ id: "s", times: 1 }], constant }];

  it("a table whose rules differ is planned with its own rules, not the last run's", () => {
    expect(plan(linearTable(true), [], { linear: rule(30) })).toEqual({ p: "primary", r: "primary" });
    expect(plan(linearTable(false), [], { linear: rule(0) })).toEqual({ p: "primary", s: "secondary", r: "primary" });
    // The same flags, the rule as the first: nothing pinned again.
    expect(plan(linearTable(false), [], { linear: rule(30) })).toEqual({ p: "primary", r: "primary" });
    // A sum instead of the rule: s + p = q (11) with s published pins p; q goes (s is cheaper only by value).
    const withSum: DisclosureCell[] = [...linearTable(false), { id: "q", value: 11, cost: 1 }];
    expect(plan(withSum, [{ total: "q", parts: ["p", "s"] }])).toEqual({ p: "primary", r: "primary", s: "secondary" });
    expect(plan(withSum, [])).toEqual({ p: "primary", r: "primary" });
  });

  // t (2) = a (1) + b (1), each small and printed as "1 or 2": the words alone pin all three,
  // so the cheapest small figure near them is printed as withheld (printWithoutRange). z (1,
  // small, the cheapest) is near them only through a linear rule "z ≤ a + 5" that one plan
  // has and the next, of the same cells and sum (one base of rules), has not: each plan is its
  // own rules' (indexRules copies a cell's list of the base's rules before a linear rule joins it).
  const wordsTable: DisclosureCell[] = [
    { id: "t", value: 2, primary: { lo: 1, hi: 2 }, cost: 2 },
    { id: "a", value: 1, primary: { lo: 1, hi: 2 }, cost: 2 },
    { id: "b", value: 1, primary: { lo: 1, hi: 2 }, cost: 2 },
    { id: "z", value: 1, primary: { lo: 1, hi: 2 }, cost: 0 },
  ];
  const wordsSum: SumRule[] = [{ total: "t", parts: ["a", "b"] }];
  const zRule: LinearRule[] = [{ left: [{ id: "z", times: 1 }], right: [{ id: "a", times: 1 }], constant: 5 }];

  it("a linear rule of one plan is not met by the next plan of the same cells and sums", () => {
    const withRule = afresh(wordsTable, wordsSum, { linear: zRule });
    const withoutRule = afresh(wordsTable, wordsSum);
    expect(withRule).not.toEqual(withoutRule);
    forgetProtectRuns();
    expect(plan(wordsTable, wordsSum, { linear: zRule })).toEqual(withRule);
    expect(plan(wordsTable, wordsSum)).toEqual(withoutRule);
  });

  // a (2, small) + b + c = total, b and c known to every reader: nothing withheld protects a,
  // its words go ("secondary") and it is stuck.
  const stuckTable: DisclosureCell[] = [
    { id: "a", value: 2, primary: SMALL },
    { id: "b", value: 10, public: true },
    { id: "c", value: 12, public: true },
  ];
  const stuckSum: SumRule[] = [{ total: "c", parts: ["a", "b"] }];

  it("a plan given again gives its stuck figures again", () => {
    const first = new Set<string>();
    expect(plan(stuckTable, stuckSum, { focused: true, stuck: first })).toEqual({ a: "secondary" });
    expect([...first]).toEqual(["a"]);
    const second = new Set<string>();
    expect(plan(stuckTable, stuckSum, { focused: true, stuck: second })).toEqual({ a: "secondary" });
    expect([...second]).toEqual(["a"]);
  });
});

/**
 * A run taken up from a round of the last (resumeAt): a table planned again with some cells'
 * `public` changed, where the last run first read their flag some rounds in, is given what a
 * plan made afresh gives — the withheld figures with their reasons in the same order, and the
 * stuck figures. Random tables of a school, its year groups and classes and a characteristic's
 * groups (two breakdowns of the school, so subtraction runs across them), small counts
 * withheld, the focused planner as the governors' (secondaryWidth, stuck figures), planned
 * again and again with a few flags changed at a time.
 */
describe("protect taken up from a round of its last run", () => {
  // A small generator of its own (mulberry32), so that every run of the test plans the same tables.
  const random = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  function table(next: () => number): { cells: DisclosureCell[]; sums: SumRule[] } {
    const cells: DisclosureCell[] = [];
    const sums: SumRule[] = [];
    const count = () => (next() < 0.35 ? 1 + Math.floor(next() * 4) : 5 + Math.floor(next() * 30));
    const add = (id: string, value: number, cost: number) => {
      cells.push({ id, value, cost, ...(value > 0 && value < 5 ? { primary: SMALL } : {}) });
      return value;
    };
    const years = 3 + Math.floor(next() * 3);
    const yearIds: string[] = [];
    let school = 0;
    for (let y = 0; y < years; y++) {
      const classIds: string[] = [];
      let year = 0;
      for (let c = 0; c < 2 + Math.floor(next() * 3); c++) {
        const id = `y${y}c${c}`;
        year += add(id, count(), 0);
        classIds.push(id);
      }
      add(`y${y}`, year, 10);
      sums.push({ total: `y${y}`, parts: classIds });
      yearIds.push(`y${y}`);
      school += year;
    }
    add("school", school, 1000);
    sums.push({ total: "school", parts: yearIds });
    // A characteristic's groups: the school split otherwise.
    const groups = 3 + Math.floor(next() * 3);
    const groupIds: string[] = [];
    let left = school;
    for (let g = 0; g < groups; g++) {
      const value = g === groups - 1 ? left : Math.min(left, count());
      left -= value;
      add(`g${g}`, value, 100);
      groupIds.push(`g${g}`);
    }
    sums.push({ total: "school", parts: groupIds });
    return { cells, sums };
  }

  const run = (cells: DisclosureCell[], sums: SumRule[]) => {
    const stuck = new Set<string>();
    const hidden = [...protect(cells, sums, [], { focused: true, secondaryWidth: 4, stuck })];
    return { hidden, stuck: [...stuck] };
  };

  it("gives what a plan made afresh gives", () => {
    const next = random(40);
    const before = runsTakenUp();
    for (let trial = 0; trial < 200; trial++) {
      const { cells, sums } = table(next);
      let flags = cells.map(() => next() < 0.2);
      for (let again = 0; again < 6; again++) {
        const withFlags = cells.map((c, k) => ({ ...c, public: flags[k] || undefined }));
        const taken = run(withFlags, sums);
        forgetProtectRuns();
        expect(taken).toEqual(run(withFlags, sums));
        // Planned again from the last run (the one afresh just made): keep it for the next.
        flags = flags.map((f) => (next() < 0.08 ? !f : f));
      }
      forgetProtectRuns();
    }
    // The tables did take runs up from a later round (else this test would test nothing).
    expect(runsTakenUp().runs - before.runs).toBeGreaterThan(10);
  });
});

describe("the words' looks made from the last on the same rules", () => {
  // Four year groups of "fewer than 5" severely absent pupils and the school's own "fewer than
  // 5": the words alone pin them (four of at least 1 add up to at most 4), so the words look
  // (wordsAlone) finds them and one's words go. The tables share their cells' ids and sums (the
  // rules: one SharedRules); their costs differ (which year's words go), or a value (no words
  // pin anything), as a half term's table does from one forcedRows round to the next.
  const years = ["y1", "y2", "y3", "y4"];
  const sums: SumRule[] = [{ total: "school", parts: years }];
  const table = (values: number[], costs: number[]): DisclosureCell[] => {
    const total = values.reduce((a, b) => a + b, 0);
    const small = (v: number) => (v > 0 && v < 5 ? { primary: SMALL } : {});
    return [{ id: "school", value: total, cost: 1000, ...small(total) }, ...years.map((id, i) => ({ id, value: values[i], cost: costs[i], ...small(values[i]) }))];
  };
  const variants: Array<[number[], number[]]> = [
    [[1, 1, 1, 1], [10, 10, 10, 10]],
    [[1, 1, 1, 1], [10, 5, 10, 10]],
    [[1, 1, 1, 2], [10, 10, 10, 10]],
    [[1, 1, 1, 1], [10, 10, 10, 5]],
    [[1, 1, 1, 1], [3, 10, 10, 10]],
  ];
  // The runs that look at the words, the first of them excepted: each is made from the last.
  const wordRuns = 4;

  it("give the plans made afresh, each run's first made from the last run's", () => {
    // Each plan afresh (no rules kept): its words' first look is made afresh.
    const afreshPlans = variants.map(([values, costs]) => afresh(table(values, costs), sums, { focused: true }));
    expect(afreshPlans.map((p) => Object.keys(p).filter((id) => p[id] === "secondary"))).toEqual([["y1"], ["y2"], [], ["y4"], ["y1"]]);
    // One after another on the same rules (forgetProtectRuns only before the first).
    forgetProtectRuns();
    const before = wordLooksFromLast();
    const inTurn = variants.map(([values, costs]) => plan(table(values, costs), sums, { focused: true }));
    expect(inTurn).toEqual(afreshPlans);
    expect(wordLooksFromLast() - before).toBe(wordRuns - 1);
  });
});
