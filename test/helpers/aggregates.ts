/**
 * The aggregates kept at import (analytics/store.ts: mark_days, mark_weeks, mark_week_codes)
 * as the tests compare them: every row of each table, in a fixed order, codes as text.
 */
import { queryRows, withConnection, type Connection } from "../../analytics/db.ts";
import { rebuildAggregates } from "../../analytics/store.ts";

/** Every row of the three aggregate tables, each ordered by all its columns. */
export async function aggregateRows(conn: Connection) {
  return {
    days: await queryRows(conn, "SELECT * FROM mark_days ORDER BY ALL"),
    weeks: await queryRows(conn, "SELECT * FROM mark_weeks ORDER BY ALL"),
    codes: await queryRows(conn, "SELECT pupil_id, week, first_date, last_date, code::VARCHAR AS code, sessions FROM mark_week_codes ORDER BY ALL"),
  };
}

/** The aggregates of the database at `db` as kept, and as rebuilt from every mark (rebuildAggregates, rolled back). */
export async function keptAndRebuilt(db: string) {
  return withConnection(db, async (conn) => {
    const kept = await aggregateRows(conn);
    await conn.run("BEGIN");
    try {
      await rebuildAggregates(conn);
      return { kept, rebuilt: await aggregateRows(conn) };
    } finally {
      await conn.run("ROLLBACK");
    }
  });
}
