/**
 * analytics/db.ts queryRows: plain rows read column by column are what reading DuckDB's row
 * objects gives (every value through toPlain): names as DuckDB deduplicates them (a repeated
 * name renamed), keys in column order, NULLs, BIGINT and HUGEINT as numbers, DECIMAL as a
 * double, dates, timestamps and enums as ISO text, over more than one chunk (2,048 rows).
 * One statement is prepared and run without DuckDB splitting the SQL first, its materialised
 * chunks read at once; its rows are the rows runAndReadAll's reader gives, and SQL of several
 * statements or with an error goes runAndReadAll's way.
 */
import { afterAll, describe, expect, it, vi } from "vitest";
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

  /** The old reading: runAndReadAll's row objects, each value made plain as queryRows does. */
  const plain = (value: unknown): unknown =>
    value === null || value === undefined ? null
    : typeof value === "bigint" ? Number(value)
    : typeof value === "object" && "toDouble" in value ? (value as { toDouble(): number }).toDouble()
    : typeof value === "object" ? String(value)
    : value;
  const byReader = async (c: Parameters<Parameters<typeof withConnection>[1]>[0], sql: string, params: Record<string, string | number | null>) =>
    (await c.runAndReadAll(sql, params)).getRowObjects().map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plain(v)])));

  it("gives the rows runAndReadAll's reader gives: parameters bound, none, one chunk or several, no rows", async () => {
    await withConnection(db, async (c) => {
      await c.run(`CREATE OR REPLACE TABLE marks_t AS
        SELECT 'P' || (i % 97)::VARCHAR AS upn, DATE '2025-09-01' + (i % 190)::INTEGER AS date,
               CASE WHEN i % 2 = 0 THEN 'AM' ELSE 'PM' END AS session, CASE WHEN i % 11 = 0 THEN 'I' ELSE '/' END AS code,
               CASE WHEN i % 13 = 0 THEN NULL ELSE i END AS n
        FROM range(6000) t(i)`);
      const cases: [string, Record<string, string | number | null>][] = [
        ["SELECT * FROM marks_t WHERE upn = $upn ORDER BY date, session", { upn: "P5" }],
        ["SELECT * FROM marks_t ORDER BY n NULLS FIRST, date, session", {}],
        ["SELECT code, count(*)::INTEGER AS sessions, sum(n) AS total FROM marks_t WHERE date BETWEEN $from AND $to GROUP BY code ORDER BY code", { from: "2025-10-01", to: "2025-12-19" }],
        ["SELECT * FROM marks_t WHERE upn = $upn", { upn: "nobody" }],
        ["SELECT $x::INTEGER IS NULL AS missing", { x: null }],
      ];
      for (const [sql, params] of cases) {
        const rows = await queryRows(c, sql, params);
        expect(rows).toEqual(await byReader(c, sql, params));
        expect(rows.length).toBe((await byReader(c, sql, params)).length);
      }
      expect((await queryRows(c, cases[1][0])).length).toBe(6000);
      expect(await queryRows(c, cases[3][0], cases[3][1])).toEqual([]);
    });
  });

  it("prepares one statement without splitting the SQL first (one trip to DuckDB's threads fewer, and one parse)", async () => {
    await withConnection(db, async (c) => {
      const split = vi.spyOn(c, "extractStatements");
      expect(await queryRows(c, "SELECT $n::INTEGER + 1 AS m", { n: 41 })).toEqual([{ m: 42 }]);
      expect(split).not.toHaveBeenCalled();
      split.mockRestore();
    });
  });

  it("runs every statement of SQL holding several and gives the last one's rows; DuckDB's errors are thrown", async () => {
    await withConnection(db, async (c) => {
      expect(await queryRows(c, "CREATE OR REPLACE TEMP TABLE two AS SELECT 2 AS a; SELECT a * $k AS b FROM two", { k: 3 })).toEqual([{ b: 6 }]);
      await expect(queryRows(c, "SELEC 1")).rejects.toThrow(/syntax error/i);
      await expect(queryRows(c, "SELECT nope FROM range(1)")).rejects.toThrow(/nope/);
    });
  });
});
