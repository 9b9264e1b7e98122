/**
 * A session-level breakdown's sessions without its counts of pupils (analytics/measures.ts
 * summariseSessionsBy: the packs' weeks and days of the week, which print none) must be
 * summariseBy's groups — the same groups, in the same order, with the same sessions and rates —
 * while, over the unfiltered school under half-term membership, not reading the pupils
 * (halfTermPupilTotals: one statement, not two). On the demo school (movers, joiners, leavers,
 * the leavers' group): every governor's span of whole half terms ending in 2025/26 or autumn
 * 2026, and the SLT pack's plain months, by week, month, date, term and weekday, unfiltered and
 * filtered (a filter takes summariseBy's own groups), outside and inside a piece of work.
 */
import { describe, expect, it } from "vitest";
import { withConnection, withSharedReads, type Connection } from "../analytics/db.ts";
import {
  governorQuery,
  summariseBy,
  summariseSessionsBy,
  type GroupMeasures,
  type MeasureQuery,
  type PupilFilter,
  type SessionDimension,
} from "../analytics/measures.ts";
import { demoSchool } from "./helpers/demo-school.ts";
import { countStatements } from "./helpers/statement-count.ts";
import { governorSpans } from "./helpers/governor-spans.ts";

/** A group's sessions and rates, as summariseSessionsBy gives them (written out here, not taken from it). */
const sessions = (r: GroupMeasures) => ({
  group: r.group,
  possible_sessions: r.possible_sessions,
  present_sessions: r.present_sessions,
  aea_sessions: r.aea_sessions,
  authorised_sessions: r.authorised_sessions,
  unauthorised_sessions: r.unauthorised_sessions,
  attendance_pct: r.attendance_pct,
  absence_pct: r.absence_pct,
  authorised_pct: r.authorised_pct,
  unauthorised_pct: r.unauthorised_pct,
});

/** Every governor's span of whole half terms ending in 2025/26 or autumn 2026 (governorSpans), and two plain months. */
async function spans(c: Connection): Promise<Array<{ label: string; query: (filter: PupilFilter) => MeasureQuery }>> {
  const governor = (await governorSpans(c)).map(({ label, from, to }) => ({ label, query: (filter: PupilFilter) => governorQuery({ from, to, filter }) }));
  const plain = [["2026-10-01", "2026-10-31"], ["2025-09-01", "2026-07-31"]].map(([from, to]) => ({ label: `plain ${from} to ${to}`, query: (filter: PupilFilter): MeasureQuery => ({ from, to, filter }) }));
  return [...governor, ...plain];
}

const BREAKDOWNS: SessionDimension[] = ["week", "month", "date", "term", "weekday"];
const pupilsRead = (sql: string) => /possible > 0 AND 10 \* absent >= possible/.test(sql);

describe("a session-level breakdown's sessions without its pupils", () => {
  const demo = demoSchool("session-breakdown-sessions", "2026-11-23");

  it("gives summariseBy's groups, sessions and rates, in its order, reading no pupils for the unfiltered school", async () => {
    let compared = 0;
    await withConnection(demo.db, async (c) => {
      const all = await spans(c);
      expect(all.length).toBeGreaterThan(10);
      for (const span of all) {
        for (const by of BREAKDOWNS) {
          for (const filter of [{}, { year_group: "3" }, { fsm: "Y" }] as PupilFilter[]) {
            const label = `${span.label} by ${by} ${JSON.stringify(filter)}`;
            const expected = (await summariseBy(c, span.query(filter), by)).map(sessions);
            const { value, statements } = await countStatements(c, pupilsRead, () => summariseSessionsBy(c, span.query(filter), by));
            expect(value, label).toEqual(expected);
            // Written afresh above; here, what the function gives has nothing more (no count of pupils).
            expect(value.every((r) => Object.keys(r).length === Object.keys(sessions(r as GroupMeasures)).length), label).toBe(true);
            if (Object.keys(filter).length === 0) expect(statements, `${label}: pupils read`).toBe(0);
            compared += value.length;
          }
        }
      }
    });
    expect(compared).toBeGreaterThan(2000);
  }, 600_000);

  it("sums each group's sessions without first summing each pupil's", async () => {
    // The per-pupil step only counts pupils (summariseBySessions' per_pupil): these figures print
    // none, and at 4,500 pupils it was most of the SLT pack's weeks' statement (analytics/measures.ts sessionsBySessions).
    const perPupil = (sql: string) => /GROUP BY u\.grp, u\.pupil_id/.test(sql);
    let read = 0;
    await withConnection(demo.db, async (c) => {
      for (const span of (await spans(c)).slice(-3)) {
        for (const by of BREAKDOWNS) {
          let units = 0;
          const { statements } = await countStatements(c, (sql) => {
            if (/\bu AS \(/.test(sql)) units += 1;
            return perPupil(sql);
          }, () => summariseSessionsBy(c, span.query({}), by));
          expect(statements, `${span.label} by ${by}: grouped per pupil`).toBe(0);
          read += units;
        }
      }
    });
    // The groups were read (not answered some other way the check would not see).
    expect(read).toBeGreaterThanOrEqual(15);
  }, 300_000);

  it("gives the same inside a piece of work, where a plan's groups may be at hand", async () => {
    await withConnection(demo.db, (c) =>
      withSharedReads(c, async () => {
        for (const span of (await spans(c)).slice(0, 6)) {
          for (const by of BREAKDOWNS) {
            expect(await summariseSessionsBy(c, span.query({}), by), `${span.label} by ${by}`).toEqual((await summariseBy(c, span.query({}), by)).map(sessions));
          }
        }
      }),
    );
  }, 300_000);
});
