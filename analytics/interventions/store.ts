/**
 * Recording interventions and reading them back. Append-only, like amendments to marks: an
 * entry is never changed or deleted; a correction is a new entry that names the one it
 * corrects, and either replaces it (new type, date or note) or withdraws it (recorded in
 * error). The entries in force are those no later entry corrects, less withdrawals.
 */
import { format, parseISO } from "date-fns";
import { enGB } from "date-fns/locale";
import type { Connection, Row } from "../db.ts";
import { cachedRowsToRead, ensureTable, inTransaction, queryOne } from "../db.ts";
import { INTERVENTIONS_DDL } from "./schema.ts";
import { interventionLabels, LEGACY_LABEL_NUMBERS, MAX_NOTE_LENGTH, isInterventionType, type InterventionType } from "./types.ts";
import { getPolicy } from "../settings.ts";
import { recordAudit, type AuditActor } from "../audit.ts";

/** Creates the table in files made before interventions existed; a plain read when it is there. */
export async function ensureInterventionsTable(connection: Connection): Promise<void> {
  await ensureTable(connection, "interventions", INTERVENTIONS_DDL);
}

/**
 * SQL for the common table expression `effective_interventions`: the entries in force
 * (not corrected by a later entry, not a withdrawal), one row per intervention with its
 * upn, type, date (DATE) and intervention_id. Every reader uses this one definition.
 */
export const EFFECTIVE_INTERVENTIONS_CTE = `effective_interventions AS (
    SELECT i.intervention_id, i.upn, i.type, i.date, i.note, i.recorded_by, i.recorded_by_role, i.label
    FROM interventions i
    WHERE NOT i.withdrawn
      AND NOT EXISTS (SELECT 1 FROM interventions c WHERE c.corrects = i.intervention_id))`;

export interface InterventionInput {
  upn: string;
  type: string;
  /** ISO date the intervention happened. */
  date: string;
  note: string;
  by: string;
  role: string;
  /** The entry this one corrects, when it is a correction. */
  corrects?: number | null;
  /** With `corrects`: the corrected entry was recorded in error and nothing replaces it. */
  withdraw?: boolean;
  /** Today (ISO): an intervention cannot be dated after it. */
  today: string;
  /**
   * Who recorded it for the audit trail (account and client address): given, the entry's audit
   * row — intervention_add, intervention_change or intervention_withdraw, the pupil's UPN as
   * target and what changed as detail — is written in the same transaction (interventionAudit).
   */
  audit?: { actor: AuditActor; ip: string | null };
}

/** An entry's type words and date, as the trail shows them: "Letter: attendance below 90 %, 2026-10-05". */
const entryWords = (label: string, date: string) => `${label}, ${date}`;

/**
 * The audit row of a recorded entry (analytics/audit-actions.ts): a new entry is
 * intervention_add ("entry 7: Phone call, 2026-10-05"); a correction that replaces an entry is
 * intervention_change, with the old and new type and date and whether the note changed; a
 * withdrawal is intervention_withdraw, naming the withdrawn entry. Notes themselves are not
 * copied to the trail (they are casework about a child); their length is.
 */
export function interventionAudit(
  entry: { id: number; upn: string; label: string; date: string; note: string; withdraw: boolean },
  corrected: { id: number; label: string; date: string; note: string } | null,
): { action: "intervention_add" | "intervention_change" | "intervention_withdraw"; target: string; detail: string } {
  if (!corrected) return { action: "intervention_add", target: entry.upn, detail: `entry ${entry.id}: ${entryWords(entry.label, entry.date)}; note of ${entry.note.length} characters` };
  if (entry.withdraw) {
    return { action: "intervention_withdraw", target: entry.upn, detail: `entry ${entry.id} withdraws entry ${corrected.id} (${entryWords(corrected.label, corrected.date)}) as recorded in error; reason of ${entry.note.length} characters` };
  }
  const changes: string[] = [];
  if (corrected.label !== entry.label) changes.push(`type ${corrected.label} → ${entry.label}`);
  if (corrected.date !== entry.date) changes.push(`date ${corrected.date} → ${entry.date}`);
  if (corrected.note !== entry.note) changes.push("note changed");
  return { action: "intervention_change", target: entry.upn, detail: `entry ${entry.id} corrects entry ${corrected.id}: ${changes.length ? changes.join("; ") : "nothing changed"}` };
}

export class InterventionError extends Error {
  constructor(
    message: string,
    readonly field: "upn" | "type" | "date" | "note" | "by" | "role" | "corrects",
  ) {
    super(message);
  }

  /** What the form (or any caller) says: "Not recorded: the date … is after today (…)." */
  get sentence(): string {
    return `Not recorded: ${this.message}.`;
  }
}

/**
 * The refusal of an entry identical to one of the pupil's in force — same type, date and note
 * (fresh-clone trial 49: "Record intervention" pressed twice recorded entries 224 and 225, both
 * counted on the ladder, the Interventions page and the FGB pack). `entry` is the one already
 * there; a deliberate second entry differs in date or note.
 */
export class DuplicateInterventionError extends InterventionError {
  /** The entry already there, in words: "Home visit, 4 Dec 2026". */
  readonly words: string;

  constructor(
    readonly entry: number,
    label: string,
    date: string,
  ) {
    super(`it is already recorded as entry ${entry} (${label}, ${dayWords(date)})`, "note");
    this.words = `${label}, ${dayWords(date)}`;
  }

  /** "Already recorded as entry 223 (Home visit, 4 Dec 2026). Nothing was recorded." */
  override get sentence(): string {
    return `Already recorded as entry ${this.entry} (${this.words}). Nothing was recorded.`;
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const dayWords = (iso: string) => format(parseISO(iso), "d MMM yyyy", { locale: enGB });

/**
 * Why `date` (ISO) lies outside a pupil's time on roll — admitted `admitted`, left `left`
 * (null: on roll), both inclusive — or null when it lies within it.
 */
export function enrolmentProblem(date: string, admitted: string | null, left: string | null): string | null {
  if (admitted && date < admitted) {
    return `the date ${dayWords(date)} is before the pupil was admitted (${dayWords(admitted)}): record an intervention for a day they were on the school's roll`;
  }
  if (left && date > left) {
    return `the date ${dayWords(date)} is after the pupil left (${dayWords(left)}): record an intervention for a day they were on the school's roll`;
  }
  return null;
}

/**
 * Records one intervention (or a correction) and returns its id. Throws InterventionError,
 * naming the field, when the input is invalid: unknown pupil or type, a date that is not a
 * real ISO date, lies after today or outside the pupil's time on roll (before their admission
 * or after their leaving date; enrolmentProblem), an empty or over-long note (a withdrawal needs a
 * reason), a missing name or role, or a correction of an entry that is not this pupil's or
 * is no longer in force; DuplicateInterventionError when the pupil already has an entry in force
 * with the same type, date and note (a correction's own entry aside). Nothing is written when it throws.
 */
export async function recordIntervention(connection: Connection, input: InterventionInput): Promise<number> {
  await ensureInterventionsTable(connection);
  const note = input.note.trim();
  const by = input.by.trim();
  const role = input.role.trim();
  if (!isInterventionType(input.type)) throw new InterventionError(`"${input.type}" is not an intervention type`, "type");
  if (!ISO_DATE.test(input.date) || Number.isNaN(Date.parse(`${input.date}T00:00:00Z`)) || new Date(`${input.date}T00:00:00Z`).toISOString().slice(0, 10) !== input.date) {
    throw new InterventionError(`"${input.date}" is not a date (YYYY-MM-DD)`, "date");
  }
  if (input.date > input.today) throw new InterventionError(`the date ${input.date} is after today (${input.today})`, "date");
  if (note.length > MAX_NOTE_LENGTH) throw new InterventionError(`the note must be ${MAX_NOTE_LENGTH} characters or fewer`, "note");
  if (input.withdraw && note.length === 0) throw new InterventionError("say why the entry was recorded in error", "note");
  if (!by) throw new InterventionError("enter who recorded it", "by");
  if (!role) throw new InterventionError("enter their role", "role");
  return inTransaction(connection, async () => {
    const pupil = await queryOne<Row & { admitted: string | null; left: string | null }>(
      connection,
      `SELECT upn, strftime(admission_date, '%Y-%m-%d') AS admitted, strftime(leaving_date, '%Y-%m-%d') AS "left" FROM pupils WHERE upn = $upn`,
      { upn: input.upn },
    );
    if (!pupil) throw new InterventionError(`there is no pupil with UPN "${input.upn}"`, "upn");
    // An intervention is work with a pupil on the school's roll: a date before their admission
    // or after their leaving date cannot be right (trial 16a: 15 Aug 2026 for a pupil admitted
    // 1 Sep 2026). A withdrawal keeps the date of the entry it withdraws, so one recorded in
    // error with such a date can still be withdrawn.
    if (!input.withdraw) {
      const outside = enrolmentProblem(input.date, pupil.admitted, pupil.left);
      if (outside) throw new InterventionError(outside, "date");
    }
    const corrects = input.corrects ?? null;
    let correctedEntry: { id: number; label: string; date: string; note: string } | null = null;
    if (corrects !== null) {
      const target = await queryOne<Row & { upn: string; in_force: boolean; type: string; date: string; note: string; label: string | null }>(
        connection,
        `WITH ${EFFECTIVE_INTERVENTIONS_CTE}
         SELECT i.upn, i.type, strftime(i.date, '%Y-%m-%d') AS date, i.note, i.label, EXISTS (SELECT 1 FROM effective_interventions e WHERE e.intervention_id = i.intervention_id) AS in_force
         FROM interventions i WHERE i.intervention_id = $id`,
        { id: corrects },
      );
      if (!target || target.upn !== input.upn) throw new InterventionError(`entry ${corrects} is not one of this pupil's interventions`, "corrects");
      if (!target.in_force) throw new InterventionError(`entry ${corrects} has already been corrected`, "corrects");
      correctedEntry = { id: corrects, label: target.label ?? target.type, date: target.date, note: target.note };
    } else if (input.withdraw) {
      throw new InterventionError("only a correction can withdraw an entry", "corrects");
    }
    // An entry identical to one in force (same type, date and note) is a second press of the
    // button or a resubmitted form, not a second intervention: counted twice on the ladder and
    // in the packs. Checked in this transaction, so two presses queued together cannot both
    // pass (inTransaction writes one at a time). A withdrawal repeats its entry's type and date
    // by design; a correction may leave the entry it corrects as it was.
    if (!input.withdraw) {
      const same = await queryOne<Row & { id: number; type: string; label: string | null }>(
        connection,
        `WITH ${EFFECTIVE_INTERVENTIONS_CTE}
         SELECT intervention_id AS id, type, label FROM effective_interventions
         WHERE upn = $upn AND type = $type AND date = $date::DATE AND note = $note
           AND ($corrects::INTEGER IS NULL OR intervention_id <> $corrects::INTEGER)
         ORDER BY intervention_id LIMIT 1`,
        { upn: input.upn, type: input.type, date: input.date, note, corrects },
      );
      if (same) throw new DuplicateInterventionError(Number(same.id), recordedLabel(same.type as InterventionType, same.label), input.date);
    }
    // The type's words as the school reads them today, kept with the entry (INTERVENTIONS_LABEL_COLUMN).
    const label = interventionLabels(await getPolicy(connection))[input.type as InterventionType];
    const row = await queryOne<{ id: number }>(
      connection,
      `INSERT INTO interventions (upn, type, date, note, recorded_at, recorded_by, recorded_by_role, corrects, withdrawn, label)
       VALUES ($upn, $type, $date::DATE, $note, now()::TIMESTAMP, $by, $role, $corrects, $withdrawn, $label)
       RETURNING intervention_id AS id`,
      { upn: input.upn, type: input.type, date: input.date, note, by, role, corrects, withdrawn: Boolean(input.withdraw), label },
    );
    const id = Number(row?.id);
    if (input.audit) {
      const entry = interventionAudit({ id, upn: input.upn, label, date: input.date, note, withdraw: Boolean(input.withdraw) }, correctedEntry);
      await recordAudit(connection, { actor: input.audit.actor, role, ip: input.audit.ip, ...entry });
    }
    return id;
    // Only the interventions table changes: the register's cached figures stay (analytics/db.ts).
  }, { changes: ["interventions"] });
}

const LEGACY_LABELS = interventionLabels(LEGACY_LABEL_NUMBERS);

/**
 * The words an entry was recorded under: its stored label, or for an entry recorded before
 * labels were stored the closed list's words it was recorded under ("below 96 %").
 */
export function recordedLabel(type: InterventionType, stored: unknown): string {
  return typeof stored === "string" && stored.length > 0 ? stored : (LEGACY_LABELS[type] ?? type);
}

export interface InterventionEntry {
  id: number;
  upn: string;
  type: InterventionType;
  label: string;
  date: string;
  note: string;
  recorded_at: string;
  recorded_by: string;
  recorded_by_role: string;
  /** The entry this one corrects, or null. */
  corrects: number | null;
  withdrawn: boolean;
  /** The later entry that corrects this one (or withdraws it: `superseded`), or null when none does. */
  corrected_by: number | null;
  /**
   * What that later entry did, and when it was recorded ('YYYY-MM-DD HH:MM', as recorded_at):
   * "withdrawal" when it withdraws this one (recorded in error), "correction" when it replaces
   * it; null with corrected_by null. The page says "Withdrawn by entry 196 on …", not "Corrected".
   */
  superseded: { kind: "withdrawal" | "correction"; recorded_at: string } | null;
  /** True for the entries that count: not corrected, not a withdrawal. */
  in_force: boolean;
}

/** An entry as pupilEntryRows reads it: the table's columns (dates ISO) and its first later correction or withdrawal. */
export type EntryRow = Row & {
  id: number; upn: string; type: string; date: string; note: string; recorded_at: string; recorded_by: string; recorded_by_role: string;
  corrects: number | null; withdrawn: boolean; label: string | null;
  /** The first later entry naming this one (its correction or withdrawal), or null: in force when null and not itself a withdrawal. */
  corrected_by: number | null; superseded_withdraws: boolean | null; superseded_at: string | null;
};

/**
 * One pupil's entries (in force and superseded), newest date first, then newest entry: one
 * cached read bound to the pupil, shared by their page's entries (pupilInterventions) and the
 * effect of those in force (effect-one-pupil.ts), kept until an intervention is recorded
 * (inTransaction's `changes`). Kept rows: never to be changed.
 */
export async function pupilEntryRows(connection: Connection, upn: string): Promise<readonly EntryRow[]> {
  await ensureInterventionsTable(connection);
  return cachedRowsToRead<EntryRow>(
    connection,
    `SELECT i.intervention_id AS id, i.upn, i.type, strftime(i.date, '%Y-%m-%d') AS date, i.note,
            strftime(i.recorded_at, '%Y-%m-%d %H:%M') AS recorded_at, i.recorded_by, i.recorded_by_role,
            i.corrects, i.withdrawn, i.label,
            s.intervention_id AS corrected_by, s.withdrawn AS superseded_withdraws,
            strftime(s.recorded_at, '%Y-%m-%d %H:%M') AS superseded_at
     FROM interventions i
     -- The first later entry naming this one: its correction or its withdrawal.
     LEFT JOIN (SELECT corrects, min(intervention_id) AS first_id FROM interventions WHERE corrects IS NOT NULL GROUP BY corrects) f
       ON f.corrects = i.intervention_id
     LEFT JOIN interventions s ON s.intervention_id = f.first_id
     WHERE i.upn = $upn
     ORDER BY i.date DESC, i.intervention_id DESC`,
    { upn },
  );
}

/**
 * Every entry for one pupil (in force and superseded), newest date first (pupilEntryRows: the
 * read their page's effects share, not a second query, and kept: it ran on every view).
 */
export async function pupilInterventions(connection: Connection, upn: string): Promise<InterventionEntry[]> {
  const rows = await pupilEntryRows(connection, upn);
  return rows.map((row) => {
    const type = String(row.type) as InterventionType;
    const correctedBy = row.corrected_by === null ? null : Number(row.corrected_by);
    const withdrawn = Boolean(row.withdrawn);
    return {
      id: Number(row.id),
      upn: String(row.upn),
      type,
      label: recordedLabel(type, row.label),
      date: String(row.date),
      note: String(row.note),
      recorded_at: String(row.recorded_at),
      recorded_by: String(row.recorded_by),
      recorded_by_role: String(row.recorded_by_role),
      corrects: row.corrects === null ? null : Number(row.corrects),
      withdrawn,
      corrected_by: correctedBy,
      superseded: correctedBy === null ? null : { kind: row.superseded_withdraws ? "withdrawal" : "correction", recorded_at: String(row.superseded_at) },
      in_force: correctedBy === null && !withdrawn,
    };
  });
}
