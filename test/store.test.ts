/**
 * The compact store (analytics/store.ts) on the whole demo school: every measure and every
 * breakdown read from the aggregates equals the mark-level definition, an amendment keeps
 * the aggregates equal to a rebuild from the marks, a file with the first schema's `marks`
 * table is migrated, and the store keeps no index on marks.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDBInstance } from "@duckdb/node-api";
import fs from "node:fs";
import path from "node:path";
import { closeInstance, inTransaction, queryOne, queryRows, withConnection, type Connection } from "../analytics/db.ts";
import { buildDemo } from "../analytics/demo/index.ts";
import { importMarks } from "../analytics/import/index.ts";
import {
  aggregateLevel,
  markLevel,
  PUPIL_DIMENSIONS,
  SESSION_DIMENSIONS,
  type MeasureQuery,
  type PeriodCodeSessions,
} from "../analytics/measures.ts";
import { rebuildAggregates } from "../analytics/store.ts";
import { onFreshInstances, removeDb, tempDbPath } from "./helpers/db.ts";

const TODAY = "2026-11-23";
const db = tempDbPath("store");

beforeAll(async () => {
  await buildDemo(db, { today: TODAY });
});
afterAll(() => removeDb(db));

const run = <T>(work: (c: Connection) => Promise<T>) => withConnection(db, work);

const QUERIES: Array<[string, MeasureQuery]> = [
  ["academic year 2025/26", { from: "2025-08-01", to: "2026-07-31" }],
  // Wednesday to Wednesday across half terms, terms, months and the Christmas holiday.
  ["15 Oct 2025 – 11 Feb 2026", { from: "2025-10-15", to: "2026-02-11" }],
  ["one Thursday", { from: "2026-11-19", to: "2026-11-19" }],
  ["FSM pupils, year to date", { from: "2026-08-01", to: TODAY, filter: { fsm: "Y" } }],
  ["year 5 pupils with an illness mark, autumn 2025", { from: "2025-09-01", to: "2025-12-19", filter: { year_group: "5" }, withCode: "I" }],
  // One pupil (read from their days alone: onePupil), as a pupil's page asks: from admission
  // to today over three academic years, and a leaver's last year from a Wednesday.
  ["one pupil from admission to today", { from: "2024-03-01", to: TODAY, filter: { upn: "A893327022342" } }],
  ["a leaver, 15 Oct 2024 – 31 Jul 2025", { from: "2024-10-15", to: "2025-07-31", filter: { upn: "A893245118940" } }],
];

const byGroupThenCode = (rows: PeriodCodeSessions[]) =>
  [...rows].sort((a, b) => (a.group === b.group ? a.code.localeCompare(b.code) : a.group.localeCompare(b.group)));

/** Every measure both ways; returns how many figures were compared. */
async function compareAll(c: Connection, query: MeasureQuery): Promise<number> {
  let compared = 0;
  const same = <T>(a: T, m: T) => {
    expect(a).toEqual(m);
    compared++;
  };
  same(await aggregateLevel.summarise(c, query), await markLevel.summarise(c, query));
  for (const by of [...PUPIL_DIMENSIONS, ...SESSION_DIMENSIONS]) {
    same(await aggregateLevel.summariseBy(c, query, by), await markLevel.summariseBy(c, query, by));
  }
  same(await aggregateLevel.sessionsByCode(c, query), await markLevel.sessionsByCode(c, query));
  for (const by of SESSION_DIMENSIONS) {
    same(byGroupThenCode(await aggregateLevel.sessionsByCodeOver(c, query, by)), byGroupThenCode(await markLevel.sessionsByCodeOver(c, query, by)));
  }
  same(await aggregateLevel.pupilMeasures(c, query), await markLevel.pupilMeasures(c, query));
  same(await aggregateLevel.lateness(c, query), await markLevel.lateness(c, query));
  return compared;
}

describe("aggregates kept at import", () => {
  it.each(QUERIES)("equal the mark-level definition for every measure and breakdown: %s", async (_label, query) => {
    const compared = await run((c) => compareAll(c, query));
    expect(compared).toBe(1 + PUPIL_DIMENSIONS.length + 2 * SESSION_DIMENSIONS.length + 3);
    // Not a vacuous comparison: the periods hold marks.
    const m = await run((c) => aggregateLevel.summarise(c, query));
    expect(m.possible_sessions).toBeGreaterThan(0);
  }, 600_000);

  // Codes over time in one order every run, both ways (the Codes page's data): a group's codes by
  // the day first met, most sessions, then the code. The demo's week of 31 Aug 2026 has three
  // codes of 11 sessions each first met the same day, which a fresh instance gave as I, L, O in
  // one run and O, L, I in another (2 orders in 6 runs on the code before the code was a key).
  it("gives codes over time in one order, ties by code, on every fresh instance", async () => {
    const query: MeasureQuery = { from: "2026-08-01", to: TODAY };
    for (const level of [aggregateLevel, markLevel]) {
      const runs = await onFreshInstances(db, 6, (c) => level.sessionsByCodeOver(c, query, "week"));
      for (const rows of runs) {
        const tied = rows.filter((r) => r.group === "2026-08-31" && r.sessions === 11).map((r) => r.code);
        expect(tied).toEqual(["I", "L", "O"]);
      }
      expect(new Set(runs.map((rows) => JSON.stringify(rows))).size).toBe(1);
    }
  }, 120_000);

  it("an amendment updates the aggregates exactly as a rebuild from the marks would", async () => {
    // Change 40 marks of the autumn term 2025 to M (medical appointment): present sessions
    // become authorised absence, in weeks read whole and at the period's edges.
    const chosen = await run((c) =>
      queryRows<{ upn: string; date: string; session: string }>(
        c,
        `SELECT upn, strftime(date, '%Y-%m-%d') AS date, session::VARCHAR AS session FROM marks
         WHERE date BETWEEN DATE '2025-09-08' AND DATE '2025-12-12' AND code IN ('/', '\\')
         ORDER BY hash(upn, date, session) LIMIT 40`,
      ),
    );
    expect(chosen).toHaveLength(40);
    const csv = ["upn,date,session,code", ...chosen.map((m) => `${m.upn},${m.date},${m.session},M`)].join("\n") + "\n";
    const query = { from: "2025-09-01", to: "2025-12-19" };
    const before = await run((c) => aggregateLevel.summarise(c, query));
    const summary = await run((c) =>
      inTransaction(c, () => importMarks(c, { file: "amend.csv", text: csv, by: { name: "Test", role: "attendance_lead" } })),
    );
    expect(summary).toMatchObject({ amended: 40, inserted: 0 });
    const after = await run((c) => aggregateLevel.summarise(c, query));
    expect(after.authorised_sessions).toBe(before.authorised_sessions + 40);
    expect(after.present_sessions).toBe(before.present_sessions - 40);
    await run(async (c) => {
      expect(after).toEqual(await markLevel.summarise(c, query));
      expect(await aggregateLevel.pupilMeasures(c, query)).toEqual(await markLevel.pupilMeasures(c, query));
    });

    // The kept aggregates equal ones rebuilt from scratch from the marks.
    const snapshot = async (c: Connection) => ({
      days: await queryRows(c, "SELECT * FROM mark_days ORDER BY pupil_id, date"),
      weeks: await queryRows(c, "SELECT * FROM mark_weeks ORDER BY pupil_id, week"),
      codes: await queryRows(c, "SELECT * FROM mark_week_codes ORDER BY pupil_id, week, code"),
    });
    await run(async (c) => {
      const kept = await snapshot(c);
      await c.run("BEGIN TRANSACTION");
      try {
        await rebuildAggregates(c);
        expect(await snapshot(c)).toEqual(kept);
      } finally {
        await c.run("ROLLBACK");
      }
    });
  }, 600_000);

  it("keeps no index on the marks and answers the register's columns through the marks view", async () => {
    const indexes = await run((c) =>
      queryRows(c, "SELECT table_name FROM duckdb_constraints() WHERE table_name IN ('mark_store', 'mark_days', 'mark_weeks', 'mark_week_code_store') AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')"),
    );
    expect(indexes).toEqual([]);
    const row = await run((c) =>
      queryOne<{ n: number; stored: number; upn: string }>(
        c,
        "SELECT (SELECT count(*) FROM marks)::INTEGER AS n, (SELECT count(*) FROM mark_store)::INTEGER AS stored, (SELECT min(upn) FROM marks) AS upn",
      ),
    );
    expect(row?.n).toBe(row?.stored);
    expect(row?.upn).toMatch(/^[A-Z]\d{11}[0-9A-Z]$/);
    const columns = await run((c) => queryRows<{ column_name: string }>(c, "SELECT column_name FROM duckdb_columns() WHERE table_name = 'marks' ORDER BY column_index"));
    expect(columns.map((r) => r.column_name)).toEqual(["upn", "date", "session", "code", "minutes_late", "import_id"]);
  });
});

describe("migration of a database file with the first schema", () => {
  it("copies every mark into the compact store and gives the same figures", async () => {
    const legacy = tempDbPath("store-legacy");
    const query = { from: "2025-08-01", to: "2026-07-31" };
    try {
      // A copy of the demo school, turned back into the first schema: a marks table with a
      // UPN per mark and the (upn, date, session) primary key, no store tables.
      const expected = await run(async (c) => {
        await c.run("CHECKPOINT");
        return { measures: await markLevel.summarise(c, query), byYear: await markLevel.summariseBy(c, query, "year_group") };
      });
      await closeInstance(db);
      fs.copyFileSync(db, legacy);
      const instance = await DuckDBInstance.create(legacy);
      const raw = await instance.connect();
      await raw.run(`CREATE TABLE legacy_marks AS SELECT * FROM marks`);
      for (const statement of [
        "DROP VIEW marks",
        "DROP TABLE mark_store",
        "DROP TABLE mark_days",
        "DROP TABLE mark_weeks",
        "DROP VIEW mark_week_codes",
        "DROP TABLE mark_week_code_store",
        "DROP TABLE pupil_ids",
        "DROP SEQUENCE pupil_id_seq",
        `CREATE TABLE marks (upn VARCHAR NOT NULL, date DATE NOT NULL, session register_session NOT NULL, code mark_code NOT NULL,
           minutes_late SMALLINT, import_id INTEGER NOT NULL, PRIMARY KEY (upn, date, session))`,
        "INSERT INTO marks SELECT * FROM legacy_marks",
        "DROP TABLE legacy_marks",
        "UPDATE key_values SET value = '1' WHERE scope = 'meta' AND key = 'schema_version'",
      ]) {
        await raw.run(statement);
      }
      const legacyCount = Number((await raw.runAndReadAll("SELECT count(*) AS n FROM marks")).getRowObjects()[0].n);
      raw.closeSync();
      instance.closeSync();

      // Opening it through the store migrates it.
      const migrated = await withConnection(legacy, async (c) => ({
        measures: await aggregateLevel.summarise(c, query),
        byYear: await aggregateLevel.summariseBy(c, query, "year_group"),
        stored: (await queryOne<{ n: number }>(c, "SELECT count(*)::INTEGER AS n FROM mark_store"))?.n,
        version: (await queryOne<{ value: string }>(c, "SELECT value FROM meta WHERE key = 'schema_version'"))?.value,
        kind: (await queryOne<{ table_type: string }>(c, "SELECT table_type FROM information_schema.tables WHERE table_name = 'marks'"))?.table_type,
      }));
      expect(migrated.stored).toBe(legacyCount);
      // Every migration since runs too: the compact store (2), the spells unkeyed (3), the other keys dropped (4), the week codes by day (5), the code catalogue a view (6), pupils, meta and settings unkeyed (7), meta and settings views over key_values (8).
      expect(migrated.version).toBe("8");
      expect(migrated.kind).toBe("VIEW");
      expect(migrated.measures).toEqual(expected.measures);
      expect(migrated.byYear).toEqual(expected.byYear);
    } finally {
      await removeDb(legacy);
      expect(fs.existsSync(path.dirname(legacy))).toBe(false);
    }
  }, 600_000);
});
