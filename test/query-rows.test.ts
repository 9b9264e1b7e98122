/**
 * analytics/db.ts queryRows: plain rows read column by column are what reading DuckDB's row
 * objects gives (every value through toPlain): names as DuckDB deduplicates them (a repeated
 * name renamed), keys in column order, NULLs, BIGINT and HUGEINT as numbers, DECIMAL as a
 * double, dates, timestamps and enums as ISO text, over more than one chunk (2,048 rows).
 */
import { afterAll, describe, expect, it } from "vitest";
import { queryRows, withConnection } from "../analytics/db.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("query-rows");
afterAll(() => removeDb(db));

describe("queryRows", () => {
  it("gives each row's values by hand, keys in column order, a repeated name renamed", async () => {
    await withConnection(db, async (c) => {
      await c.run("CREATE TYPE IF NOT EXISTS mood AS ENUM ('low', 'high')");
      const rows = await queryRows(
        c,
        `SELECT i::INTEGER AS n, (i * 10)::BIGINT AS n, CASE WHEN i % 2 = 0 THEN NULL ELSE 'odd' END AS s,
                (i / 4)::DECIMAL(9, 2) AS d, DATE '2025-09-01' + i::INTEGER AS day, (i % 2 = 0) AS even,
                (CASE WHEN i % 2 = 0 THEN 'low' ELSE 'high' END)::mood AS m, TIMESTAMP '2025-09-01 08:30:00' AS at, i::HUGEINT AS h
         FROM range(3000) t(i) ORDER BY i`,
      );
      expect(rows.length).toBe(3000);
      expect(Object.keys(rows[0])).toEqual(["n", "n:1", "s", "d", "day", "even", "m", "at", "h"]);
      expect(rows[0]).toEqual({ n: 0, "n:1": 0, s: null, d: 0, day: "2025-09-01", even: true, m: "low", at: "2025-09-01 08:30:00", h: 0 });
      // Past the first chunk of 2,048 rows.
      expect(rows[2049]).toEqual({ n: 2049, "n:1": 20490, s: "odd", d: 512.25, day: "2031-04-12", even: false, m: "high", at: "2025-09-01 08:30:00", h: 2049 });
    });
  });
});
