/**
 * A ladder with its own steps only, without the policy's formal meeting below a line
 * (LadderDefinition.formalMeeting, Ludlow §4): for the tests of the steps' monitoring periods and
 * penalty notices whose hand-built pupils are far below 85 % with no meeting recorded, where §4's
 * meeting would be due beside every step under test (test/ladder-formal-meeting.test.ts is its own).
 */
import { expect } from "vitest";
import type { LadderDefinition } from "../../analytics/interventions/ladder-policies.ts";
import { inTransaction, withConnection, type Connection } from "../../analytics/db.ts";
import { importMarks } from "../../analytics/import/index.ts";
import { BY, marksCsv } from "../fixtures/import/helpers.ts";
import { ladderFor, type LadderPolicy } from "../../analytics/interventions/ladder.ts";

/** One pupil's standing on `policy`'s ladder as of `asOf` (ladderFor on the database file `db`), or undefined off roll. */
export async function standingIn(db: string, asOf: string, upn: string, policy: LadderPolicy) {
  return (await withConnection(db, (c) => ladderFor(c, asOf, policy, { upn })))[0];
}

export function stepsOnly(ladder: LadderDefinition): LadderDefinition {
  const { formalMeeting: _formal, ...steps } = ladder;
  return steps;
}

/**
 * Each of `upns`' due steps and dated action as of `asOf` (type, due from, due by, late,
 * shown_late or null, then "not yet due" for one the register showed only after `asOf`), read
 * among everyone (the lists) and checked equal to each read alone (a pupil's page), by UPN.
 */
export async function standingsAlike(db: string, asOf: string, policy: LadderPolicy, upns: readonly string[]) {
  const everyone = await withConnection(db, (c) => ladderFor(c, asOf, policy));
  // A step the register showed only after `asOf` (not_yet_due) ends in "not yet due".
  const item = (d: NonNullable<(typeof everyone)[number]["action_due"]>) => [d.type, d.due_from, d.due_by, d.late, d.shown_late ?? null, ...(d.not_yet_due ? ["not yet due"] : [])];
  const shape = (s: (typeof everyone)[number]) => ({ due: s.due.map(item), action: s.action_due ? item(s.action_due) : null });
  const byUpn = new Map(everyone.map((s) => [s.upn, shape(s)]));
  for (const u of upns) {
    const [alone] = await withConnection(db, (c) => ladderFor(c, asOf, policy, { upn: u }));
    expect(shape(alone)).toEqual(byUpn.get(u));
  }
  return byUpn;
}

/**
 * Dates import `importId` as made on `made` (ISO) at 16:00: its amendments and its record. The
 * importer stamps the real clock; a test of when the register first showed an amendment
 * (analytics/interventions/register-showed.ts) needs the day the school made it.
 */
export async function dateImportMade(c: Connection, importId: number, made: string): Promise<void> {
  const at = `${made} 16:00:00`;
  await c.run(`UPDATE amendments SET amended_at = $at::TIMESTAMP WHERE import_id = $id`, { at, id: importId });
  await c.run(`UPDATE imports SET imported_at = $at::TIMESTAMP WHERE import_id = $id`, { at, id: importId });
}

/**
 * Imports `rows` (UPN, date, session, code) as made on `made` (ISO), `amended` of them
 * amendments (checked; all of them by default): its amendments and its record (dateImportMade).
 */
export async function importMade(c: Connection, made: string, rows: string[][], amended = rows.length): Promise<void> {
  const summary = await inTransaction(c, () => importMarks(c, { file: `made-${made}.csv`, text: marksCsv(rows), by: BY }));
  expect(summary.amended).toBe(amended);
  await dateImportMade(c, summary.importId!, made);
}

/** Both sessions of each of `days` with `code`, as import rows of pupil `upn`. */
export const bothSessions = (upn: string, days: readonly string[], code: string): string[][] => days.flatMap((d) => [[upn, d, "AM", code], [upn, d, "PM", code]]);
