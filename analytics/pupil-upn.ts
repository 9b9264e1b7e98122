/**
 * Correcting a pupil's UPN (`rollcall pupils correct-upn OLD NEW`).
 *
 * A pupils file whose UPN has a wrong check letter is imported as given (analytics/import/
 * pupils.ts notes it: the MIS holds it so, and the pupil's marks must come in). When the MIS
 * later exports the corrected UPN, the import sees a new pupil, and everything recorded under
 * the mistyped one stays there. This moves it, in one transaction, with an `upn_corrected` row
 * on the audit trail:
 *
 * - NEW not stored yet (`renamed`): every table that holds the pupil's UPN is moved to NEW —
 *   `pupils`, `pupil_characteristics`, `pupil_ids` (the marks and their aggregates are keyed by
 *   the integer pupil id, analytics/store.ts, so they follow with nothing rewritten),
 *   `amendments` and `interventions` (UPN_TABLES). The audit trail is append-only and keeps the
 *   rows that named OLD as they were.
 * - NEW already stored (`merged`: the corrected export was imported as a new pupil): OLD's
 *   record is merged into NEW's when they are the same person and no session is marked in
 *   both (mergeInto).
 *
 * A refusal (UpnCorrectionRefused) is one sentence and changes nothing.
 */
import { recordAudit, type AuditActor } from "./audit.ts";
import { inTransaction, queryOne, type Connection } from "./db.ts";
import { upnCheckLetter } from "./import/values.ts";
import { UPN_RE } from "./upn-shape.ts";
import { ensureInterventionsTable } from "./interventions/store.ts";
import { ensurePupilIds, forgetPupilIds, refreshAggregates } from "./store.ts";

/** The tables that key a pupil by UPN (the marks and aggregates key by pupil id, through `pupil_ids`). */
export const UPN_TABLES = ["pupils", "pupil_characteristics", "pupil_ids", "amendments", "interventions"] as const;

/** A correction refused: the message is the sentence to show; nothing was changed. */
export class UpnCorrectionRefused extends Error {
  override name = "UpnCorrectionRefused";
}

export interface UpnCorrection {
  from: string;
  to: string;
  /** `renamed`: NEW was not stored, OLD's record now bears it; `merged`: OLD's record was joined to NEW's. */
  kind: "renamed" | "merged";
  /** True when nothing was written (a dry run): the counts are what the correction would move. */
  dryRun: boolean;
  /** Rows moved from OLD to NEW: characteristics spells, amendments, interventions; marks (sessions) that now count under NEW. */
  moved: { characteristics: number; amendments: number; interventions: number; marks: number };
  /** Sentences to show with the result (NEW's check letter is not the DfE's); empty when none. */
  notes: string[];
}

/**
 * The sentence for a UPN whose check letter is not the one the DfE's algorithm gives
 * (analytics/import/values.ts upnCheckLetter, as the pupils import notes it); null when it is.
 */
export function checkLetterSentence(upn: string): string | null {
  const expected = upnCheckLetter(upn.slice(1));
  if (expected === upn[0]) return null;
  return `${upn}'s check letter is not the one the DfE's UPN algorithm gives (it would start with ${expected}): most often a typing slip; check it against the MIS.`;
}

class DryRun extends Error {
  constructor(readonly result: UpnCorrection) {
    super("dry run: rolled back");
  }
}

async function count(connection: Connection, sql: string, params: Record<string, string>): Promise<number> {
  return Number((await queryOne<{ n: number }>(connection, sql, params))?.n ?? 0);
}

/**
 * Moves pupil `from` (OLD) to UPN `to` (NEW), in one transaction with its audit row.
 * `by`: who, for the audit trail (as recordAudit takes it). `dryRun`: does everything, then
 * rolls back and returns what it would have done (an older file may keep the empty interventions
 * table made for it, as retention does).
 * @throws UpnCorrectionRefused (nothing changed): NEW not a UPN's format, NEW the same as OLD,
 *   OLD not stored, or (NEW stored) the two records not mergeable, naming why.
 */
export async function correctUpn(
  connection: Connection,
  input: { from: string; to: string; by: { actor: AuditActor; role: string; ip?: string | null }; dryRun?: boolean },
): Promise<UpnCorrection> {
  const from = input.from.trim();
  const to = input.to.trim();
  if (!UPN_RE.test(to)) {
    throw new UpnCorrectionRefused(`"${to.slice(0, 20)}" is not a UPN (a capital letter, 11 digits, then a digit or capital letter): nothing was changed.`);
  }
  if (from === to) throw new UpnCorrectionRefused(`the old and new UPN are the same (${to}): nothing was changed.`);
  // Files made before interventions existed get the (empty) table, so one statement fits all.
  await ensureInterventionsTable(connection);
  const notes = [checkLetterSentence(to)].filter((n): n is string => n !== null);
  const params = { from, to };
  const work = async (): Promise<UpnCorrection> => {
    if ((await count(connection, `SELECT count(*)::INTEGER AS n FROM pupils WHERE upn = $from`, { from })) === 0) {
      throw new UpnCorrectionRefused(`there is no pupil with UPN ${from} in the register: nothing was changed.`);
    }
    const newStored = (await count(connection, `SELECT count(*)::INTEGER AS n FROM pupils WHERE upn = $to`, { to })) > 0;
    const moved = {
      characteristics: await count(connection, `SELECT count(*)::INTEGER AS n FROM pupil_characteristics WHERE upn = $from`, { from }),
      amendments: await count(connection, `SELECT count(*)::INTEGER AS n FROM amendments WHERE upn = $from`, { from }),
      interventions: await count(connection, `SELECT count(*)::INTEGER AS n FROM interventions WHERE upn = $from`, { from }),
      marks: await count(connection, `SELECT count(*)::INTEGER AS n FROM mark_store WHERE pupil_id IN (SELECT pupil_id FROM pupil_ids WHERE upn = $from)`, { from }),
    };
    if (newStored) moved.characteristics = await mergeInto(connection, from, to);
    else for (const table of UPN_TABLES) await connection.run(`UPDATE ${table} SET upn = $to WHERE upn = $from`, params);
    const result: UpnCorrection = { from, to, kind: newStored ? "merged" : "renamed", dryRun: input.dryRun === true, moved, notes };
    await recordAudit(connection, { ...input.by, action: "upn_corrected", target: `${from} → ${to}`, detail: correctionDetail(result) });
    if (input.dryRun) throw new DryRun(result);
    return result;
  };
  try {
    return await inTransaction(connection, work);
  } catch (error) {
    if (error instanceof DryRun) return error.result;
    throw error;
  }
}

/**
 * The audit row's detail and the CLI's line, e.g. "UPN B…1 → A…1: the pupil's record now bears the
 * new UPN; 10 marks, 2 characteristics spells, 1 amendment and 0 interventions moved" (a merge:
 * "the pupil's two records were merged under the new UPN", the spells being OLD's kept). A dry
 * run (`c.dryRun`) says what it would do: "… the pupil's record would bear the new UPN; … would
 * move" (trial 54 and review 54: "now bears" and "moved" read as done after "It would do this:").
 */
export function correctionDetail(c: UpnCorrection): string {
  const n = (k: number, one: string, many: string) => `${k} ${k === 1 ? one : many}`;
  const would = Boolean(c.dryRun);
  const how =
    c.kind === "renamed"
      ? `the pupil's record ${would ? "would bear" : "now bears"} the new UPN`
      : `the pupil's two records ${would ? "would be" : "were"} merged under the new UPN`;
  return (
    `UPN ${c.from} → ${c.to}: ${how}; ${n(c.moved.marks, "mark", "marks")}, ${n(c.moved.characteristics, "characteristics spell", "characteristics spells")}, ` +
    `${n(c.moved.amendments, "amendment", "amendments")} and ${n(c.moved.interventions, "intervention", "interventions")} ${would ? "would move" : "moved"}`
  );
}

/** Identity as compared for a merge: trimmed, case-insensitive (the MIS's "BRONTË" is "Brontë"). */
const SAME_PERSON = [
  { column: "forename", words: "forename" },
  { column: "surname", words: "surname" },
  { column: "dob", words: "date of birth" },
] as const;

/**
 * Merges pupil `from` (OLD) into the stored pupil `to` (NEW), inside the caller's transaction.
 * Refused (UpnCorrectionRefused, naming what differs) unless the two are the same person —
 * forename, surname and date of birth equal, trimmed and case-insensitive — and no session
 * (date and AM/PM) is marked under both. Then:
 * - marks: OLD's move to NEW's pupil id; the aggregates (mark_days, mark_weeks,
 *   mark_week_codes) are recomputed for both pupils from the week of OLD's first mark
 *   (refreshAggregates: an absence spell may run from OLD's marks into NEW's), and OLD's pupil
 *   id is forgotten (forgetPupilIds checks nothing points at it);
 * - characteristics: NEW's latest spell (the MIS's current record) and any after it are kept;
 *   before it, OLD's spells (the history recorded while the pupil was under OLD, the last cut to
 *   end the day before NEW's latest starts) replace NEW's earlier ones (made up when NEW was
 *   imported as a new pupil, analytics/import/pupils.ts); when OLD has none before it, NEW's stay;
 * - the pupil: NEW's row, with the earlier admission date of the two; OLD's row is removed;
 * - amendments and interventions move to NEW.
 * Returns the number of OLD's characteristics spells kept under NEW.
 */
async function mergeInto(connection: Connection, from: string, to: string): Promise<number> {
  const params = { from, to };
  const identity = `SELECT upn, trim(forename) AS forename, trim(surname) AS surname, strftime(dob, '%Y-%m-%d') AS dob FROM pupils WHERE upn = $upn`;
  const old = await queryOne<{ forename: string; surname: string; dob: string }>(connection, identity, { upn: from });
  const stored = await queryOne<{ forename: string; surname: string; dob: string }>(connection, identity, { upn: to });
  if (!old || !stored) throw new Error("internal: both pupils were found a moment ago");
  const differ = SAME_PERSON.filter(({ column }) => old[column].toLowerCase() !== stored[column].toLowerCase()).map(
    ({ column, words }) => `${words} ${old[column]} under ${from}, ${stored[column]} under ${to}`,
  );
  if (differ.length > 0) {
    throw new UpnCorrectionRefused(`a pupil with UPN ${to} is already in the register and is not the same person as ${from} (${differ.join("; ")}): nothing was changed.`);
  }
  await ensurePupilIds(connection);
  const ids = `(SELECT pupil_id FROM pupil_ids WHERE upn = $from)`;
  const idsNew = `(SELECT pupil_id FROM pupil_ids WHERE upn = $to)`;
  const both = await queryOne<{ n: number; first: string | null }>(
    connection,
    `SELECT count(*)::INTEGER AS n, min(strftime(a.date, '%Y-%m-%d') || CASE WHEN a.pm THEN ' PM' ELSE ' AM' END) AS first
     FROM mark_store a JOIN mark_store b ON a.date = b.date AND a.pm = b.pm
     WHERE a.pupil_id = ${ids} AND b.pupil_id = ${idsNew}`,
    params,
  );
  if (Number(both?.n ?? 0) > 0) {
    const n = Number(both!.n);
    throw new UpnCorrectionRefused(
      `a pupil with UPN ${to} is already in the register and ${n === 1 ? "1 session is" : `${n} sessions are`} marked under both UPNs (the first ${both!.first}): ` +
        `nothing was changed; which mark stands is a register amendment for the MIS.`,
    );
  }
  // Marks: OLD's sessions, as (pupil id, date) for both pupils, are what the aggregates recompute from.
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE upn_merge_marks AS
     SELECT k.pupil_id, m.date FROM mark_store m, pupil_ids k WHERE m.pupil_id = ${ids} AND k.upn IN ($from, $to)`,
    params,
  );
  try {
    await connection.run(`UPDATE mark_store SET pupil_id = ${idsNew} WHERE pupil_id = ${ids}`, params);
    await refreshAggregates(connection, `SELECT pupil_id, date FROM temp.upn_merge_marks`);
  } finally {
    await connection.run(`DROP TABLE IF EXISTS temp.upn_merge_marks`);
  }
  await forgetPupilIds(connection, `SELECT $from`, { from });
  // Characteristics: NEW's latest spell on; OLD's history before it.
  const cut = `(SELECT max(valid_from) FROM pupil_characteristics WHERE upn = $to)`;
  await connection.run(`DELETE FROM pupil_characteristics WHERE upn = $from AND valid_from >= ${cut}`, params);
  await connection.run(
    `UPDATE pupil_characteristics SET valid_to = ${cut} - 1 WHERE upn = $from AND (valid_to IS NULL OR valid_to >= ${cut})`,
    params,
  );
  const kept = await count(connection, `SELECT count(*)::INTEGER AS n FROM pupil_characteristics WHERE upn = $from`, { from });
  if (kept > 0) await connection.run(`DELETE FROM pupil_characteristics WHERE upn = $to AND valid_from < ${cut}`, { to });
  await connection.run(`UPDATE pupil_characteristics SET upn = $to WHERE upn = $from`, params);
  // The pupil: NEW's row, admitted at the earlier of the two dates.
  await connection.run(
    `UPDATE pupils SET admission_date = least(admission_date, (SELECT admission_date FROM pupils WHERE upn = $from)) WHERE upn = $to`,
    params,
  );
  await connection.run(`DELETE FROM pupils WHERE upn = $from`, { from });
  for (const table of ["amendments", "interventions"] as const) await connection.run(`UPDATE ${table} SET upn = $to WHERE upn = $from`, params);
  return kept;
}
