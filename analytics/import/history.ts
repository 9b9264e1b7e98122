/**
 * The import history: every import that changed the register (file, who, when, counts) and
 * the amendments each made (original and new code). Imports that changed nothing leave no
 * row (values.ts), so the history is the register's change log.
 */
import { queryOne, queryRows, type Connection } from "../db.ts";
import { amendedMarkWords } from "../amended-mark.ts";

export interface ImportRecord {
  import_id: number;
  kind: string;
  file_name: string;
  /** ISO timestamp, school's local time as stored. */
  imported_at: string;
  imported_by: string;
  imported_by_role: string;
  rows_read: number;
  rows_inserted: number;
  rows_amended: number;
  rows_unchanged: number;
  /** A marks import's first and last date (ISO): null for other files, for a file with no mark kept and for an import recorded before the dates were kept. */
  first_date: string | null;
  last_date: string | null;
}

export interface ImportAmendment {
  upn: string;
  forename: string;
  surname: string;
  date: string;
  session: string;
  original_code: string;
  new_code: string;
  /** Minutes late before and after (null: none, or an amendment recorded before minutes were kept). */
  original_minutes_late: number | null;
  new_minutes_late: number | null;
  /** The mark before and after in words (analytics/amended-mark.ts): the code, with minutes late when they changed. */
  before: string;
  after: string;
  reason: string;
}

/** The latest imports first, at most `limit`. */
export async function importHistory(conn: Connection, limit = 200): Promise<ImportRecord[]> {
  return queryRows<ImportRecord & Record<string, string | number | null>>(
    conn,
    `SELECT import_id, kind, file_name, strftime(imported_at, '%Y-%m-%dT%H:%M:%S') AS imported_at, imported_by, imported_by_role,
            rows_read, rows_inserted, rows_amended, rows_unchanged,
            strftime(first_date, '%Y-%m-%d') AS first_date, strftime(last_date, '%Y-%m-%d') AS last_date
     FROM imports ORDER BY import_id DESC LIMIT $limit`,
    { limit },
  );
}

/** One import and the mark amendments it made (first `limit` of them, newest session first, as on a pupil's page), with their total. */
export async function importDetail(
  conn: Connection,
  importId: number,
  limit = 500,
): Promise<{ record: ImportRecord; amendments: ImportAmendment[]; amendmentCount: number } | null> {
  const record = await queryOne<ImportRecord & Record<string, string | number | null>>(
    conn,
    `SELECT import_id, kind, file_name, strftime(imported_at, '%Y-%m-%dT%H:%M:%S') AS imported_at, imported_by, imported_by_role,
            rows_read, rows_inserted, rows_amended, rows_unchanged,
            strftime(first_date, '%Y-%m-%d') AS first_date, strftime(last_date, '%Y-%m-%d') AS last_date
     FROM imports WHERE import_id = $id`,
    { id: importId },
  );
  if (!record) return null;
  const amendments = await queryRows<Omit<ImportAmendment, "before" | "after"> & Record<string, string | number | null>>(
    conn,
    `SELECT a.upn, coalesce(p.forename, '') AS forename, coalesce(p.surname, '') AS surname, strftime(a.date, '%Y-%m-%d') AS date,
            a.session::VARCHAR AS session, a.original_code::VARCHAR AS original_code, a.new_code::VARCHAR AS new_code,
            a.original_minutes_late::INTEGER AS original_minutes_late, a.new_minutes_late::INTEGER AS new_minutes_late, a.reason
     FROM amendments a LEFT JOIN pupils p ON p.upn = a.upn
     -- Newest session first, as on the pupil's page (PM before AM). UPN and amendment last:
     -- pupils of one name (or none: a UPN not in pupils) tied, and the LIMIT cut through the
     -- ties at a different row from one run to the next.
     WHERE a.import_id = $id ORDER BY a.date DESC, a.session DESC, p.surname, p.forename, a.upn, a.amendment_id LIMIT $limit`,
    { id: importId, limit },
  );
  const count = await queryOne<{ n: number }>(conn, "SELECT count(*)::INTEGER AS n FROM amendments WHERE import_id = $id", { id: importId });
  return { record, amendments: amendments.map((a) => ({ ...a, ...amendedMarkWords(a) })), amendmentCount: count?.n ?? 0 };
}
