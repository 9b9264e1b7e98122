/**
 * Subtraction ACROSS a governor's filtered views (issue 13 cases 8–9): every figure a
 * governor can open — each year group and class, with and without each characteristic, and
 * the Groups page's "everyone else" — is read from one plan (analytics/governor-lattice.ts),
 * so no withheld figure can be worked out from the published ones of other views. A control
 * shows that planning each view on its own (as the pages did before) gives one away here.
 *
 * The school (min = 5), two weeks of January 2026 (10 days, 20 sessions a pupil):
 * - Year 3: class 3A, 12 pupils, 2 eligible for FSM (P3F1, P3F2); P3F1 is off ill the first
 *   3 days (6 of 20 sessions: 30 %, persistently absent, not severely);
 * - Year 4: classes 4A and 4B, 6 pupils each, 3 eligible for FSM in each;
 * - Year 5: class 5A, 12 pupils, 7 eligible for FSM.
 * So: 36 pupils, 15 eligible for FSM (2 + 6 + 7), 1 persistently absent pupil. Everyone else
 * present every session. Other characteristics are the same for all (no SEN, no EAL, not
 * looked after, girls, White British).
 *
 * Worked by hand, the leak the old per-view planning allowed: on Groups, Year 3 alone shows
 * FSM 2 pupils → withheld; Year 4 alone (6 FSM beside 6 others) and Year 5 alone (7 beside 5)
 * and the whole school (15 beside 21) publish their FSM rows. 15 − 6 − 7 = 2: FSM in Year 3.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection, type Connection } from "../analytics/db.ts";
import { restrictGovernorFilter, WITHIN_CLASS_TEXT } from "../analytics/governor-lattice.ts";
import { governorSpan, governorWithheldBy, withheldIn } from "../analytics/governor-view.ts";
import { COMPARED_DIMENSIONS } from "../analytics/groups.ts";
import { summarise, type MeasureQuery, type Measures, type PupilFilter } from "../analytics/measures.ts";
import { governorSuppression, groupKey, inferBounds, recoverable, WITHHELD_TEXT, type Bounds, type SumRule } from "../analytics/suppression.ts";
import { seedRegister } from "./helpers/register.ts";
import { latticeSchool } from "./helpers/lattice-school.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("governor-lattice");
const MIN = 5;
const SPAN: MeasureQuery = { from: "2026-01-05", to: "2026-01-16" };
const { pupils, marks } = latticeSchool();

beforeAll(async () => {
  await withConnection(db, (c) => seedRegister(c, { pupils, marks }));
});
afterAll(() => removeDb(db));

const YEARS = ["3", "4", "5"];
const CLASSES: Record<string, string[]> = { "3": ["3A"], "4": ["4A", "4B"], "5": ["5A"] };
const FIGURES = ["pupils", "possible_sessions", "attended_sessions", "pa_pupils", "sa_pupils"] as const;
type Figure = (typeof FIGURES)[number];
const valueOf = (m: Measures, f: Figure) => (f === "attended_sessions" ? m.present_sessions + m.aea_sessions : m[f]);

/** Every unit a governor can choose: [cell name, filter]. */
const UNITS: Array<[string, PupilFilter]> = [
  ["school", {}],
  ...YEARS.map((y): [string, PupilFilter] => [`Y${y}`, { year_group: y }]),
  ...Object.values(CLASSES).flat().map((c): [string, PupilFilter] => [`C${c}`, { reg_group: c }]),
];
/** Every group of pupils within a unit: [name, filter]; only FSM varies in this school. */
const GROUPS: Array<[string, PupilFilter]> = [
  ["all", {}],
  ["fsmY", { fsm: "Y" }],
  ["fsmN", { fsm: "N" }],
];

/** The sums a reader knows, written out independently of the planner's table. */
function readerSums(figure: Figure): SumRule[] {
  const id = (unit: string, group: string) => `${unit}/${group}/${figure}`;
  const sums: SumRule[] = [];
  for (const [g] of GROUPS) {
    sums.push({ total: id("school", g), parts: YEARS.map((y) => id(`Y${y}`, g)) });
    sums.push({ total: id("school", g), parts: Object.values(CLASSES).flat().map((c) => id(`C${c}`, g)) });
    for (const y of YEARS) sums.push({ total: id(`Y${y}`, g), parts: CLASSES[y].map((c) => id(`C${c}`, g)) });
  }
  for (const [u] of UNITS) sums.push({ total: id(u, "all"), parts: [id(u, "fsmY"), id(u, "fsmN")] });
  return sums;
}

/**
 * What a reader may infer of a withheld figure. Every withheld figure reads "withheld", which
 * gives no range; this reader is stronger, and knows what the old words told — a small group's
 * row ("fewer than 5 pupils": its pupils 1 … 4, its counts 0 … 4) or a count of 1 … 4 — as
 * the planner assumes a reader may work out. `small`: "row" (the figure's group is withheld as
 * small), "count" (the figure itself is a count of 1 … 4), or null.
 */
function boundsOf(small: "row" | "count" | null, figure: Figure): Bounds {
  if (small === "row") {
    if (figure === "pupils") return { lo: 1, hi: MIN - 1 };
    if (figure === "pa_pupils" || figure === "sa_pupils") return { lo: 0, hi: MIN - 1 };
  }
  if (small === "count" && (figure === "pa_pupils" || figure === "sa_pupils")) return { lo: 1, hi: MIN - 1 };
  return { lo: 0, hi: Number.POSITIVE_INFINITY };
}

const isSmall = (n: number) => n > 0 && n < MIN;

interface Published {
  known: Map<string, number>;
  withheld: Map<string, Bounds>;
  truth: Map<string, number>;
  /** Withheld as a small group or a count of 1 … 4 (the words say so): the figures to protect. */
  small: Set<string>;
}

/**
 * Collects, the way a governor can, every figure of every reachable view: each unit with each
 * group (Year groups & classes with a characteristic filter, Groups with a year-group or class
 * filter — one cell of the table either way), through `decide`, which says what a page prints
 * in place of each figure (null: the figure itself).
 */
async function collect(c: Connection, decide: (unit: PupilFilter, group: PupilFilter) => Promise<{ row: string | null; pa: string | null; sa: string | null }>): Promise<Published> {
  const known = new Map<string, number>();
  const withheld = new Map<string, Bounds>();
  const truth = new Map<string, number>();
  const small = new Set<string>();
  for (const [u, unitFilter] of UNITS) {
    for (const [g, groupFilter] of GROUPS) {
      const measures = await summarise(c, { ...SPAN, filter: { ...unitFilter, ...groupFilter } });
      const words = await decide(unitFilter, groupFilter);
      for (const f of FIGURES) {
        const id = `${u}/${g}/${f}`;
        truth.set(id, valueOf(measures, f));
        const text = words.row ?? (f === "pa_pupils" ? words.pa : f === "sa_pupils" ? words.sa : null);
        // A group never given (within a class) is no small group the words tell of.
        const given = text === null || text === WITHHELD_TEXT;
        const kind = !given ? null : words.row && isSmall(measures.pupils) ? "row" : !words.row && text && isSmall(valueOf(measures, f)) ? "count" : null;
        if (text === null) known.set(id, valueOf(measures, f));
        else withheld.set(id, boundsOf(kind, f));
        if (kind) small.add(id);
      }
    }
  }
  return { known, withheld, truth, small };
}

/**
 * Withheld figures a reader pins to their true value when they are a small group's or a count
 * of 1 … 4 (a figure withheld only to protect another may be worked out: it is no small group),
 * or pins to a pupil count of 1 … 4 whatever the reason; and published pupil counts of 1 … 4.
 */
function leaks(p: Published): { pinned: string[]; smallPublished: string[] } {
  const pinned: string[] = [];
  for (const f of FIGURES) {
    const known = new Map([...p.known].filter(([id]) => id.endsWith(`/${f}`)));
    const withheld = new Map([...p.withheld].filter(([id]) => id.endsWith(`/${f}`)));
    for (const [id, b] of inferBounds(known, withheld, readerSums(f))) {
      const value = p.truth.get(id)!;
      const smallCount = !id.includes("_sessions") && value > 0 && value < MIN;
      if (b.lo === b.hi && b.lo === value && (p.small.has(id) || smallCount) && !zeroOfPublishedZero(p, id, value)) pinned.push(`${id}=${value}`);
    }
  }
  const smallPublished = [...p.known].filter(([id, v]) => !id.includes("_sessions") && v > 0 && v < MIN).map(([id, v]) => `${id}=${v}`);
  return { pinned, smallPublished };
}

/**
 * A 0 that a published 0 of a group containing it already says (Year 4 has no persistently
 * absent pupil, so neither has FSM in 4A): every published 0 says it of each of its parts, so
 * it is no disclosure of its own.
 */
function zeroOfPublishedZero(p: Published, id: string, value: number): boolean {
  if (value !== 0) return false;
  const [unit, group, figure] = id.split("/");
  const year = unit.startsWith("C") ? `Y${unit[1]}` : null;
  const containers = [`${unit}/all/${figure}`, `school/${group}/${figure}`, `school/all/${figure}`, ...(year ? [`${year}/all/${figure}`, `${year}/${group}/${figure}`] : [])];
  return containers.some((c) => c !== id && p.known.get(c) === 0);
}

describe("one plan for every view a governor can open", () => {
  it("the figures worked by hand", async () => {
    await withConnection(db, async (c) => {
      expect((await summarise(c, SPAN)).pupils).toBe(36);
      expect((await summarise(c, { ...SPAN, filter: { fsm: "Y" } })).pupils).toBe(15);
      expect((await summarise(c, { ...SPAN, filter: { year_group: "3", fsm: "Y" } })).pupils).toBe(2);
      expect((await summarise(c, SPAN)).pa_pupils).toBe(1);
    });
  });

  it("control: planning each view on its own gives FSM in Year 3 away (15 − 6 − 7 = 2)", async () => {
    await withConnection(db, async (c) => {
      // What the pages did before: Groups planned for its own filter (each characteristic beside
      // the rest of the view), Year groups & classes for its own (the units and their sums).
      const groupsPlan = async (unit: PupilFilter) =>
        governorSuppression(c, { ...SPAN, filter: unit }, { dimensions: COMPARED_DIMENSIONS.map((by) => ({ by })) }, MIN);
      const classesPlan = async (group: PupilFilter) => governorSuppression(c, { ...SPAN, filter: group }, { yearsAndClasses: true }, MIN);
      const published = await collect(c, async (unit, group) => {
        const unitKey = unit.reg_group ? groupKey.class(unit.reg_group) : unit.year_group ? groupKey.year(unit.year_group) : groupKey.school;
        // A characteristic's row on Groups under the unit's filter; a unit's row on Year groups
        // & classes under the characteristic's filter (the whole view when both are the school).
        const plan = group.fsm ? await groupsPlan(unit) : await classesPlan(group);
        const key = group.fsm ? groupKey.group("fsm", group.fsm) : unitKey;
        const row = plan.rowHidden(key) ? plan.text(key, "pupils") : null;
        return { row, pa: row ?? (plan.hidden(key, "pa_pupils") ? plan.text(key, "pa_pupils") : null), sa: row ?? (plan.hidden(key, "sa_pupils") ? plan.text(key, "sa_pupils") : null) };
      });
      expect(published.withheld.has("Y3/fsmY/pupils")).toBe(true);
      expect(published.known.get("Y4/fsmY/pupils")).toBe(6);
      expect(published.known.get("Y5/fsmY/pupils")).toBe(7);
      expect(published.known.get("school/fsmY/pupils")).toBe(15);
      expect(leaks(published).pinned).toContain("Y3/fsmY/pupils=2");
    });
  });

  it("reading every view from the one plan, no withheld figure can be worked out and no count of 1 … 4 is printed", async () => {
    await withConnection(db, async (c) => {
      const plan = await governorSpan(c, SPAN, MIN);
      const published = await collect(c, async (unit, group) => withheldIn(plan, { ...unit, ...group }));
      // FSM in Year 3 (2 pupils) and its class 3A are withheld as small groups …
      expect(withheldIn(plan, { year_group: "3", fsm: "Y" }).row).toBe(WITHHELD_TEXT);
      expect(plan!.suppression.rowReason("year:3|fsm:Y")).toBe("small");
      // FSM within a class is no cell of the plan: never given, whatever its size.
      expect(withheldIn(plan, { reg_group: "3A", fsm: "Y" }).row).toBe(WITHIN_CLASS_TEXT);
      expect(withheldIn(plan, { reg_group: "4A", fsm: "N" }).row).toBe(WITHIN_CLASS_TEXT);
      // … and so is at least one of the figures they could be had from (15 − 6 − 7).
      expect(["Y4/fsmY/pupils", "Y5/fsmY/pupils", "school/fsmY/pupils"].some((id) => published.withheld.has(id))).toBe(true);
      // The plan's table has no pupil group within a class (each would be a handful of
      // pupils, and every one withheld costs others across its sums).
      expect(plan!.cells.filter((cell) => cell.key.startsWith("class:") && !cell.key.endsWith("|all")).map((cell) => cell.key)).toEqual([]);
      expect(plan!.cells.some((cell) => cell.key === "year:3|fsm:Y")).toBe(true);
      // The whole school, its years and classes stay published (only FSM by year is in question).
      for (const id of ["school/all/pupils", "Y3/all/pupils", "Y4/all/pupils", "Y5/all/pupils", "C4A/all/pupils"]) expect(published.known.has(id), id).toBe(true);
      const { pinned, smallPublished } = leaks(published);
      expect(pinned).toEqual([]);
      expect(smallPublished).toEqual([]);
      // The planner's own check agrees (its table, its sums).
      const known = new Map<string, number>();
      const withheld = new Map<string, Bounds>();
      for (const cell of plan!.cells) {
        for (const f of FIGURES) {
          const id = `${cell.key}|${f}`;
          const why = plan!.suppression.rowReason(cell.key) === "small" ? "row" : plan!.suppression.reason?.(cell.key, f) === "primary" ? "count" : null;
          if (plan!.suppression.hidden(cell.key, f)) withheld.set(id, boundsOf(why, f));
          else known.set(id, cell[f]);
        }
      }
      const sums = plan!.sums.flatMap((s) => FIGURES.map((f) => ({ total: `${s.total}|${f}`, parts: s.parts.map((p) => `${p}|${f}`) })));
      // The figures it protects: withheld as small (not to protect another), less the PA and SA
      // counts of a group within a year group or class, which are never published.
      const withinUnit = (key: string) => !key.startsWith("school|") && !key.endsWith("|all");
      const primary = [...withheld].filter(([id]) => {
        const key = id.slice(0, id.lastIndexOf("|"));
        const figure = id.slice(id.lastIndexOf("|") + 1) as Figure;
        if (withinUnit(key) && (figure === "pa_pupils" || figure === "sa_pupils")) return false;
        return plan!.suppression.reason?.(key, figure) === "primary";
      });
      const recovered = new Set(recoverable(known, withheld, sums));
      expect(primary.filter(([id]) => recovered.has(id))).toEqual([]);
    });
  });

  it("the Groups page's 'everyone else' beside FSM in Year 4 and 5 is read from the same plan", async () => {
    await withConnection(db, async (c) => {
      const plan = await governorSpan(c, SPAN, MIN);
      // With two values, the rest of FSM is the non-FSM cell: the same decision.
      expect(plan!.restWithheld({ year_group: "4" }, "fsm", "Y")).toEqual(withheldIn(plan, { year_group: "4", fsm: "N" }));
      expect(plan!.restWithheld({ year_group: "3" }, "fsm", "Y")).toEqual(withheldIn(plan, { year_group: "3", fsm: "N" }));
    });
  });

  it("week by week (one filter at a time), no withheld year, class or FSM group can be worked out", async () => {
    await withConnection(db, async (c) => {
      const filters: Array<[string, PupilFilter]> = [...UNITS, ["school/fsmY", { fsm: "Y" }], ["school/fsmN", { fsm: "N" }]];
      const byWeek = new Map<string, Map<string, { row: string | null }>>();
      for (const [name, filter] of filters) byWeek.set(name, await governorWithheldBy(c, { ...SPAN, filter }, "week", MIN));
      for (const week of ["2026-01-05", "2026-01-12"]) {
        const known = new Map<string, number>();
        const withheld = new Map<string, Bounds>();
        for (const [name, filter] of filters) {
          const id = name.includes("/") ? name : `${name}/all`;
          const pupilsThatWeek = (await summarise(c, { from: week, to: week === "2026-01-05" ? "2026-01-09" : "2026-01-16", filter })).pupils;
          const w = byWeek.get(name)!.get(week)!;
          if (w.row) withheld.set(id, boundsOf(isSmall(pupilsThatWeek) ? "row" : null, "pupils"));
          else known.set(id, pupilsThatWeek);
        }
        const sums: SumRule[] = [
          { total: "school/all", parts: YEARS.map((y) => `Y${y}/all`) },
          { total: "school/all", parts: ["C3A/all", "C4A/all", "C4B/all", "C5A/all"] },
          { total: "Y4/all", parts: ["C4A/all", "C4B/all"] },
          { total: "Y3/all", parts: ["C3A/all"] },
          { total: "Y5/all", parts: ["C5A/all"] },
          { total: "school/all", parts: ["school/fsmY", "school/fsmN"] },
        ];
        expect(recoverable(known, withheld, sums), week).toEqual([]);
      }
    });
  });

  it("a governor's page refuses the filters it does not combine, on the server", () => {
    // Periods pages: one filter; a class before a year group, a unit before a characteristic.
    expect(restrictGovernorFilter({ year_group: "3", fsm: "Y" }, "periods")).toEqual({ filter: { year_group: "3" }, dropped: ["fsm"] });
    // Of two characteristics, the first in the Groups page's order (SEN before FSM).
    expect(restrictGovernorFilter({ fsm: "Y", sen: "K" }, "periods")).toEqual({ filter: { sen: "K" }, dropped: ["fsm"] });
    // Year groups & classes: a class alone, or a year group and one characteristic.
    expect(restrictGovernorFilter({ year_group: "3", reg_group: "3A", fsm: "Y", sen: "K" }, "classes")).toEqual({ filter: { reg_group: "3A" }, dropped: ["year_group", "fsm", "sen"] });
    expect(restrictGovernorFilter({ year_group: "3", fsm: "Y", sen: "K" }, "classes")).toEqual({ filter: { year_group: "3", sen: "K" }, dropped: ["fsm"] });
    // Groups: a year group only (no class: every figure would be a group within a class).
    expect(restrictGovernorFilter({ year_group: "4", fsm: "Y" }, "groups")).toEqual({ filter: { year_group: "4" }, dropped: ["fsm"] });
    expect(restrictGovernorFilter({ year_group: "4", reg_group: "4A" }, "groups")).toEqual({ filter: { year_group: "4" }, dropped: ["reg_group"] });
    expect(restrictGovernorFilter({ reg_group: "4A" }, "groups")).toEqual({ filter: {}, dropped: ["reg_group"] });
    expect(restrictGovernorFilter({ upn: "P3F1" }, "classes").dropped).toEqual(["upn"]);
  });

  it("the plan refuses a filter a governor may not use", async () => {
    await withConnection(db, async (c) => {
      const plan = await governorSpan(c, SPAN, MIN);
      expect(() => plan!.withheld({ fsm: "Y", sen: "N" })).toThrow(/one characteristic/);
      expect(() => plan!.withheld({ upn: "P3F1" })).toThrow(/may not filter/);
      const weeks = governorWithheldBy(c, { ...SPAN, filter: { year_group: "3", fsm: "Y" } }, "week", MIN);
      await expect(weeks).rejects.toThrow(/one filter at a time/);
    });
  });
});
