/**
 * Trial 16a: for FSM in 2026/27 the Groups page said "National: no published figure" while
 * Benchmarks showed the DfE's autumn-term figure (10.3 %, all state-funded schools, 2025/26)
 * for reference. One answer: where the year to date has no figure for a group, the term
 * holding the period's end is looked up, as the head's report does, and shown for reference
 * (never a verdict). The figure is read from the shipped DfE files, never typed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { nationalFiguresFor } from "../analytics/benchmarks/for-period.ts";
import { findBenchmark, compareWithNational } from "../analytics/benchmarks/compare.ts";
import { buildBenchmarkReport } from "../analytics/benchmarks/report.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { daysOf, seedRegister } from "./helpers/register.ts";

const DAYS = ["2026-09-07", "2026-09-08", "2026-09-09", "2026-09-10", "2026-09-11"];

describe("a group's national figure on Groups and Benchmarks: one answer", () => {
  let db: string;
  beforeAll(async () => {
    db = tempDbPath("groups-national-term");
    await withConnection(db, async (c) => {
      for (const date of DAYS) await c.run(`INSERT INTO school_days VALUES ($date::DATE, '2026/27', 'autumn-2026', 'autumn-1-2026')`, { date });
      const present = Object.fromEntries(DAYS.map((d) => [d, ["/", "/"] as [string, string]]));
      await seedRegister(c, {
        pupils: Array.from({ length: 12 }, (_, i) => ({ upn: `F${i}`, admission_date: "2026-09-01", dob: "2017-05-01", spells: [{ from: "2026-09-01", fsm: i < 6 ? "Y" : "N" }] })),
        marks: Array.from({ length: 12 }, (_, i) => daysOf(`F${i}`, present)).flat(),
      });
    });
  });
  afterAll(async () => removeDb(db));

  it("gives FSM the autumn-term figure for reference on the year to date, as the head's report does", async () => {
    const shipped = await withConnection(db, (c) =>
      findBenchmark(c, { academicYear: "2026/27", period: "autumn", groupType: "fsm", group: "fsm-eligible", measure: "overall_absence_pct", allowEarlierYear: true }),
    );
    expect(shipped).not.toBeNull();
    const figures = await withConnection(db, (c) =>
      nationalFiguresFor(c, { name: "ytd", from: "2026-08-01", to: "2026-09-11", academicYear: "2026/27" } as never, { groupType: "fsm", group: "fsm-eligible" }, { fsm: "Y" }),
    );
    expect(figures.overall_absence_pct?.value).toBe(shipped!.value);
    expect(figures.overall_absence_pct?.period).toBe("autumn");
    // Never a verdict: another period (and here another phase).
    const comparison = compareWithNational(0, figures.overall_absence_pct, false, figures.span);
    expect(comparison.direction).toBeNull();
    expect(comparison.words).toMatch(/^for reference only/);
    // The head's report shows the same figure for the group.
    const report = await withConnection(db, (c) => buildBenchmarkReport(c, { academicYear: "2026/27", today: "2026-09-11" }));
    const fsm = report.groups.find((g) => g.group === "fsm-eligible")!;
    expect(fsm.lines.find((l) => l.measure === "overall_absence_pct")!.cells[0].benchmark?.value).toBe(shipped!.value);
  });
});
