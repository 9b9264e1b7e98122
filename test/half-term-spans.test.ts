/**
 * analytics/half-term-spans.ts: a term and its year to date (spans ending on the same day)
 * read under half-term membership in one statement, each span the sum of its half terms. On
 * the movers' register (test/helpers/movers-register.ts: X is in 3B in Autumn 1 and in 3A in
 * Autumn 2, 7 October), so a class's year to date is not its pupils' sessions at the period's
 * end: 3A's year to date counts X's Autumn 2 alone, 3B's X's Autumn 1. Figures by hand below,
 * and the same as the spans read one by one (summariseSessionsBy, sessionsByCode).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { sessionsByCodeEach, summariseSessionsByEach } from "../analytics/half-term-spans.ts";
import { governorQuery, sessionsByCode, summariseSessionsBy, type MeasureQuery, type PupilFilter } from "../analytics/measures.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { MOVERS_A1, MOVERS_A2, seedMoversRegister } from "./helpers/movers-register.ts";
import { countStatements } from "./helpers/statement-count.ts";

const db = tempDbPath("half-term-spans");
beforeAll(() => withConnection(db, seedMoversRegister));
afterAll(() => removeDb(db));

/** The year to date (from 1 August, before the first school day) and Autumn 2, both to 1 November 2024. */
const spans = (filter: PupilFilter = {}): MeasureQuery[] => [
  governorQuery({ from: "2024-08-01", to: MOVERS_A2.to, filter }),
  governorQuery({ from: MOVERS_A2.from, to: MOVERS_A2.to, filter }),
];
const DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];
const day = (group: string, possible: number, authorised = 0, unauthorised = 0) => ({
  group,
  possible_sessions: possible,
  present_sessions: possible - authorised - unauthorised,
  authorised_sessions: authorised,
  unauthorised_sessions: unauthorised,
});

describe("a term and its year to date by half term", () => {
  it("counts a pupil's sessions in each half term's class (X: 3B to 6 October, 3A after), by hand", async () => {
    await withConnection(db, async (c) => {
      // 3A: A0–A3, C0, C1 on 8 of each weekday (2 sessions each) = 96, and X on Autumn 2's 4 = 8.
      // A0 off ill on Monday 2 September (2 authorised); X absent (O) on Monday 14 October (2 unauthorised).
      const [year3A, term3A] = await summariseSessionsByEach(c, spans({ reg_group: "3A" }), "weekday");
      expect(year3A.map((d) => d.group)).toEqual(DAYS);
      expect(year3A).toMatchObject([day("Monday", 104, 2, 2), ...DAYS.slice(1).map((d) => day(d, 104))]);
      expect(year3A[0].attendance_pct).toBeCloseTo((100 * 100) / 104, 10);
      // Autumn 2: seven pupils on 4 of each weekday.
      expect(term3A).toMatchObject([day("Monday", 56, 0, 2), ...DAYS.slice(1).map((d) => day(d, 56))]);
      // 3B: B0–B3, C2, C3 (96) and X in Autumn 1 (8), X off ill 9–11 September (Monday to Wednesday).
      const [year3B, term3B] = await summariseSessionsByEach(c, spans({ reg_group: "3B" }), "weekday");
      expect(year3B).toMatchObject([day("Monday", 104, 2), day("Tuesday", 104, 2), day("Wednesday", 104, 2), day("Thursday", 104), day("Friday", 104)]);
      expect(term3B).toMatchObject(DAYS.map((d) => day(d, 48)));
    });
  });

  it("gives 3A's weeks: X's week of 9 September in 3B, of 14 October in 3A", async () => {
    await withConnection(db, async (c) => {
      const [year, term] = await summariseSessionsByEach(c, spans({ reg_group: "3A" }), "week");
      expect(year.map((w) => w.group)).toEqual(["2024-09-02", "2024-09-09", "2024-09-16", "2024-09-23", "2024-10-07", "2024-10-14", "2024-10-21", "2024-10-28"]);
      expect(year[0]).toMatchObject(day("2024-09-02", 60, 2));
      expect(year[1]).toMatchObject(day("2024-09-09", 60));
      expect(year[5]).toMatchObject(day("2024-10-14", 70, 0, 2));
      expect(term).toEqual(year.slice(4));
    });
  });

  it("gives 3A's codes: X's O in Autumn 2, none of X's I (in 3B)", async () => {
    await withConnection(db, async (c) => {
      const [year, term] = await sessionsByCodeEach(c, spans({ reg_group: "3A" }));
      // Six pupils on 40 days and X on 20: 260 mornings and 260 afternoons, less A0's and X's day off.
      expect(year.map((r) => [r.code, r.sessions])).toEqual([["/", 258], ["\\", 258], ["I", 2], ["O", 2]]);
      expect(term.map((r) => [r.code, r.sessions])).toEqual([["/", 139], ["\\", 139], ["O", 2]]);
      expect(year.find((r) => r.code === "I")?.category).toBe("authorised");
    });
  });

  it("reads both spans in one statement, with the figures of each read alone, for every cell", async () => {
    await withConnection(db, async (c) => {
      const { value, statements } = await countStatements(c, (sql) => sql.includes("scope AS"), () => summariseSessionsByEach(c, spans({ fsm: "Y" }), "week"));
      expect(statements).toBe(1);
      expect(value[0].length).toBeGreaterThan(0);
      for (const filter of [{}, { reg_group: "3A" }, { reg_group: "3B" }, { reg_group: "3C" }, { fsm: "Y" }, { fsm: "N" }] as PupilFilter[]) {
        const queries = spans(filter);
        for (const by of ["weekday", "week", "half_term"] as const) {
          const alone = [];
          for (const q of queries) alone.push(await summariseSessionsBy(c, q, by));
          expect(await summariseSessionsByEach(c, queries, by)).toEqual(alone);
        }
        const codes = [];
        for (const q of queries) codes.push(await sessionsByCode(c, q));
        expect(await sessionsByCodeEach(c, queries)).toEqual(codes);
      }
    });
  });

  it("reads spans one by one where their half terms differ: a term from its first school day beside a year from 1 August", async () => {
    await withConnection(db, async (c) => {
      // Autumn 1 is the year's first half term, counted from 1 August: the term, from 2 September, is not a sum of the year's half terms.
      const queries = (filter: PupilFilter) => [governorQuery({ from: "2024-08-01", to: MOVERS_A2.to, filter }), governorQuery({ from: MOVERS_A1.from, to: MOVERS_A2.to, filter })];
      const { statements } = await countStatements(c, (sql) => sql.includes("scope AS"), () => summariseSessionsByEach(c, queries({}), "weekday"));
      expect(statements).toBe(2);
      const [, term] = await summariseSessionsByEach(c, queries({ reg_group: "3A" }), "weekday");
      expect(term).toMatchObject([day("Monday", 104, 2, 2), ...DAYS.slice(1).map((d) => day(d, 104))]);
    });
  });
});
