/**
 * A term's weeks under half-term membership sliced from its academic year's weeks to the same
 * end (analytics/measures.ts weeksFromYear; issue 11): the FGB pack reads the year to date by
 * week for its chart, then the term by week for its table, and at 4,500 pupils the term's own
 * read cost a second of DuckDB time (since session 40 only the workbook's to-date tabs read the
 * year's finest groups by week, summariseWithinEach; the chart's weeks are read narrower). The
 * slice must give what the term's own read gives: figures worked out by hand below, asked after the year's read (sliced) and on a connection
 * that never read the year (the term's own read).
 *
 * School days (a test calendar; each half term's pupils' groups read at its last school day,
 * the span's end for the last):
 * - autumn-1-2025: 1 – 5 September 2025 (term autumn-2025);
 * - spring-1-2026: 5 – 9 January 2026, spring-2-2026: 12 – 13 January (term spring-2026);
 * - summer-1-2026: 14 – 15 January, summer-2-2026: 16 January (term summer-2026; it starts on
 *   the Wednesday of a week whose Monday and Tuesday are spring's).
 * Pupils, all Year 3, every session present but:
 * - P1 (3A): off ill (I) on 6 January, both sessions;
 * - P2 (3A): leaves on 9 January;
 * - P3: 3A until 11 January, 3B from 12 January; absent unauthorised (O) on 12 January AM.
 *
 * Spring term by week, 3A: week of 5 January (spring-1): P1, P2, P3 — 3 pupils, 30 possible
 * sessions, 2 authorised, P1 persistently absent (2 of 10); week of 12 January (spring-2): P1
 * alone — 1 pupil, 4 possible. 3B: week of 12 January: P3, 4 possible, 1 unauthorised,
 * persistently absent (1 of 4, not severely: 2 × 1 < 4).
 * Summer term by week: week of 12 January counts only 14 – 16 January (the year's row for that
 * week holds 12 – 13 January too, so it is not sliced): 3B P3 6 possible, none absent; 3A P1 6.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection, withSharedReads, type Connection } from "../analytics/db.ts";
import { governorQuery, summariseBy, summariseWithinEach, type GroupMeasures, type MeasureQuery } from "../analytics/measures.ts";
import { registerOf, seedSchoolDays } from "./helpers/calendar.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { seedRegister } from "./helpers/register.ts";
import { countStatements } from "./helpers/statement-count.ts";

const db = tempDbPath("pack-weeks-from-year");
beforeAll(async () => {
  await withConnection(db, async (c) => {
    const days = await seedSchoolDays(c, [
      { from: "2025-09-01", to: "2025-09-05", half: "autumn-1-2025", term: "autumn-2025" },
      { from: "2026-01-05", to: "2026-01-09", half: "spring-1-2026", term: "spring-2026" },
      { from: "2026-01-12", to: "2026-01-13", half: "spring-2-2026", term: "spring-2026" },
      { from: "2026-01-14", to: "2026-01-15", half: "summer-1-2026", term: "summer-2026" },
      { from: "2026-01-16", to: "2026-01-16", half: "summer-2-2026", term: "summer-2026" },
    ]);
    await seedRegister(c, {
      pupils: [
        { upn: "P1", admission_date: "2025-09-01" },
        { upn: "P2", admission_date: "2025-09-01", leaving_date: "2026-01-09" },
        {
          upn: "P3",
          admission_date: "2025-09-01",
          spells: [
            { from: "2025-09-01", to: "2026-01-11", reg_group: "3A" },
            { from: "2026-01-12", reg_group: "3B" },
          ],
        },
      ],
      marks: [
        ...registerOf("P1", days, { "2026-01-06": ["I", "I"] }),
        ...registerOf("P2", days.filter((d) => d <= "2026-01-09")),
        ...registerOf("P3", days, { "2026-01-12": ["O", "/"] }),
      ],
    });
  });
});
afterAll(() => removeDb(db));

const YEAR_FROM = "2025-08-01";
const SPRING = { from: "2026-01-05", to: "2026-01-13" };
const SUMMER = { from: "2026-01-14", to: "2026-01-16" };

/** [week, pupils, possible, authorised, unauthorised, PA, SA] of each week. */
const weeks = (rows: GroupMeasures[]) => rows.map((m) => [m.group, m.pupils, m.possible_sessions, m.authorised_sessions, m.unauthorised_sessions, m.pa_pupils, m.sa_pupils]);

/** The connection's reads of the marks under half-term membership (the atoms' reads), counted while `work` runs. */
async function membershipReads<T>(c: Connection, work: () => Promise<T>): Promise<{ value: T; reads: number }> {
  const { value, statements } = await countStatements(c, (sql) => sql.includes("half_list"), work);
  return { value, reads: statements };
}

/** A class's weeks over `span` within one piece of work (a pack), after the year to the span's end by week when `afterYear`. */
async function classWeeks(span: { from: string; to: string }, reg_group: string, afterYear: boolean) {
  return withConnection(db, (c) =>
    withSharedReads(c, async () => {
      const query = (from: string): MeasureQuery => governorQuery({ from, to: span.to, filter: { reg_group } });
      // The year's finest groups by week read in the same piece of work, as the FGB workbook's
      // to-date tabs read them (summariseWithinEach; summariseBy reads them only when at hand).
      if (afterYear) await summariseWithinEach(c, query(YEAR_FROM), ["reg_group"], "week");
      return membershipReads(c, () => summariseBy(c, query(span.from), "week"));
    }),
  );
}

describe("a term's weeks sliced from its year's (half-term membership)", () => {
  it("spring: after the year's weeks, the same figures as the term's own read, with no read of its own", async () => {
    const ownA = await classWeeks(SPRING, "3A", false);
    // The term's own: its sessions and its pupils by week, two reads (no finest groups at hand:
    // analytics/measures.ts summariseBy).
    expect(ownA.reads).toBe(2);
    expect(weeks(ownA.value)).toEqual([
      ["2026-01-05", 3, 30, 2, 0, 1, 0],
      ["2026-01-12", 1, 4, 0, 0, 0, 0],
    ]);
    const slicedA = await classWeeks(SPRING, "3A", true);
    expect(slicedA.reads).toBe(0);
    expect(weeks(slicedA.value)).toEqual(weeks(ownA.value));
    const slicedB = await classWeeks(SPRING, "3B", true);
    expect(slicedB.reads).toBe(0);
    expect(weeks(slicedB.value)).toEqual([["2026-01-12", 1, 4, 0, 1, 1, 0]]);
    expect(weeks(slicedB.value)).toEqual(weeks((await classWeeks(SPRING, "3B", false)).value));
  });

  it("summer: its first week holds spring's days in the year's row, so it is read on its own (only 14 – 16 January)", async () => {
    const b = await classWeeks(SUMMER, "3B", true);
    expect(b.reads).toBe(1);
    expect(weeks(b.value)).toEqual([["2026-01-12", 1, 6, 0, 0, 0, 0]]);
    expect(weeks((await classWeeks(SUMMER, "3A", true)).value)).toEqual([["2026-01-12", 1, 6, 0, 0, 0, 0]]);
  });
});
