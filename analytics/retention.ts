/**
 * Retention of the register. Both policies keep every entry three years from the date it
 * was made (Ludlow: "Every entry received into the attendance register will be preserved
 * for three years"; Littledean: "We will keep every entry on the attendance register for 3
 * years after the date on which the entry was made"); the number of years is the school's
 * `retention_years` setting (analytics/settings.ts, at least 3).
 *
 * An entry's date is the later of the session's date and the last amendment to that mark
 * (an amendment is itself an entry, made when it was recorded). With a cutoff date C:
 * - a mark goes when its session is before C and no amendment to it was made on or after C;
 * - an amendment goes when both its session and the day it was made are before C;
 * - a pupil (with their characteristics' history) goes when nothing of theirs is left, they
 *   were admitted and left before C — a pupil on roll, or with any entry on or after C, stays.
 * The audit trail is never touched; the removal is recorded in it, in the same transaction.
 *
 * The SQL over marks is all here, so it can move with the store.
 */
import type { Connection } from "./db.ts";
import { inTransaction, queryOne, queryRows } from "./db.ts";
import { getSettings } from "./settings.ts";
import { recordAudit, type AuditActor } from "./audit.ts";

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
  /** The pupils removed, with their UPNs (no names: the plan is printed and audited). */
  pupils: number;
  upns: string[];
  /** True once removed (apply); false for a dry run. */
  applied: boolean;
}

/** `date` minus whole years, as YYYY-MM-DD (29 February becomes 28 February). */
export function yearsBefore(date: string, years: number): string {
  const [y, m, d] = date.split("-").map(Number);
  const target = new Date(Date.UTC(y - years, m - 1, 1));
  const lastDay = new Date(Date.UTC(y - years, m, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}

/** Marks whose entry (session or last amendment) was made before $cutoff (a WHERE clause on marks). */
const MARK_IS_OLD = `
  marks.date < $cutoff::DATE
  AND NOT EXISTS (
    SELECT 1 FROM amendments a
    WHERE a.upn = marks.upn AND a.date = marks.date AND a.session = marks.session
      AND a.amended_at >= $cutoff::TIMESTAMP)`;

/** Amendments to sessions before $cutoff, themselves made before $cutoff (a WHERE clause on amendments). */
const AMENDMENT_IS_OLD = `amendments.date < $cutoff::DATE AND amendments.amended_at < $cutoff::TIMESTAMP`;

/**
 * Pupils left with no entry once the old ones go, admitted and gone before $cutoff. Must run
 * before the marks and amendments are removed (it reads what will remain).
 */
const OLD_PUPILS = `
  FROM pupils p
  WHERE p.admission_date < $cutoff::DATE
    AND p.leaving_date IS NOT NULL AND p.leaving_date < $cutoff::DATE
    AND NOT EXISTS (
      SELECT 1 FROM marks m
      WHERE m.upn = p.upn
        AND (m.date >= $cutoff::DATE OR EXISTS (
          SELECT 1 FROM amendments a
          WHERE a.upn = m.upn AND a.date = m.date AND a.session = m.session AND a.amended_at >= $cutoff::TIMESTAMP)))
    AND NOT EXISTS (
      SELECT 1 FROM amendments a
      WHERE a.upn = p.upn AND (a.date >= $cutoff::DATE OR a.amended_at >= $cutoff::TIMESTAMP))`;

async function measure(connection: Connection, cutoff: string) {
  const marks = await queryOne<{ n: number; first: string | null; last: string | null }>(
    connection,
    `SELECT count(*)::INTEGER AS n, strftime(min(date), '%Y-%m-%d') AS first, strftime(max(date), '%Y-%m-%d') AS last FROM marks WHERE ${MARK_IS_OLD}`,
    { cutoff },
  );
  const amendments = await queryOne<{ n: number }>(connection, `SELECT count(*)::INTEGER AS n FROM amendments WHERE ${AMENDMENT_IS_OLD}`, { cutoff });
  const pupils = await queryRows<{ upn: string }>(connection, `SELECT p.upn ${OLD_PUPILS} ORDER BY p.upn`, { cutoff });
  return {
    marks: marks?.n ?? 0,
    firstMarkDate: marks?.first ?? null,
    lastMarkDate: marks?.last ?? null,
    amendments: amendments?.n ?? 0,
    upns: pupils.map((p) => p.upn),
  };
}

export class RetentionError extends Error {
  override name = "RetentionError";
}

/**
 * Works out (and with `apply`, carries out in one transaction) the removal of register
 * entries made before `cutoff`. `cutoff` defaults to `today` minus the school's retention
 * setting; a later cutoff is refused with a RetentionError (nothing younger than the
 * retention period is ever removed). With `apply`, one `retention` row is added to the
 * audit trail in the same transaction, naming the cutoff and the counts.
 */
export async function planRetention(
  connection: Connection,
  options: { today: string; cutoff?: string; apply?: boolean; by?: { actor: AuditActor; role: string; ip?: string | null } },
): Promise<RetentionPlan> {
  const settings = await getSettings(connection);
  const latestAllowedCutoff = yearsBefore(options.today, settings.retention_years);
  const cutoff = options.cutoff ?? latestAllowedCutoff;
  if (cutoff > latestAllowedCutoff) {
    throw new RetentionError(
      `entries from ${cutoff} back are within the school's ${settings.retention_years}-year retention period on ${options.today}: the latest date allowed is ${latestAllowedCutoff}`,
    );
  }
  const run = async () => {
    const found = await measure(connection, cutoff);
    const plan: RetentionPlan = {
      cutoff,
      retentionYears: settings.retention_years,
      latestAllowedCutoff,
      ...found,
      pupils: found.upns.length,
      applied: false,
    };
    if (!options.apply) return plan;
    if (!options.by) throw new Error("applying retention needs who is doing it, for the audit trail");
    // Pupils first (their test reads the entries that will remain), then their history.
    const params = { cutoff };
    await connection.run(`CREATE OR REPLACE TEMP TABLE retention_pupils AS SELECT p.upn ${OLD_PUPILS}`, params);
    await connection.run(`DELETE FROM marks WHERE ${MARK_IS_OLD}`, params);
    await connection.run(`DELETE FROM amendments WHERE ${AMENDMENT_IS_OLD}`, params);
    await connection.run(`DELETE FROM pupil_characteristics WHERE upn IN (SELECT upn FROM retention_pupils)`);
    await connection.run(`DELETE FROM pupils WHERE upn IN (SELECT upn FROM retention_pupils)`);
    await connection.run(`DROP TABLE retention_pupils`);
    await recordAudit(connection, {
      ...options.by,
      action: "retention",
      target: `register entries made before ${cutoff}`,
      detail:
        `${plan.marks} marks${plan.firstMarkDate ? ` (${plan.firstMarkDate} to ${plan.lastMarkDate})` : ""}, ${plan.amendments} amendments, ` +
        `${plan.pupils} pupils${plan.upns.length > 0 ? ` (UPNs ${plan.upns.join(" ")})` : ""}; retention ${settings.retention_years} years`,
    });
    return { ...plan, applied: true };
  };
  return options.apply ? inTransaction(connection, run) : run();
}
