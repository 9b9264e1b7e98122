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
import { halfTermsOf } from "../analytics/governor-periods.ts";
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

/** Every governor's span of whole half terms ending in 2025/26 or autumn 2026, and two plain months. */
async function spans(c: Connection): Promise<Array<{ label: string; query: (filter: PupilFilter) => MeasureQuery }>> {
  const halves = (await halfTermsOf(c)).filter((h) => h.academicYear === "2025/26" || h.key === "autumn-1-2026");
  const out = new Map<string, { label: string; query: (filter: PupilFilter) => MeasureQuery }>();
  for (const h of halves) {
    const term = halves.filter((x) => x.term === h.term && x.from <= h.from);
    const year = halves.filter((x) => x.academicYear === h.academicYear && x.from <= h.from);
    for (const [label, from] of [
      [`half ${h.key}`, h.from],
      [`term to ${h.key}`, term[0].from],
      [`year to ${h.key}`, year[0].from],
    ] as const) out.set(`${from}|${h.to}`, { label, query: (filter) => governorQuery({ from, to: h.to, filter }) });
  }
  for (const [from, to] of [["2026-10-01", "2026-10-31"], ["2025-09-01", "2026-07-31"]]) out.set(`plain ${from}`, { label: `plain ${from} to ${to}`, query: (filter) => ({ from, to, filter }) });
  return [...out.values()];
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
