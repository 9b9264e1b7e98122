/**
 * A CTF carries each pupil's characteristic history (SEN and FSM with their dates), not one
 * snapshot. After importPupils has written the pupils (identity and current spell), their
 * spells are replaced by the CTF's history, in the caller's transaction: the CTF is the
 * record the previous school kept. Pupils whose stored spells already equal the CTF's are
 * left alone, so importing the same file twice changes nothing.
 */
import { DuckDBDateValue } from "@duckdb/node-api";
import { queryOne, type Connection } from "../db.ts";
import type { CtfSpell } from "./readers/ctf.ts";
import { isoToDays } from "./values.ts";

const STAGE = "import_ctf_spells";

/**
 * Replaces the characteristic spells of the CTF's pupils by its history.
 * @returns the number of pupils whose history changed.
 * @throws Error naming `file` when the history gives a pupil two spells from one date (one
 *   spell per pupil and start date: analytics/import/spells.ts), before anything is written.
 */
export async function replaceCharacteristicHistory(conn: Connection, file: string, spells: CtfSpell[]): Promise<number> {
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE ${STAGE} (upn VARCHAR NOT NULL, valid_from DATE NOT NULL, valid_to DATE,
       year_group VARCHAR NOT NULL, reg_group VARCHAR NOT NULL, sen VARCHAR NOT NULL, fsm VARCHAR NOT NULL,
       eal VARCHAR NOT NULL, lac VARCHAR NOT NULL)`,
  );
  try {
    const appender = await conn.createAppender(STAGE, "main", "temp");
    try {
      for (const s of spells) {
        appender.appendVarchar(s.upn);
        appender.appendDate(new DuckDBDateValue(isoToDays(s.from)));
        if (s.to === null) appender.appendNull();
        else appender.appendDate(new DuckDBDateValue(isoToDays(s.to)));
        for (const v of [s.yearGroup, s.regGroup, s.sen, s.fsm, s.eal, s.lac]) appender.appendVarchar(v);
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    // One spell per pupil and start date (analytics/schema.ts UNKEYED_SPELLS: no key refuses a second).
    const twice = await queryOne<{ upn: string; valid_from: string }>(
      conn,
      `SELECT upn, valid_from::VARCHAR AS valid_from FROM ${STAGE} GROUP BY upn, valid_from HAVING count(*) > 1 ORDER BY upn, valid_from LIMIT 1`,
    );
    if (twice) throw new Error(`${file}: the CTF gives ${twice.upn} two spells of characteristics from ${twice.valid_from}; nothing was imported`);
    const COLUMNS = "upn, valid_from, valid_to, year_group, reg_group, sen, fsm, eal, lac";
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE ${STAGE}_changed AS
       SELECT DISTINCT upn FROM (
         (SELECT ${COLUMNS} FROM ${STAGE}
          EXCEPT SELECT ${COLUMNS} FROM pupil_characteristics WHERE upn IN (SELECT upn FROM ${STAGE}))
         UNION ALL
         (SELECT ${COLUMNS} FROM pupil_characteristics WHERE upn IN (SELECT upn FROM ${STAGE})
          EXCEPT SELECT ${COLUMNS} FROM ${STAGE}))`,
    );
    const changed = await queryOne<{ n: number }>(conn, `SELECT count(*)::INTEGER AS n FROM ${STAGE}_changed`);
    if (changed && changed.n > 0) {
      await conn.run(`DELETE FROM pupil_characteristics WHERE upn IN (SELECT upn FROM ${STAGE}_changed)`);
      await conn.run(
        `INSERT INTO pupil_characteristics (${COLUMNS})
         SELECT ${COLUMNS} FROM ${STAGE} WHERE upn IN (SELECT upn FROM ${STAGE}_changed) ORDER BY upn, valid_from`,
      );
    }
    return changed?.n ?? 0;
  } finally {
    await conn.run(`DROP TABLE IF EXISTS temp.${STAGE}`);
    await conn.run(`DROP TABLE IF EXISTS temp.${STAGE}_changed`);
  }
}
