/**
 * The demo's interventions are never stamped later than the moment the demo was built: a
 * build at 13:40 on the week's last school day so far (a Wednesday: the "week end" of the
 * ladder's replay is that day) showed steps recorded at 16:00 that day. A small demo school
 * built on a real DuckDB file, with the build's moment given.
 */
import { afterAll, describe, expect, it } from "vitest";
import { queryRows, withConnection } from "../analytics/db.ts";
import { buildDemo } from "../analytics/demo/index.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("demo-recorded-at");
afterAll(() => removeDb(db));

describe("the demo's interventions", () => {
  it("are stamped no later than the build's moment, and at 16:00 on the days before it", async () => {
    // Wednesday 4 March 2026, built at 13:40.
    await buildDemo(db, { today: "2026-03-04", pupils: 120, years: 1, now: "2026-03-04 13:40:00" });
    const rows = await withConnection(db, (c) =>
      queryRows<{ date: string; recorded_at: string; n: number }>(
        c,
        `SELECT strftime(date, '%Y-%m-%d') AS date, strftime(recorded_at, '%Y-%m-%d %H:%M:%S') AS recorded_at, count(*)::INTEGER AS n
         FROM interventions GROUP BY ALL ORDER BY 1, 2`,
      ),
    );
    const today = rows.filter((r) => r.date === "2026-03-04");
    // The replay's last week ends today, and steps are recorded on it: the case that went wrong.
    expect(today.length).toBeGreaterThan(0);
    expect(today.map((r) => r.recorded_at)).toEqual(["2026-03-04 13:40:00"]);
    expect(rows.every((r) => r.recorded_at <= "2026-03-04 13:40:00")).toBe(true);
    // Earlier weeks keep the end of their school day.
    const earlier = rows.filter((r) => r.date < "2026-03-04");
    expect(earlier.length).toBeGreaterThan(0);
    expect(earlier.every((r) => r.recorded_at === `${r.date} 16:00:00`)).toBe(true);
  }, 300_000);
});
