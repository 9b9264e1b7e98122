/**
 * Retention of the register (issue 9, item 6). Both policies keep every entry three years
 * from the date it was made (Ludlow: "Every entry received into the attendance register will
 * be preserved for three years"; Littledean: "We will keep every entry on the attendance
 * register for 3 years after the date on which the entry was made"); the number of years is
 * the school's `retention_years` setting (analytics/casework/policy.ts, at least 3).
 *
 * An entry's date is the later of the session's date and the last amendment to that mark
 * (an amendment is itself an entry, made when it was recorded). With a cutoff date C:
 * - a mark goes when its session is before C and no amendment to it was made on or after C;
 * - an amendment goes when both its session and the day it was made are before C;
 * - a pupil goes — with their characteristics' history, their interventions and their pupil
 *   id — when they were admitted and left before C and nothing of theirs is left: no mark or
 *   amendment that stays, no intervention dated or recorded on or after C. A pupil on roll
 *   stays.
 * Marks are deleted through the store (analytics/store.ts), which keeps its aggregates equal
 * to the marks. The audit trail is never touched; the removal is recorded in it, in the same
 * transaction.
 */
import { plural } from "./plural.ts";
import type { Connection } from "./db.ts";
import { inTransaction, queryOne, queryRows } from "./db.ts";
import { getSettings } from "./settings.ts";
import { recordAudit, type AuditActor } from "./audit.ts";
import { deleteMarks, forgetPupilIds } from "./store.ts";
import { ensureInterventionsTable } from "./interventions/store.ts";

export interface RetentionPlan {
  /** Entries made before this date (YYYY-MM-DD) are removed. */
  cutoff: string;
  /** The school's retention setting, years. */
  retentionYears: number;
  /** The latest cutoff the setting allows on `today`: today minus retentionYears. */
  latestAllowedCutoff: string;
  marks: number;
  /** First and last session dates among the marks removed (null when none). */
  firstMarkDate: string | null;
  lastMarkDate: string | null;
  amendments: number;
  /** Interventions removed with their pupils. */
  interventions: number;
  /** The pupils removed, with their UPNs (no names: the plan is printed and audited). */
  pupils: number;
  upns: string[];
  /** True once removed (apply); false for a dry run. */
  applied: boolean;
}

/** UPNs per audit row: 100 × 14 characters stays well inside a row's 2,000-character detail. */
const UPNS_PER_AUDIT_ROW = 100;

export class RetentionError extends Error {
  override name = "RetentionError";
}

/** `date` (YYYY-MM-DD) minus whole years, as YYYY-MM-DD (29 February becomes 28 February). */
export function yearsBefore(date: string, years: number): string {
  const [y, m, d] = date.split("-").map(Number);
  const lastDay = new Date(Date.UTC(y - years, m, 0)).getUTCDate();
  return new Date(Date.UTC(y - years, m - 1, Math.min(d, lastDay))).toISOString().slice(0, 10);
}

/** An amendment made on or after $cutoff to the mark aliased `m` (upn, date, session). */
const RECENT_AMENDMENT = (m: string) => `EXISTS (
    SELECT 1 FROM amendments a
    WHERE a.upn = ${m}.upn AND a.date = ${m}.date AND a.session = ${m}.session AND a.amended_at >= $cutoff::TIMESTAMP)`;

/** The marks to remove, as the store keys them: (pupil_id, date, pm), with upn for counting. */
const OLD_MARKS = `
  SELECT k.pupil_id, k.upn, s.date, s.pm
  FROM mark_store s JOIN pupil_ids k USING (pupil_id)
  WHERE s.date < $cutoff::DATE
    AND NOT EXISTS (
      SELECT 1 FROM amendments a
      WHERE a.upn = k.upn AND a.date = s.date AND a.session = (CASE WHEN s.pm THEN 'PM' ELSE 'AM' END)::register_session
        AND a.amended_at >= $cutoff::TIMESTAMP)`;

/** Amendments to sessions before $cutoff, themselves made before $cutoff (a WHERE clause on amendments). */
const AMENDMENT_IS_OLD = `amendments.date < $cutoff::DATE AND amendments.amended_at < $cutoff::TIMESTAMP`;

/**
 * Pupils left with no entry once the old ones go, admitted and gone before $cutoff. Reads
 * what will remain, so it runs before anything is removed.
 */
const OLD_PUPILS = `
  SELECT p.upn FROM pupils p
  WHERE p.admission_date < $cutoff::DATE
    AND p.leaving_date IS NOT NULL AND p.leaving_date < $cutoff::DATE
    AND NOT EXISTS (SELECT 1 FROM marks m WHERE m.upn = p.upn AND (m.date >= $cutoff::DATE OR ${RECENT_AMENDMENT("m")}))
    AND NOT EXISTS (SELECT 1 FROM amendments a WHERE a.upn = p.upn AND (a.date >= $cutoff::DATE OR a.amended_at >= $cutoff::TIMESTAMP))
    AND NOT EXISTS (SELECT 1 FROM interventions i WHERE i.upn = p.upn AND (i.date >= $cutoff::DATE OR i.recorded_at >= $cutoff::TIMESTAMP))`;

async function measure(connection: Connection, cutoff: string) {
  const params = { cutoff };
  const marks = await queryOne<{ n: number; first: string | null; last: string | null }>(
    connection,
    `SELECT count(*)::INTEGER AS n, strftime(min(date), '%Y-%m-%d') AS first, strftime(max(date), '%Y-%m-%d') AS last FROM (${OLD_MARKS})`,
    params,
  );
  const amendments = await queryOne<{ n: number }>(connection, `SELECT count(*)::INTEGER AS n FROM amendments WHERE ${AMENDMENT_IS_OLD}`, params);
  const pupils = await queryRows<{ upn: string }>(connection, `${OLD_PUPILS} ORDER BY p.upn`, params);
  const interventions = await queryOne<{ n: number }>(connection, `SELECT count(*)::INTEGER AS n FROM interventions WHERE upn IN (${OLD_PUPILS})`, params);
  return {
    marks: Number(marks?.n ?? 0),
    firstMarkDate: marks?.first ?? null,
    lastMarkDate: marks?.last ?? null,
    amendments: Number(amendments?.n ?? 0),
    interventions: Number(interventions?.n ?? 0),
    upns: pupils.map((p) => p.upn),
  };
}

/**
 * Works out (and with `apply`, carries out in one transaction) the removal of register
 * entries made before `cutoff` (YYYY-MM-DD; default `today` minus the school's retention
 * setting). A later cutoff than that is refused with a RetentionError: nothing younger than
 * the retention period is ever removed. With `apply`, one `retention` row naming the cutoff
 * and the counts is added to the audit trail in the same transaction; `by` is required then.
 * A dry run (the default) changes nothing.
 */
export async function planRetention(
  connection: Connection,
  options: { today: string; cutoff?: string; apply?: boolean; by?: { actor: AuditActor; role: string; ip?: string | null } },
): Promise<RetentionPlan> {
  const settings = await getSettings(connection);
  const years = settings.policy.retention_years;
  const latestAllowedCutoff = yearsBefore(options.today, years);
  const cutoff = options.cutoff ?? latestAllowedCutoff;
  if (cutoff > latestAllowedCutoff) {
    throw new RetentionError(
      `entries made from ${cutoff} back include some within the school's ${years}-year retention period on ${options.today}: the latest date allowed is ${latestAllowedCutoff}`,
    );
  }
  if (options.apply && !options.by) throw new Error("applying retention needs who is doing it, for the audit trail");
  // Files made before interventions existed get the (empty) table, so one query fits all.
  await ensureInterventionsTable(connection);
  const run = async (): Promise<RetentionPlan> => {
    const found = await measure(connection, cutoff);
    const plan: RetentionPlan = { cutoff, retentionYears: years, latestAllowedCutoff, ...found, pupils: found.upns.length, applied: false };
    if (!options.apply || !options.by) return plan;
    const params = { cutoff };
    // The pupils first: their test reads the entries that will remain.
    await connection.run(`CREATE OR REPLACE TEMP TABLE retention_pupils AS ${OLD_PUPILS}`, params);
    try {
      const removed = await deleteMarks(connection, OLD_MARKS, params);
      if (removed !== plan.marks) throw new Error(`retention removed ${removed} marks, not the ${plan.marks} planned`);
      await connection.run(`DELETE FROM amendments WHERE ${AMENDMENT_IS_OLD}`, params);
      await connection.run(`DELETE FROM interventions WHERE upn IN (SELECT upn FROM retention_pupils)`);
      await connection.run(`DELETE FROM pupil_characteristics WHERE upn IN (SELECT upn FROM retention_pupils)`);
      await forgetPupilIds(connection, `SELECT upn FROM retention_pupils`);
      await connection.run(`DELETE FROM pupils WHERE upn IN (SELECT upn FROM retention_pupils)`);
    } finally {
      await connection.run(`DROP TABLE IF EXISTS temp.retention_pupils`);
    }
    // One row with the counts; the removed pupils' UPNs in as many more rows as they need,
    // since a row's detail is kept short (a first run on an old file may remove hundreds).
    const parts: string[][] = [];
    for (let i = 0; i < plan.upns.length; i += UPNS_PER_AUDIT_ROW) parts.push(plan.upns.slice(i, i + UPNS_PER_AUDIT_ROW));
    const inline = parts.length === 1;
    await recordAudit(connection, {
      ...options.by,
      action: "retention",
      target: `register entries made before ${cutoff}`,
      detail:
        `${plan.marks} ${plural(plan.marks, "mark")}${plan.firstMarkDate ? ` (${plan.firstMarkDate} to ${plan.lastMarkDate})` : ""}, ${plan.amendments} ${plural(plan.amendments, "amendment")}, ` +
        `${plan.interventions} ${plural(plan.interventions, "intervention")}, ${plan.pupils} ${plural(plan.pupils, "pupil")}${inline ? ` (UPNs ${plan.upns.join(" ")})` : ""}; retention ${years} years`,
    });
    if (!inline) {
      for (const [i, upns] of parts.entries()) {
        await recordAudit(connection, {
          ...options.by,
          action: "retention",
          target: `pupils removed with the register entries made before ${cutoff} (${i + 1} of ${parts.length})`,
          detail: `UPNs ${upns.join(" ")}`,
        });
      }
    }
    return { ...plan, applied: true };
  };
  return options.apply ? inTransaction(connection, run) : run();
}
