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
 * - NEW already stored (`merged`: the corrected export was imported as a new pupil): see
 *   analytics/pupil-upn.ts mergeInto (step 2).
 *
 * A refusal (UpnCorrectionRefused) is one sentence and changes nothing.
 */
import { recordAudit, type AuditActor } from "./audit.ts";
import { inTransaction, queryOne, type Connection } from "./db.ts";
import { UPN_RE, upnCheckLetter } from "./import/values.ts";
import { ensureInterventionsTable } from "./interventions/store.ts";

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
 * rolls back and returns what it would have done.
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
    if (newStored) {
      throw new UpnCorrectionRefused(`a pupil with UPN ${to} is already in the register: nothing was changed.`);
    }
    const moved = {
      characteristics: await count(connection, `SELECT count(*)::INTEGER AS n FROM pupil_characteristics WHERE upn = $from`, { from }),
      amendments: await count(connection, `SELECT count(*)::INTEGER AS n FROM amendments WHERE upn = $from`, { from }),
      interventions: await count(connection, `SELECT count(*)::INTEGER AS n FROM interventions WHERE upn = $from`, { from }),
      marks: await count(connection, `SELECT count(*)::INTEGER AS n FROM mark_store WHERE pupil_id IN (SELECT pupil_id FROM pupil_ids WHERE upn = $from)`, { from }),
    };
    for (const table of UPN_TABLES) await connection.run(`UPDATE ${table} SET upn = $to WHERE upn = $from`, params);
    const result: UpnCorrection = { from, to, kind: "renamed", dryRun: input.dryRun === true, moved, notes };
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

/** The audit row's detail and the CLI's line: "UPN A… → B… (renamed): 2 characteristics spells, 10 marks, 1 amendment, 0 interventions moved". */
export function correctionDetail(c: UpnCorrection): string {
  const n = (k: number, one: string, many: string) => `${k} ${k === 1 ? one : many}`;
  const how = c.kind === "renamed" ? "the pupil's record now bears the new UPN" : "the pupil's two records were merged under the new UPN";
  return (
    `UPN ${c.from} → ${c.to}: ${how}; ${n(c.moved.marks, "mark", "marks")}, ${n(c.moved.characteristics, "characteristics spell", "characteristics spells")}, ` +
    `${n(c.moved.amendments, "amendment", "amendments")} and ${n(c.moved.interventions, "intervention", "interventions")} moved`
  );
}
