/**
 * The head's own commentary for a pack (Interventions, Successes, Barriers, Next steps),
 * written in the app and printed in the pack. Every save is kept with who and when; the
 * latest save of each heading is the one shown. The table is created on first use so
 * database files made before packs existed keep working.
 */
import type { Connection, Row } from "../db.ts";
import { ensureTable, queryRows } from "../db.ts";
import type { CommentaryEntry, PackKind } from "./model.ts";
import { COMMENTARY_HEADINGS, COMMENTARY_LABELS, MAX_COMMENTARY_LENGTH, isCommentaryHeading, type CommentaryHeading } from "./headings.ts";
import { findPupilIdentifiers, identifierRefusal, schoolPupilIdentities } from "./identifiers.ts";

import { COMMENTARY_DDL } from "./schema.ts";

export * from "./headings.ts";


/**
 * The tables a commentary save writes (the commentary, and the audit trail's entry for it):
 * inTransaction's `changes` (analytics/db.ts), so that a save leaves the register's cached
 * figures as they are and the pack shown after it is not worked out again from nothing (at
 * 4,500 pupils every query of the governors' pack run again: 4.7 s under load). The
 * commentary itself is read afresh each time (getCommentary: never from the result cache).
 */
export const COMMENTARY_TABLES: readonly string[] = ["pack_commentary", "audit_log"];

/** Creates the table in files made before packs existed; a plain read when it is there. */
export async function ensureCommentaryTable(connection: Connection): Promise<void> {
  await ensureTable(connection, "pack_commentary", COMMENTARY_DDL);
}

export interface CommentaryInput {
  kind: PackKind;
  periodKey: string;
  heading: CommentaryHeading;
  body: string;
  author: string;
  role: string;
}

/**
 * Saves one heading's commentary; throws a message fit for the user when input is invalid.
 * Commentary for the governors' pack (kind "fgb") that names a pupil (analytics/packs/
 * identifiers.ts: full names in either order, surnames, forenames, "the Price family", UPNs —
 * but not the one word after an adult's title, "Mrs Price", which names staff) is refused
 * with the match shown and the rule (STAFF_NAMING_RULE), and nothing is saved.
 */
export async function saveCommentary(connection: Connection, input: CommentaryInput): Promise<void> {
  if (!isCommentaryHeading(input.heading)) throw new Error(`unknown commentary heading "${input.heading}"`);
  const author = input.author.trim();
  const role = input.role.trim();
  if (!author) throw new Error("Enter your name so governors know who wrote the commentary.");
  if (!role) throw new Error("Enter your role.");
  if (input.body.length > MAX_COMMENTARY_LENGTH) throw new Error(`Commentary must be ${MAX_COMMENTARY_LENGTH} characters or fewer.`);
  if (input.kind === "fgb") {
    const matches = findPupilIdentifiers(input.body, await schoolPupilIdentities(connection));
    if (matches.length > 0) throw new Error(identifierRefusal(COMMENTARY_LABELS[input.heading] ?? input.heading, matches));
  }
  await ensureCommentaryTable(connection);
  await connection.run(
    `INSERT INTO pack_commentary (pack_kind, period_key, heading, body, author, author_role, saved_at)
     VALUES ($kind, $period, $heading, $body, $author, $role, now()::TIMESTAMP)`,
    { kind: input.kind, period: input.periodKey, heading: input.heading, body: input.body.trim(), author, role },
  );
}

/** The current commentary of each heading (null where none, or where the last save was empty). */
export async function getCommentary(
  connection: Connection,
  kind: PackKind,
  periodKey: string,
): Promise<Record<CommentaryHeading, CommentaryEntry | null>> {
  await ensureCommentaryTable(connection);
  const rows = await queryRows<Row & { heading: string; body: string; author: string; author_role: string; saved_at: string }>(
    connection,
    `SELECT heading, body, author, author_role, strftime(saved_at, '%Y-%m-%dT%H:%M:%S') AS saved_at
     FROM pack_commentary
     WHERE pack_kind = $kind AND period_key = $period
     QUALIFY row_number() OVER (PARTITION BY heading ORDER BY entry_id DESC) = 1`,
    { kind, period: periodKey },
  );
  const result = Object.fromEntries(COMMENTARY_HEADINGS.map((h) => [h, null])) as Record<CommentaryHeading, CommentaryEntry | null>;
  for (const row of rows) {
    if (isCommentaryHeading(row.heading) && row.body.trim() !== "") {
      result[row.heading] = { body: row.body, author: row.author, role: row.author_role, updatedAt: row.saved_at };
    }
  }
  return result;
}
