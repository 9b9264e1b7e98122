/**
 * A period's heading says its dates once: a custom range's label is its dates, so they are not
 * repeated after it (it read "1 Sep 2026 – 5 Sep 2026: 1 Sep 2026 to 5 Sep 2026"); a named
 * period's label ("Autumn 1 2026", "Year to date") is followed by its dates.
 */
import { describe, expect, it } from "vitest";
import { periodWords } from "../app/lib/format.ts";
import { resolvePeriod } from "../analytics/periods.ts";
import { withConnection } from "../analytics/db.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

describe("a period in words", () => {
  it("a custom range: its label, no dates after it", async () => {
    const db = tempDbPath("period-words");
    try {
      const custom = await withConnection(db, (c) => resolvePeriod(c, { name: "custom", today: "2026-11-23", from: "2026-09-01", to: "2026-09-05" }));
      expect(periodWords(custom)).toEqual({ label: "1 Sep 2026 – 5 Sep 2026", dates: null });
    } finally {
      removeDb(db);
    }
  });

  it("a named period: its label, then its dates", () => {
    expect(periodWords({ label: "Autumn 1 2026", from: "2026-09-03", to: "2026-10-23" })).toEqual({ label: "Autumn 1 2026", dates: "3 Sep 2026 to 23 Oct 2026" });
  });
});
