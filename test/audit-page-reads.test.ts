/**
 * The Audit page's statement (analytics/audit.ts queryAudit, auditPageStatement) on a trail of
 * 300 rows: its pages, counts and page past the last, figures worked out by hand; and that it
 * reads the whole rows (their text: actor, target, detail…) of the page's rows only, never of
 * every matching row (DuckDB's own profile of the statement: the rows each table scan handed
 * on). The trail grows by a row at every view of a page that names pupils; a statement that
 * materialised every matching row, every column, for its page and its count had cost the
 * first page 79 ms at a million rows. Real DuckDB file.
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection, type Connection } from "../analytics/db.ts";
import { queryAudit, recordAudits, type AuditFilter, type AuditInput } from "../analytics/audit.ts";
import { sqlString } from "../analytics/sql-literal.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("audit-page-reads");
const profile = `${db}.profile.json`;
afterAll(() => {
  removeDb(db);
  fs.rmSync(profile, { force: true });
});

/** Row i (1–300, id i): every third (3, 6, … 300) by the head, the rest by an SLT member. */
const row = (i: number): AuditInput =>
  i % 3 === 0
    ? { actor: { email: "head@school.test", name: "Ann Head" }, role: "head", action: "pupil_view", target: `A${String(i).padStart(12, "0")}`, detail: `view ${i}`, ip: "127.0.0.1" }
    : { actor: { email: "slt@school.test", name: "Sam Slt" }, role: "slt", action: "pupil_list_view", target: "/pupils", detail: `list ${i}`, ip: "127.0.0.1" };

beforeAll(async () => {
  await withConnection(db, (c) => recordAudits(c, Array.from({ length: 300 }, (_, n) => row(n + 1))));
});

/** From `from` down to `to` in steps of `step`: the ids a page shows, newest first. */
const down = (from: number, to: number, step = 1) => Array.from({ length: (from - to) / step + 1 }, (_, k) => from - k * step);

describe("the Audit page's statement", () => {
  it("pages the trail newest first, whole or filtered, and answers a page past the last as the last", async () => {
    const q = (filter: AuditFilter, page: number, pageSize: number) => withConnection(db, (c) => queryAudit(c, filter, { page, pageSize }, { roles: true }));

    const first = await q({}, 1, 50);
    expect([first.total, first.pages, first.page]).toEqual([300, 6, 1]);
    expect(first.rows.map((r) => r.id)).toEqual(down(300, 251));
    expect(first.roles).toEqual(["head", "slt"]);
    expect(first.rows[0]).toMatchObject({ actor: "head@school.test", actor_name: "Ann Head", role: "head", action: "pupil_view", target: "A000000000300", detail: "view 300" });
    expect(first.rows[1]).toMatchObject({ actor: "slt@school.test", role: "slt", action: "pupil_list_view", target: "/pupils", detail: "list 299" });
    expect((await q({}, 6, 50)).rows.map((r) => r.id)).toEqual(down(50, 1));
    const past = await q({}, 7, 50);
    expect([past.page, past.pages, past.rows.length, past.rows[0].id]).toEqual([6, 6, 50, 50]);

    // The head's 100 rows (ids 3, 6, … 300), 30 a page: page 2 is the 31st to the 60th newest,
    // ids 300 − 3 × 30 = 210 down to 300 − 3 × 59 = 123; page 4 the last 10, ids 30 down to 3.
    const head2 = await q({ role: "head" }, 2, 30);
    expect([head2.total, head2.pages]).toEqual([100, 4]);
    expect(head2.rows.map((r) => r.id)).toEqual(down(210, 123, 3));
    expect((await q({ role: "head" }, 4, 30)).rows.map((r) => r.id)).toEqual(down(30, 3, 3));
    expect((await q({ role: "head" }, 9, 30)).rows.map((r) => r.id)).toEqual(down(30, 3, 3));
    // The SLT's list views (200 rows, ids not divisible by 3): page 1 of 7, 299 298 296 295 293 292 290.
    const lists = await q({ action: "pupil_list_view" }, 1, 7);
    expect([lists.total, lists.pages]).toEqual([200, 29]);
    expect(lists.rows.map((r) => r.id)).toEqual([299, 298, 296, 295, 293, 292, 290]);
    // Nothing matches: no rows, one empty page.
    const none = await q({ actor: "nobody" }, 3, 50);
    expect([none.total, none.pages, none.page, none.rows.length]).toEqual([0, 1, 1, 0]);
  });

  it("reads the text of the page's rows only, not of every matching row", async () => {
    /** What each table scan of DuckDB's profile of the statement queryAudit ran last handed on: its columns and rows. */
    const scans = async (filter: AuditFilter, page: number, pageSize: number) =>
      withConnection(db, async (c: Connection) => {
        await c.run("PRAGMA enable_profiling = 'json'");
        await c.run(`PRAGMA profiling_output = ${sqlString(profile)}`);
        const result = await queryAudit(c, filter, { page, pageSize });
        await c.run("PRAGMA disable_profiling");
        type Operator = { operator_type?: string; operator_cardinality?: number; extra_info?: { Projections?: string | string[] }; children?: Operator[] };
        const found: Array<{ columns: string; rows: number }> = [];
        const walk = (op: Operator) => {
          if (op.operator_type === "TABLE_SCAN") found.push({ columns: [op.extra_info?.Projections ?? []].flat().join(","), rows: op.operator_cardinality ?? -1 });
          for (const child of op.children ?? []) walk(child);
        };
        walk(JSON.parse(fs.readFileSync(profile, "utf8")) as Operator);
        return { result, found };
      });
    // [filter, page, page size, rows shown, rows whose text is read]. The SLT's page 3 of 7 is
    // ids 278 277 275 274 272 271 269: the 10 ids from 269 to 278, 3 of them the head's (270,
    // 273, 276), which the actor's test (not one DuckDB's scan applies) leaves out after the scan.
    for (const [filter, page, pageSize, shown, read] of [
      [{}, 1, 50, 50, 50],
      [{}, 4, 50, 50, 50],
      [{ role: "head" }, 2, 30, 30, 30],
      [{ actor: "slt@" }, 3, 7, 7, 10],
    ] as const) {
      const { result, found } = await scans(filter, page, pageSize);
      expect(result.rows).toHaveLength(shown);
      const whole = found.filter((scan) => /\bdetail\b/.test(scan.columns));
      // One scan reads the rows' text, and hands on the page's rows (the old statement's
      // handed on all 300, or all the filter's 100 or 200).
      expect(whole).toHaveLength(1);
      expect(whole[0].rows).toBe(read);
    }
  });
});
