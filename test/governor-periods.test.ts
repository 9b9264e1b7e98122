/**
 * Issue 13, case 9: a governor's periods are whole half terms that have ended, and the terms,
 * years and years to date made of them (analytics/governor-periods.ts); a cell withheld in a
 * half term is withheld in every period containing it (analytics/governor-lattice.ts); and a
 * period's slices (weeks, days) are decided once per half term (governorSlicePlans).
 *
 * Register: test/helpers/half-terms-register.ts. By hand: class 3C has 4 pupils in Autumn 1
 * 2024 (withheld: fewer than 5) and 5 from Autumn 2 (C4 joins on its first day), so over the
 * autumn term it has 5. Before this change the autumn term's 3C was published, and Autumn 2's
 * too: their difference is Autumn 1's 4 pupils' sessions. Class 3D has 4 pupils until D4
 * joins in the second week of Autumn 2: 5 over Autumn 2 but 4 in its first week.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection, type Connection } from "../analytics/db.ts";
import { governorLattice } from "../analytics/governor-lattice.ts";
import { governorChoices, governorHorizon, governorLastYear, halfTermsOf, resolveGovernorPeriod } from "../analytics/governor-periods.ts";
import { governorBreakdownWithheld, governorWithheldBy } from "../analytics/governor-view.ts";
import { summarise, summariseBy, type PupilFilter } from "../analytics/measures.ts";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { loader as overviewLoader } from "../app/routes/_index.tsx";
import { loader as classesLoader } from "../app/routes/classes.tsx";
import { loader as groupsLoader } from "../app/routes/groups.tsx";
import { loader as trendsLoader } from "../app/routes/trends.tsx";
import { loader as patternsLoader } from "../app/routes/patterns.tsx";
import { loader as codesLoader } from "../app/routes/codes.tsx";
import { loader as fgbLoader } from "../app/routes/packs.fgb.tsx";
import { createTestAccounts, type TestAccount } from "./helpers/auth.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { HALF_TERMS_TODAY, seedHalfTermsRegister, spanOfHalfTerm } from "./helpers/half-terms-register.ts";
import { loaderData } from "./helpers/loader.ts";
import { inSpan } from "./helpers/linear-span.ts";

const db = tempDbPath("governor-periods");
type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;
const MIN = 5;
const A1 = spanOfHalfTerm("autumn-1-2024");
const A2 = spanOfHalfTerm("autumn-2-2024");
const S1 = spanOfHalfTerm("spring-1-2025");
let governor: TestAccount;
const savedToday = process.env.ROLLCALL_TODAY;

beforeAll(async () => {
  await withConnection(db, seedHalfTermsRegister);
  governor = (await createTestAccounts(db)).governor;
  process.env.ROLLCALL_TODAY = HALF_TERMS_TODAY;
});
afterAll(async () => {
  if (savedToday === undefined) delete process.env.ROLLCALL_TODAY;
  else process.env.ROLLCALL_TODAY = savedToday;
  await removeDb(db);
});

describe("the periods a governor may choose", () => {
  it("are the half terms that have ended, and the terms, year and years to date made of them, newest first", async () => {
    const halves = await withConnection(db, halfTermsOf);
    expect(halves.map((h) => h.key)).toEqual(["autumn-1-2024", "autumn-2-2024", "spring-1-2025", "spring-2-2025"]);
    // Spring 2 began today: not ended, so not offered; the figures stop at the end of Spring 1.
    expect(governorHorizon(halves, HALF_TERMS_TODAY)).toBe(S1.to);
    const choices = governorChoices(halves, HALF_TERMS_TODAY);
    expect(choices["half-term"].map((c) => [c.key, c.label])).toEqual([
      ["spring-1-2025", "Spring 1 2025"],
      ["autumn-2-2024", "Autumn 2 2024"],
      ["autumn-1-2024", "Autumn 1 2024"],
    ]);
    expect(choices.term.map((c) => [c.label, c.from, c.to])).toEqual([
      ["Spring 2025, to the end of Spring 1", S1.from, S1.to],
      ["Autumn 2024", A1.from, A2.to],
    ]);
    expect(choices["academic-year"].map((c) => [c.label, c.from, c.to])).toEqual([["2024/25, to the end of Spring 1", "2024-08-01", S1.to]]);
    expect(choices.ytd.map((c) => c.label)).toEqual(["2024/25 to the end of Spring 1", "2024/25 to the end of Autumn 2", "2024/25 to the end of Autumn 1"]);
  });

  it("answer a week, a month, a custom range or a half term not ended with the nearest allowed period, and say so", async () => {
    const halves = await withConnection(db, halfTermsOf);
    const custom = resolveGovernorPeriod(halves, { name: "custom", today: HALF_TERMS_TODAY, from: "2024-10-07", to: "2024-10-08" }, { from: "2024-10-07", to: "2024-10-08", label: "7 Oct 2024 – 8 Oct 2024" });
    expect([custom.period?.key, custom.period?.from, custom.period?.to]).toEqual(["autumn-2-2024", A2.from, A2.to]);
    expect(custom.notice).toContain("Not applied: Period (7 Oct 2024 – 8 Oct 2024). Showing Autumn 2 2024 instead.");
    const week = resolveGovernorPeriod(halves, { name: "this-week", today: HALF_TERMS_TODAY }, { from: "2025-02-10", to: "2025-02-10", label: "This week" });
    expect([week.period?.key, week.notice]).toEqual(["spring-1-2025", expect.stringContaining("Not applied: Period (This week). Showing Spring 1 2025 instead.")]);
    const notEnded = resolveGovernorPeriod(halves, { name: "half-term", today: HALF_TERMS_TODAY, half: "spring-2-2025" }, null);
    expect([notEnded.period?.key, notEnded.notice]).toEqual(["spring-1-2025", expect.stringContaining("Not applied: Half term (Spring 2 2025), not among the half terms governors can choose. Showing Spring 1 2025 instead.")]);
    const asked = resolveGovernorPeriod(halves, { name: "term", today: HALF_TERMS_TODAY, term: "autumn-2024" }, null);
    expect([asked.period?.from, asked.period?.to, asked.period?.halfTerms, asked.notice]).toEqual([A1.from, A2.to, ["autumn-1-2024", "autumn-2-2024"], null]);
    // Last year: the same half terms a year earlier; none in this calendar, so no span (not the
    // same dates a year back: test/governor-break.test.ts), and the next year's autumn term
    // finds this one's.
    expect(governorLastYear(halves, asked.period!)).toBeNull();
    expect(governorLastYear(halves, { from: "2025-09-01", to: "2025-10-31", halfTerms: ["autumn-1-2025", "autumn-2-2025"] })).toEqual({ from: A1.from, to: A2.to });
    // Before any half term has ended: no period, and when the first ends.
    const early = resolveGovernorPeriod(halves, { name: "ytd", today: "2024-09-20" }, null);
    expect([early.period, early.notice]).toEqual([null, expect.stringContaining("the first, Autumn 1 2024, ends on 27 September 2024")]);
  });

  it("the Overview for a governor answers a custom day range with the half term, on the server (not that range's figures)", async () => {
    type Overview = { period: { from: string; to: string; label: string }; notice: string | null; current: { possible_sessions: number; authorised_sessions: number } };
    const asked = await loaderData<Overview>(overviewLoader, db, governor.cookie, "/?period=custom&from=2024-10-07&to=2024-10-08");
    expect([asked.period.from, asked.period.to]).toEqual([A2.from, A2.to]);
    expect(asked.notice).toContain("Not applied: Period (7 Oct 2024 – 8 Oct 2024). Showing Autumn 2 2024 instead.");
    const halfTerm = await withConnection(db, (c) => summarise(c, { ...A2, filter: {} }));
    expect(asked.current.possible_sessions).toBe(halfTerm.possible_sessions);
    const twoDays = await withConnection(db, (c) => summarise(c, { from: "2024-10-07", to: "2024-10-08", filter: {} }));
    expect(asked.current.possible_sessions).not.toBe(twoDays.possible_sessions);
  });
});

describe("a governor's period the address asked for and no page applies", () => {
  // Every page a governor opens with a period says what it did not apply and what it shows
  // instead, as a refused filter reads (a fresh-clone trial: /?period=custom&from=…&to=… showed
  // Autumn 1 with the rule's long sentence and no "instead"; /?from=…&to=… showed the year to
  // date saying only that dates were "not used"; the governors' pack dropped them without a word).
  const pages: Array<[string, Loader]> = [["/", overviewLoader], ["/classes", classesLoader], ["/groups", groupsLoader], ["/trends", trendsLoader], ["/patterns", patternsLoader], ["/codes", codesLoader]];
  it.each(pages)("%s says it", async (path, loader) => {
    const custom = await loaderData<{ notice: string | null }>(loader, db, governor.cookie, `${path}?period=custom&from=2024-10-07&to=2024-10-08`);
    expect(custom.notice).toContain("Not applied: Period (7 Oct 2024 – 8 Oct 2024). Showing Autumn 2 2024 instead.");
    const dates = await loaderData<{ notice: string | null; period: { label: string } }>(loader, db, governor.cookie, `${path}?from=2024-10-07&to=2024-10-08`);
    expect(dates.period.label).toBe("2024/25 to the end of Spring 1");
    expect(dates.notice).toContain(`Not applied: from "2024-10-07" (governors' periods are whole half terms, chosen in the period picker, not dates); to "2024-10-08" (governors' periods are whole half terms, chosen in the period picker, not dates). Showing 2024/25 to the end of Spring 1 instead.`);
    // Half a custom range falls back as a date alone does: the year to date, each saying what it did not apply.
    const halfRange = await loaderData<{ notice: string | null; period: { label: string } }>(loader, db, governor.cookie, `${path}?period=custom&from=2024-10-07`);
    const fromAlone = await loaderData<{ notice: string | null; period: { label: string } }>(loader, db, governor.cookie, `${path}?from=2024-10-07`);
    expect([halfRange.period.label, fromAlone.period.label]).toEqual(["2024/25 to the end of Spring 1", "2024/25 to the end of Spring 1"]);
    expect(halfRange.notice).toContain("Not applied: Period (a custom range from 7 Oct 2024 with no end date). Showing 2024/25 to the end of Spring 1 instead.");
    expect(fromAlone.notice).toContain(`Not applied: from "2024-10-07" (governors' periods are whole half terms, chosen in the period picker, not dates). Showing 2024/25 to the end of Spring 1 instead.`);
    // A half term given with the year to date is read: nothing to say.
    expect((await loaderData<{ notice: string | null }>(loader, db, governor.cookie, `${path}?period=ytd&half=autumn-2-2024`)).notice).toBeNull();
  });

  it("the governors' pack says it too, and shows its own term", async () => {
    const pack = await loaderData<{ notice: string | null; label: string }>(fgbLoader, db, governor.cookie, "/packs/fgb?period=custom&from=2024-10-07&to=2024-10-08");
    expect(pack.notice).toBe(`Not applied: period "custom", from "2024-10-07", to "2024-10-08" (this pack covers a whole term, chosen below). Showing ${pack.label} instead.`);
    expect((await loaderData<{ notice: string | null }>(fgbLoader, db, governor.cookie, "/packs/fgb?term=autumn-2024")).notice).toBeNull();
  });
});

/** The governors' periods of this register: every half term, term, year and year to date. */
const PERIODS: Array<[string, string[]]> = [
  ["Autumn 1", ["autumn-1-2024"]],
  ["Autumn 2", ["autumn-2-2024"]],
  ["Spring 1", ["spring-1-2025"]],
  ["Autumn term", ["autumn-1-2024", "autumn-2-2024"]],
  ["2024/25 to the end of Spring 1", ["autumn-1-2024", "autumn-2-2024", "spring-1-2025"]],
];
const HALVES: Record<string, { from: string; to: string }> = { "autumn-1-2024": A1, "autumn-2-2024": A2, "spring-1-2025": S1 };
const UNITS: Array<[string, PupilFilter]> = [
  ["school|all", {}],
  ["year:3|all", { year_group: "3" }],
  ["year:4|all", { year_group: "4" }],
  ["class:3A|all", { reg_group: "3A" }],
  ["class:3C|all", { reg_group: "3C" }],
  ["class:3D|all", { reg_group: "3D" }],
  ["class:4A|all", { reg_group: "4A" }],
];
const spanOf = (keys: string[]) => ({ from: HALVES[keys[0]].from, to: HALVES[keys.at(-1)!].to });

describe("a cell withheld in a half term is withheld in every period containing it", () => {
  /** What a governor's plan withholds of each unit over a span (its whole row). */
  const rowsWithheld = (c: Connection, span: { from: string; to: string }) =>
    Promise.all(UNITS.map(async ([key, filter]) => [key, ((await governorWithheldBy(c, { ...span, filter }, null, MIN)).get("")?.row ?? null) !== null] as const));

  it("3C (4 pupils in Autumn 1, 5 after): withheld over Autumn 1, and so over the autumn term and the year; given over Autumn 2", async () => {
    await withConnection(db, async (c) => {
      const pupils = async (span: { from: string; to: string }) => (await summarise(c, { ...span, filter: { reg_group: "3C" } })).pupils;
      expect([await pupils(A1), await pupils(A2), await pupils(spanOf(["autumn-1-2024", "autumn-2-2024"]))]).toEqual([4, 5, 5]);
      const withheld = async (span: { from: string; to: string }) => (await governorWithheldBy(c, { ...span, filter: { reg_group: "3C" } }, null, MIN)).get("")!.row;
      expect(await withheld(A1)).not.toBeNull();
      expect(await withheld(A2)).toBeNull();
      expect(await withheld(spanOf(["autumn-1-2024", "autumn-2-2024"]))).not.toBeNull();
      expect(await withheld(spanOf(["autumn-1-2024", "autumn-2-2024", "spring-1-2025"]))).not.toBeNull();
      // Planned on its own counts, the term would publish 3C (5 pupils, nothing small).
      const own = (await governorLattice(c, spanOf(["autumn-1-2024", "autumn-2-2024"]), null, MIN)).get("")!;
      expect(own.cells.find((g) => g.key === "class:3C|all")!.pupils).toBe(5);
    });
  });

  it("no combination of the figures published over every period a governor can choose gives a withheld half term's figure", async () => {
    await withConnection(db, async (c) => {
      // Variables: each unit's sessions in each half term; published: each unit's sessions over
      // each period where its row is given (a sum over the period's half terms); known: the sums
      // between units in each half term (school = years = classes; a year = its classes).
      const halves = Object.keys(HALVES);
      const index = (unit: string, half: string) => UNITS.findIndex(([k]) => k === unit) * halves.length + halves.indexOf(half);
      const size = UNITS.length * halves.length;
      const rows: number[][] = [];
      for (const [, keys] of PERIODS) {
        for (const [unit, withheld] of await rowsWithheld(c, spanOf(keys))) {
          if (withheld) continue;
          const row = Array<number>(size).fill(0);
          for (const half of keys) row[index(unit, half)] = 1;
          rows.push(row);
        }
      }
      const sums: Array<[string, string[]]> = [
        ["school|all", ["year:3|all", "year:4|all"]],
        ["school|all", ["class:3A|all", "class:3C|all", "class:3D|all", "class:4A|all"]],
        ["year:3|all", ["class:3A|all", "class:3C|all", "class:3D|all"]],
        ["year:4|all", ["class:4A|all"]],
      ];
      for (const half of halves) {
        for (const [total, parts] of sums) {
          const row = Array<number>(size).fill(0);
          row[index(total, half)] = 1;
          for (const part of parts) row[index(part, half)] = -1;
          rows.push(row);
        }
      }
      const recovered: string[] = [];
      const tried: string[] = [];
      for (const half of halves) {
        for (const [unit, withheld] of await rowsWithheld(c, HALVES[half])) {
          if (!withheld) continue;
          tried.push(`${unit} in ${half}`);
          const target = Array<number>(size).fill(0);
          target[index(unit, half)] = 1;
          if (inSpan(rows, target)) recovered.push(`${unit} in ${half}`);
        }
      }
      expect(tried).toContain("class:3C|all in autumn-1-2024");
      expect(recovered).toEqual([]);
      // The test can find one: with the autumn term's 3C given (planned alone), Autumn 1's
      // 3C is the term's less Autumn 2's.
      const term = Array<number>(size).fill(0);
      term[index("class:3C|all", "autumn-1-2024")] = term[index("class:3C|all", "autumn-2-2024")] = 1;
      const a1 = Array<number>(size).fill(0);
      a1[index("class:3C|all", "autumn-1-2024")] = 1;
      expect(inSpan([...rows, term], a1)).toBe(true);
    });
  });
});

describe("a period's slices are decided once per half term", () => {
  it("3D over Autumn 2 (5 pupils, 4 in its first week): every week withheld, not its first alone (the total less the others)", async () => {
    await withConnection(db, async (c) => {
      const query = { ...A2, filter: { reg_group: "3D" } };
      expect((await summarise(c, query)).pupils).toBe(5);
      expect((await governorWithheldBy(c, query, null, MIN)).get("")!.row).toBeNull();
      const weeks = (await summariseBy(c, query, "week")).map((w) => w.group);
      expect(weeks).toEqual(["2024-10-07", "2024-10-14", "2024-10-21", "2024-10-28"]);
      // Planned week by week, only the first week (4 pupils) is withheld: Autumn 2's total less
      // the other three gives it.
      const byWeek = await governorLattice(c, A2, "week", MIN);
      expect(weeks.filter((w) => byWeek.get(w)!.withheld({ reg_group: "3D" }).row)).toEqual(["2024-10-07"]);
      const withheld = await governorBreakdownWithheld(c, query, "week", MIN);
      expect(weeks.filter((w) => withheld.get(w)?.row)).toEqual(weeks);
      // Its days too, Tuesday 8 October included (4 pupils) and 21 October (5).
      const days = await governorBreakdownWithheld(c, query, "date", MIN);
      expect(["2024-10-08", "2024-10-21"].map((d) => Boolean(days.get(d)?.row))).toEqual([true, true]);
      // 4A, 10 pupils throughout, but B0 its one pupil absent (unauthorised) on Autumn 2's first
      // Tuesday: that day's "2 sessions" are one pupil, so every week of 4A's half term goes too
      // (analytics/governor-lattice.ts governorSlicePlans; it was given before).
      const fourA = await governorBreakdownWithheld(c, { ...A2, filter: { reg_group: "4A" } }, "week", MIN);
      expect([...fourA.keys()]).toEqual(weeks);
    });
  });
});
