/**
 * A session-level breakdown (weeks, months, dates, terms, weekdays) under half-term membership,
 * read where the span's finest groups are not at hand (analytics/measures.ts summariseBy: the
 * sessions by group and halfTermPupilTotals, the pupils counted by the group of the breakdown
 * alone, not by every set of characteristics), must give what the finest groups give
 * (summariseAtoms by the same breakdown, the filter's groups summed by period: what summariseBy
 * gave from them before, and what the governors' plans are made of). The FGB pack again at
 * 4,500 pupils read the year to date's 63,696 groups by week to print 43 weeks of the whole
 * school. On the demo school (movers, joiners, leavers, the leavers' group), every governor's
 * span of whole half terms ending in 2025/26 or autumn 2026, unfiltered and filtered.
 */
import { describe, expect, it } from "vitest";
import { withConnection, withSharedReads } from "../analytics/db.ts";
import { isLeaversGroup } from "../analytics/leavers.ts";
import {
  governorQuery,
  summariseAtoms,
  summariseBy,
  withRates,
  type AtomCounts,
  type GroupMeasures,
  type MeasureQuery,
  type PupilFilter,
  type SessionDimension,
} from "../analytics/measures.ts";
import { demoSchool } from "./helpers/demo-school.ts";
import { countStatements } from "./helpers/statement-count.ts";
import { governorSpans } from "./helpers/governor-spans.ts";

const COUNTS = ["pupils", "possible_sessions", "present_sessions", "aea_sessions", "authorised_sessions", "unauthorised_sessions", "pa_pupils", "sa_pupils"] as const;

/** The filter's finest groups summed by period, with their rates: the groups' definition of each row. */
function fromAtoms(atoms: readonly AtomCounts[], filter: PupilFilter): Map<string, GroupMeasures> {
  const sums = new Map<string, Record<(typeof COUNTS)[number], number>>();
  for (const a of atoms) {
    if (!Object.entries(filter).every(([k, v]) => a[k as keyof PupilFilter & keyof AtomCounts] === v)) continue;
    const sum = sums.get(a.period) ?? Object.fromEntries(COUNTS.map((k) => [k, 0]));
    for (const k of COUNTS) sum[k] += a[k];
    sums.set(a.period, sum as Record<(typeof COUNTS)[number], number>);
  }
  return new Map([...sums].map(([group, counts]) => [group, { group, ...withRates(counts) }]));
}

describe("session-level breakdowns read without the finest groups", () => {
  const demo = demoSchool("session-breakdown-reads", "2026-11-23");

  it("give every group's figures as the finest groups do, in the same order", async () => {
    let compared = 0;
    await withConnection(demo.db, async (c) => {
      const all = await governorSpans(c);
      expect(all.length).toBeGreaterThan(10);
      for (const span of all) {
        for (const by of ["week", "month", "date", "term", "weekday"] as SessionDimension[]) {
          const atoms = await summariseAtoms(c, governorQuery({ from: span.from, to: span.to }), by);
          // A real year group (the leavers' group is chosen by no filter but a UPN: analytics/leavers.ts).
          const year = atoms.find((a) => a.pupils > 0 && !isLeaversGroup(a.year_group))?.year_group;
          for (const filter of [{}, ...(year ? [{ year_group: year }] : []), { fsm: "Y" }, { sen: "K" }] as PupilFilter[]) {
            const query: MeasureQuery = governorQuery({ from: span.from, to: span.to, filter });
            // Outside withSharedReads, without the result cache, nothing is at hand: the narrow reads.
            const rows = await summariseBy(c, query, by);
            const expected = fromAtoms(atoms, filter);
            const label = `${span.label} by ${by} ${JSON.stringify(filter)}`;
            expect(new Map(rows.map((r) => [r.group, r])), label).toEqual(expected);
            if (by !== "weekday") expect(rows.map((r) => r.group), label).toEqual([...expected.keys()].sort());
            compared += rows.length;
          }
        }
      }
    });
    expect(compared).toBeGreaterThan(1000);
  }, 600_000);

  it("sum the finest groups where a plan of the same piece of work read them", async () => {
    await withConnection(demo.db, (c) =>
      withSharedReads(c, async () => {
        const span = (await governorSpans(c)).find((s) => s.label === "year to summer-2-2026")!;
        const query = governorQuery({ from: span.from, to: span.to });
        const atoms = await summariseAtoms(c, query, "week");
        // The finest groups' read at hand: summariseBy makes no statement of its own.
        const { value: rows, statements } = await countStatements(c, () => true, () => summariseBy(c, query, "week"));
        expect(new Map(rows.map((r) => [r.group, r]))).toEqual(fromAtoms(atoms, {}));
        expect(statements).toBe(0);
      }),
    );
  }, 300_000);
});
