/**
 * A lake's views kept with their connection from one opening to the next (analytics/lake-connections.ts):
 * the same views are not made again while the files are the same list, a school's new export
 * (the same file names, new data) is read through them, and views whose work failed are not kept.
 *
 * One school, one pupil (A), Mon 9 – Wed 11 September 2024: first present on Monday and Tuesday
 * (4 possible, 0 absent), then re-exported with Wednesday marked unauthorised (U U: 2 of 6 absent).
 * The connections an opening hands out read Parquet footers from DuckDB's cache (set for the
 * whole database, not only the connection that set it: session 45).
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryOne, withConnection } from "../analytics/db.ts";
import { exportParquet, lakeSchools, lakeYears, openLakeSchools } from "../analytics/lake.ts";
import { summarise, summariseEachRegister } from "../analytics/measures.ts";
import { writeMarksUnchecked } from "../analytics/store.ts";
import { daysOf, seedRegister } from "./helpers/register.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const school = tempDbPath("lake-kept");
const lake = path.join(path.dirname(school), `lake-kept-${process.pid}`);
const WEEK = { from: "2024-09-09", to: "2024-09-11" };

/** The school's row counted together (as the Trust roll-up counts it), and the connection it was counted on. */
async function countedTogether(failed = false) {
  const opened = await openLakeSchools(lake, [], lakeSchools(lake), undefined, { years: lakeYears(WEEK), together: ["100001"] });
  try {
    const connection = await opened.connectTogether();
    return { connection, whole: (await summariseEachRegister(connection, WEEK, [100001])).get(100001)!.whole };
  } finally {
    opened.close(failed);
  }
}

beforeAll(async () => {
  await withConnection(school, async (c) => {
    await seedRegister(c, {
      pupils: [{ upn: "A", admission_date: "2024-09-01", spells: [{ from: "2024-09-01" }] }],
      marks: daysOf("A", { "2024-09-09": ["/", "\\"], "2024-09-10": ["/", "\\"] }),
    });
    await exportParquet(c, { out: lake, school: "100001" });
  });
});
afterAll(async () => {
  await removeDb(school);
  fs.rmSync(lake, { recursive: true, force: true });
});

describe("a lake's views kept between openings", () => {
  it("opens the same views again on the kept connection, and reads a new export's data through them", async () => {
    const first = await countedTogether();
    expect([first.whole.possible_sessions, first.whole.absence_pct]).toEqual([4, 0]);
    const again = await countedTogether();
    // The same connection, views and all: nothing made again.
    expect(again.connection).toBe(first.connection);

    // The school exports again: the same files by name, new data in them.
    const own = await withConnection(school, async (c) => {
      await writeMarksUnchecked(c, daysOf("A", { "2024-09-11": ["U", "U"] }).map(([upn, date, session, code]) => ({ upn, date, session, code, minutesLate: null })));
      await exportParquet(c, { out: lake, school: "100001" });
      return summarise(c, WEEK);
    });
    const after = await countedTogether();
    expect(after.connection).toBe(first.connection);
    expect([after.whole.possible_sessions, after.whole.unauthorised_sessions]).toEqual([6, 2]);
    expect(after.whole).toEqual(own);
  });

  it("hands out connections that keep Parquet footers in DuckDB's cache, a school's own and its schools' together", async () => {
    // The setting is made once, for the database: `SET` alone had set it for the connection that
    // made the database (then closed), so no connection counting a school had it.
    const opened = await openLakeSchools(lake, ["100001"], lakeSchools(lake), undefined, { together: ["100001"] });
    try {
      for (const connection of [await opened.connect("100001"), await opened.connectTogether()]) {
        expect(await queryOne<{ cached: string }>(connection, "SELECT current_setting('parquet_metadata_cache')::VARCHAR AS cached")).toEqual({ cached: "true" });
      }
    } finally {
      opened.close();
    }
  });

  it("does not keep the views of an opening whose work failed", async () => {
    const kept = (await countedTogether()).connection;
    const failing = await countedTogether(true);
    expect(failing.connection).toBe(kept);
    // Closed with its views: the next opening makes them afresh on another connection.
    expect((await countedTogether()).connection).not.toBe(kept);
  });
});
