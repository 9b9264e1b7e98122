/**
 * Issue 13, case 9: the pupils absent at least once, the count a governor's Overview gives over
 * a week (and in "what changed"), is planned with the governors' other figures
 * (analytics/governor-lattice.ts), so a withheld count cannot be worked out by subtraction;
 * and beside a withheld count the group's absence in sessions is withheld too, as a session
 * count bounds the pupils (analytics/governor-view.ts applyAbsentWithheld).
 *
 * The register (test/helpers/absent-register.ts): Year 3 is 3A (5 of 6 absent over the week)
 * and 3B (2 of 6); Year 4 is 4A (6 of 10). Pupils absent, by hand: school 13, Year 3 7,
 * 3A 5, 3B 2, Year 4 6, 4A 6.
 * Before this case the count was withheld only when itself 1 … 4: 3B "fewer than 5" beside
 * Year 3's 7 and 3A's 5 gave 3B = 2.
 * On Tuesday alone 3B has 1 pupil absent and 1 authorised session: with the session shown,
 * "fewer than 5" pupils absent ≤ 1 absent session pins the count at 1. Over that one day the
 * pupil is also 3B's one persistently and severely absent pupil (1 of 2 sessions: 50 %), and
 * the plan bounds PA and SA by the sessions over every span (analytics/governor-lattice.ts
 * TableOptions): the same session pins them, so 3B's whole row goes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { applyAbsentWithheld, governorWithheldBy } from "../analytics/governor-view.ts";
import { pupilsAbsent, summarise, type MeasureQuery, type PupilFilter } from "../analytics/measures.ts";
import { inferBounds, isSmallCount, WITHHELD_TEXT, type Bounds, type SumRule, type Withheld } from "../analytics/suppression.ts";
import { ABSENT_WEEK, seedAbsentRegister } from "./helpers/absent-register.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { loader as overviewLoader } from "../app/routes/_index.tsx";
import { createTestAccounts, type TestAccount } from "./helpers/auth.ts";
import { loaderData } from "./helpers/loader.ts";

const db = tempDbPath("governor-absent");
const MIN = 5;
const WEEK = ABSENT_WEEK;
const SPAN = { from: WEEK[0], to: WEEK[4] };
const TUESDAY = { from: WEEK[1], to: WEEK[1] };
/** The Monday after the week: its half term (the week) has ended. */
const AFTER_WEEK = "2024-09-16";
let governor: TestAccount;

beforeAll(async () => {
  await withConnection(db, seedAbsentRegister);
  governor = (await createTestAccounts(db)).governor;
});
afterAll(() => removeDb(db));

/** Every unit a governor's Overview can be filtered to, by the reader's names for them. */
const UNITS: Array<[string, PupilFilter]> = [
  ["school", {}],
  ["Y3", { year_group: "3" }],
  ["Y4", { year_group: "4" }],
  ["3A", { reg_group: "3A" }],
  ["3B", { reg_group: "3B" }],
  ["4A", { reg_group: "4A" }],
];
/** The sums a reader knows, written out by hand. */
const SUMS: SumRule[] = [
  { total: "school", parts: ["Y3", "Y4"] },
  { total: "school", parts: ["3A", "3B", "4A"] },
  { total: "Y3", parts: ["3A", "3B"] },
  { total: "Y4", parts: ["4A"] },
];

/**
 * What a governor reads of the pupils absent in each unit over `span`, narrowed by the sums:
 * `rule` says what is withheld ("plan": the span's plan, as the Overview now reads it;
 * "small only": a count of 1 … 4 alone, as it was).
 */
async function readerRanges(span: { from: string; to: string }, rule: "plan" | "small only") {
  return withConnection(db, async (c) => {
    const known = new Map<string, number>();
    const withheld = new Map<string, Bounds>();
    const counts: Record<string, number> = {};
    for (const [name, filter] of UNITS) {
      const query: MeasureQuery = { ...span, filter };
      const { absent } = await pupilsAbsent(c, query);
      counts[name] = absent;
      const text = rule === "plan" ? ((await governorWithheldBy(c, query, null, MIN)).get("")!.absent ?? null) : isSmallCount(absent, MIN) ? WITHHELD_TEXT : null;
      if (text === null) known.set(name, absent);
      // Every withheld count reads "withheld"; this reader is stronger, and knows which are
      // 1 … 4 (as the old words "fewer than 5" told, and as the planner assumes).
      else withheld.set(name, isSmallCount(absent, MIN) ? { lo: 1, hi: MIN - 1 } : { lo: 0, hi: Number.POSITIVE_INFINITY });
    }
    return { counts, known, ranges: inferBounds(known, withheld, SUMS) };
  });
}

describe("pupils absent at least once, for a governor", () => {
  it("are counted as worked by hand", async () => {
    const { counts } = await readerRanges(SPAN, "small only");
    expect(counts).toEqual({ school: 13, Y3: 7, Y4: 6, "3A": 5, "3B": 2, "4A": 6 });
  });

  it("control: withholding only the small count lets 3B's 2 be worked out (Year 3's 7 − 3A's 5)", async () => {
    const { ranges } = await readerRanges(SPAN, "small only");
    expect(ranges.get("3B")).toEqual({ lo: 2, hi: 2 });
  });

  it("withholds 3B's count and enough others that no withheld count can be worked out", async () => {
    const { known, ranges } = await readerRanges(SPAN, "plan");
    expect(known.has("3B")).toBe(false);
    expect([...known.values()].filter((n) => isSmallCount(n, MIN))).toEqual([]);
    for (const [name, range] of ranges) expect(range.lo, `${name}: ${range.lo}…${range.hi}`).toBeLessThan(range.hi);
    // The whole school's count stays published (it is withheld only if nothing else will do).
    expect(known.get("school")).toBe(13);
  });
});

describe("absence in sessions beside a withheld count of pupils absent", () => {
  it("3B on Tuesday: 1 pupil absent, 1 authorised session; both withheld (with the row: the session pins its PA and SA too)", async () => {
    await withConnection(db, async (c) => {
      const query: MeasureQuery = { ...TUESDAY, filter: { reg_group: "3B" } };
      const measures = await summarise(c, query);
      expect([measures.pupils, measures.possible_sessions, measures.authorised_sessions, measures.unauthorised_sessions]).toEqual([6, 12, 1, 0]);
      expect((await pupilsAbsent(c, query)).absent).toBe(1);
      const withheld: Withheld = (await governorWithheldBy(c, query, null, MIN)).get("")!;
      expect(withheld.row).toBe(WITHHELD_TEXT);
      expect(withheld.absent).toBe(WITHHELD_TEXT);
      // A reader with the session: 1 ≤ pupils absent ≤ absent sessions = 1. So it goes.
      const shown = applyAbsentWithheld(measures, withheld);
      expect([shown.pupils, shown.possible_sessions]).toEqual([0, 0]);
      expect([shown.present_sessions, shown.aea_sessions, shown.authorised_sessions, shown.unauthorised_sessions]).toEqual([0, 0, 0, 0]);
      expect([shown.attendance_pct, shown.absence_pct, shown.authorised_pct, shown.unauthorised_pct]).toEqual([null, null, null, null]);
    });
  });

  it("leaves a group's sessions alone where its count is published (4A over the week: 6 absent)", async () => {
    await withConnection(db, async (c) => {
      const query: MeasureQuery = { ...SPAN, filter: { reg_group: "4A" } };
      const measures = await summarise(c, query);
      const withheld = (await governorWithheldBy(c, query, null, MIN)).get("")!;
      expect(withheld.absent).toBeNull();
      expect(applyAbsentWithheld(measures, withheld)).toEqual(measures);
      expect(measures.unauthorised_sessions).toBe(6);
    });
  });
});

describe("absence across periods: a shorter span from the longer spans around it", () => {
  /**
   * What a governor's Overview gives over the span a URL asks for, read from the page's own
   * loader as a signed-in governor (app/routes/_index.tsx): the period it answers with, the
   * pupils absent (null when withheld) and the absent sessions (null when withheld with them).
   */
  async function overviewOver(span: { from: string; to: string }) {
    type Overview = {
      period: { from: string; to: string };
      notice: string | null;
      current: { authorised_sessions: number; unauthorised_sessions: number };
      absenceWithheld: string | null;
      shortSpan: { current: { absent: number | null } } | null;
    };
    const data = await loaderData<Overview>(overviewLoader, db, governor.cookie, `/?period=custom&from=${span.from}&to=${span.to}`);
    return {
      period: data.period,
      notice: data.notice,
      absent: data.shortSpan?.current.absent ?? null,
      absentSessions: data.absenceWithheld ? null : data.current.authorised_sessions + data.current.unauthorised_sessions,
    };
  }

  // The school on Tuesday: 1 pupil absent (3B's), 1 session. The Overview over Tuesday withholds
  // both ("fewer than 5"); over Monday–Tuesday (12 absent, 12 sessions) and Monday (11, 11) it
  // gave both: Tuesday's sessions were 12 − 11 = 1, so 1 pupil. A governor now reads whole half
  // terms that have ended only (analytics/governor-periods.ts): each of the three asks is
  // answered with the week's half term, on the server, with a notice saying so.
  it("a day's withheld count cannot be pinned by the Overview over the days around it", async () => {
    const saved = process.env.ROLLCALL_TODAY;
    process.env.ROLLCALL_TODAY = AFTER_WEEK;
    try {
      const tuesday = await overviewOver(TUESDAY);
      const monToTue = await overviewOver({ from: WEEK[0], to: WEEK[1] });
      const monday = await overviewOver({ from: WEEK[0], to: WEEK[0] });
      // The reader's sum: 1 ≤ Tuesday's pupils absent ≤ its absent sessions.
      const tuesdaySessions = (monToTue.absentSessions ?? 0) - (monday.absentSessions ?? 0);
      expect(tuesdaySessions, "Tuesday's absent sessions, by subtraction").not.toBe(1);
      for (const asked of [tuesday, monToTue, monday]) {
        expect(asked.period).toMatchObject({ from: WEEK[0], to: WEEK[4] });
        expect(asked.notice).toContain("Governors see whole half terms");
        // The week's: 13 pupils absent, 13 absent sessions.
        expect([asked.absent, asked.absentSessions]).toEqual([13, 13]);
      }
    } finally {
      if (saved === undefined) delete process.env.ROLLCALL_TODAY;
      else process.env.ROLLCALL_TODAY = saved;
    }
  });
});
