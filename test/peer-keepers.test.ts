/**
 * DuckDB's kept totals statement (scripts/bench-peer.ts keepDuckDbTotals) reads its period from
 * a one-row table; review 45 found that table shared (peer_period), so that another kept
 * statement or duckDbTotals on the same connection replaced it and the first answered for the
 * other's period. Each keeper now has its own. Figures worked by hand below.
 */
import { afterAll, describe, expect, it } from "vitest";
import { closeInstance, withConnection } from "../analytics/db.ts";
import { duckDbTotals, keepDuckDbTotals, loadDuckDb, peerColumns, prepareDuckDbTotals } from "../scripts/bench-peer.ts";

describe("a kept DuckDB totals statement", () => {
  afterAll(() => closeInstance(":memory:"));
  // Pupil 1: ten / in September 2025 (10 possible, 0 absent). Pupil 2: four N in October 2025 (4 possible, 4 absent: PA).
  const marks = [
    ...Array.from({ length: 10 }, (_, d) => ({ pupil: 1, date: `2025-09-${String(d + 1).padStart(2, "0")}`, session: "AM" as const, code: "/" })),
    ...Array.from({ length: 4 }, (_, d) => ({ pupil: 2, date: `2025-10-${String(d + 1).padStart(2, "0")}`, session: "AM" as const, code: "N" })),
  ];
  const september = { from: "2025-09-01", to: "2025-09-30" };
  const october = { from: "2025-10-01", to: "2025-10-31" };
  const septemberTotals = { pupils: 1, possible: 10, absent: 0, pa_pupils: 0 };
  const octoberTotals = { pupils: 1, possible: 4, absent: 4, pa_pupils: 1 };

  it("gives its own period's totals after duckDbTotals (the goal's way, prepared afresh) was asked another period on the same connection", async () => {
    await withConnection(":memory:", async (connection) => {
      await loadDuckDb(connection, peerColumns(marks));
      const kept = await keepDuckDbTotals(connection);
      expect(await kept.totals(september)).toEqual(septemberTotals);
      // The exported one-off way, on the same connection: it writes October as its own period.
      expect(await duckDbTotals(connection, october)).toEqual(octoberTotals);
      // The kept statement, asked September again (its own period, so not prepared again):
      expect(await kept.totals(september)).toEqual(septemberTotals);
      await kept.close();
    });
  });

  it("gives its own period's totals while a second kept statement on the same connection is asked another period", async () => {
    await withConnection(":memory:", async (connection) => {
      await loadDuckDb(connection, peerColumns(marks));
      const a = await keepDuckDbTotals(connection);
      const b = await keepDuckDbTotals(connection);
      expect(await a.totals(september)).toEqual(septemberTotals);
      expect(await b.totals(october)).toEqual(octoberTotals);
      expect(await a.totals(september)).toEqual(septemberTotals);
      await a.close();
      await b.close();
    });
  });

  it("gives the right totals after the marks are replaced by ones over a wider span (its plan dropped the date filter)", async () => {
    await withConnection(":memory:", async (connection) => {
      // Only September's marks: a plan for September has no date filter (every mark in it).
      await loadDuckDb(connection, peerColumns(marks.slice(0, 10)));
      const kept = await keepDuckDbTotals(connection);
      const bound = await prepareDuckDbTotals(connection);
      expect(await kept.totals(september)).toEqual(septemberTotals);
      await loadDuckDb(connection, peerColumns(marks));
      expect(await bound.totals(september)).toEqual(septemberTotals);
      expect(await kept.totals(september)).toEqual(septemberTotals);
      expect(await kept.totals(september)).toEqual(septemberTotals);
      await kept.close();
      await bound.close();
    });
  });
});
