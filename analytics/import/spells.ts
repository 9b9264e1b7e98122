/**
 * One characteristic spell per pupil and start date (analytics/schema.ts UNKEYED_SPELLS: the
 * table has no key to refuse a second). Run by each writer of `pupil_characteristics` inside
 * its import's transaction, before the commit, so that a file which would store a pupil's
 * characteristics twice from one date is refused whole — as the key refused it — rather than
 * counted twice on every page that joins a pupil to their characteristics.
 */
import { queryOne, type Connection } from "../db.ts";

/** A pupil and the date from which `pupil_characteristics` holds two or more spells. */
export interface SpellGivenTwice {
  upn: string;
  /** ISO date. */
  validFrom: string;
}

/**
 * The first pupil (by UPN, then date) with two spells from one date, among `upns` (a SQL
 * query giving a `upn` column, from the caller's staging table; constant text, never input),
 * or null when there is none.
 */
export async function spellGivenTwice(conn: Connection, upns: string): Promise<SpellGivenTwice | null> {
  const row = await queryOne<{ upn: string; valid_from: string }>(
    conn,
    `SELECT upn, valid_from::VARCHAR AS valid_from FROM pupil_characteristics
     WHERE upn IN (${upns})
     GROUP BY upn, valid_from HAVING count(*) > 1
     ORDER BY upn, valid_from LIMIT 1`,
  );
  return row ? { upn: row.upn, validFrom: row.valid_from } : null;
}
