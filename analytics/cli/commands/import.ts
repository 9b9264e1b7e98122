/** rollcall import [--calendar FILE] [--pupils FILE] [--marks FILE] [--school URN] [--db FILE] */
import { openInstance, resolveDbPath, withConnection } from "../../db.ts";
import { importReach, importReachWords, reachingImports } from "../../import/amended-periods.ts";
import { currentDate } from "../../periods.ts";
import { MARKS_LAYOUTS, appliesFromSentence, importFiles, nothingChangedMessage, type MarksLayout } from "../../import/index.ts";
import { pupilChangesLine } from "../../import/pupil-changes.ts";
import { marksDatesWords } from "../../import/record-words.ts";
import { InputError } from "../../csv.ts";
import { importAuditEntries, rowsReadWords, skippedWords } from "../../audit.ts";
import { auditCli } from "../audit.ts";
import { DB_OPTION, UsageError, actingRole, actorFrom, optionalDate, parseOptions } from "../args.ts";
import { cliOut, cliErr, cliIsTerminal } from "../context.ts";
import { SchoolMismatch, URN_PATTERN } from "../../school-urn.ts";

export const usage = `rollcall import [--calendar FILE] [--pupils FILE] [--marks FILE] [--as-of YYYY-MM-DD]
    [--layout long|grid|week|ctf] [--sheet NAME] [--school URN] [--user NAME] [--role ROLE] [--reason TEXT] [--dry-run] [--progress] [--db FILE]
  All files are imported in one transaction: if any row is refused, nothing changes.
  --school URN names the school the files are for: refused (nothing changes) when the database holds another
  school; recorded with the import when the database has no school yet (one database file per school).
  Files may be CSV (comma, semicolon or tab; UTF-8, UTF-16 or Windows-1252) or .xlsx (--sheet NAME, else the
  first sheet). The marks layout is detected (--layout forces it): one row per session, a grid of sessions,
  week strings or a Common Transfer File (CTF XML, given as --pupils or --marks: it brings both).
  --dry-run checks everything and prints what the import would do (pupils new and changed, each
  change before and after, marks new, amended with the codes before and after, unchanged), then changes nothing.
  --progress prints each stage on stderr (the default when stderr is a terminal).
  --user and --role are written to the audit trail (default: your login name, "MIS import"); --role must be
  a role that may import: attendance_lead, head or admin.`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseOptions(argv, {
    ...DB_OPTION,
    calendar: { type: "string" },
    pupils: { type: "string" },
    marks: { type: "string" },
    "as-of": { type: "string" },
    user: { type: "string" },
    role: { type: "string" },
    reason: { type: "string" },
    layout: { type: "string" },
    sheet: { type: "string" },
    "dry-run": { type: "boolean" },
    progress: { type: "boolean" },
    school: { type: "string" },
  });
  if (values.school !== undefined && !URN_PATTERN.test(values.school)) throw new UsageError(`--school must be a URN, six digits (got "${values.school.slice(0, 20)}")`);
  const layout = values.layout;
  if (layout !== undefined && !MARKS_LAYOUTS.includes(layout as MarksLayout)) {
    throw new UsageError(`--layout must be one of ${MARKS_LAYOUTS.join(", ")} (got "${layout}")`);
  }
  if (!values.calendar && !values.pupils && !values.marks) throw new UsageError("give at least one of --calendar, --pupils, --marks");
  const role = actingRole(values.role, "import", "MIS import");
  const db = resolveDbPath(values.db);
  const files = { calendar: values.calendar, pupils: values.pupils, marks: values.marks };
  const asOf = optionalDate(values["as-of"], "--as-of");
  const dryRun = values["dry-run"] === true;
  // The database first: while the dashboard holds it, opening it fails here and the command
  // is sent to the server (cli/index.ts) before this process has read the files or printed
  // any progress, which the server then prints again (each "reading" line came twice).
  await openInstance(db);
  let summaries;
  try {
    summaries = await importFiles(db, files, {
      by: actorFrom({ user: values.user, role }),
      asOf,
      reason: values.reason,
      layout: layout as MarksLayout | undefined,
      sheet: values.sheet,
      dryRun,
      school: values.school,
      onProgress: values.progress || cliIsTerminal() ? (message) => cliErr(`rollcall import: ${message}…\n`) : undefined,
    });
  } catch (error) {
    if (error instanceof InputError || error instanceof SchoolMismatch) {
      const target = Object.values(files).filter(Boolean).join(", ");
      await auditCli(db, { user: values.user, role }, { action: "import_refused", target, detail: error.message });
    }
    throw error;
  }
  if (dryRun) cliOut("Dry run: nothing was imported. The import would do this:\n");
  else for (const entry of importAuditEntries(summaries)) await auditCli(db, { user: values.user, role }, entry);
  const n = (k: number) => k.toLocaleString("en-GB");
  for (const s of summaries) {
    // A marks file's days with its counts, as the Import page says them (trial 54: which week it was).
    const dates = marksDatesWords(s.firstDate, s.lastDate);
    cliOut(
      `${s.kind} ${s.file}: ${rowsReadWords(s.rowsRead, s.marksRead)}${dates === null ? "," : `, ${dates}:`} ${n(s.inserted)} new, ${n(s.amended)} amended, ${n(s.unchanged)} unchanged` +
        (s.removed ? `, ${n(s.removed)} removed` : "") +
        (s.skipped ? `, ${skippedWords(s.skipped)}` : "") +
        "\n",
    );
    const applies = s.inserted + s.amended > 0 ? appliesFromSentence(s) : null;
    if (applies) cliOut(`  ${applies}\n`);
    for (const note of s.notes ?? []) cliOut(`  ${note}\n`);
    if (dryRun) {
      for (const p of s.changedPupils ?? []) {
        cliOut(`  ${p.change} pupil ${p.upn} ${p.name}${p.changes?.length ? `: ${pupilChangesLine(p.changes)}` : ""}\n`);
      }
      for (const m of s.amendedMarks ?? []) cliOut(`  amend ${m.upn} (${m.name}) ${m.date} ${m.session}: ${m.before} -> ${m.after}\n`);
      const listed = (s.changedPupils?.length ?? 0) + (s.amendedMarks?.length ?? 0);
      const changed = s.kind === "pupils" ? s.inserted + s.amended : s.kind === "marks" ? s.amended : 0;
      if (listed < changed) cliOut(`  … ${changed - listed} more not listed\n`);
    }
  }
  const nothingChanged = dryRun ? null : nothingChangedMessage(summaries);
  if (nothingChanged) cliOut(`${nothingChanged}\n`);
  // Which packs given out the new and amended marks reach, as the Import page says after an import (a
  // dry run says it among the marks file's notes: importFiles); and the import's number, for
  // its record (/imports/N). Trial 50b: the command line said neither.
  const made = summaries.flatMap((s) => (s.importId ? [s.importId] : []));
  if (!dryRun && made.length > 0) {
    cliOut(`Recorded as import ${made.join(" and ")} (the dashboard's /imports/${made[0]}).\n`);
    const reaching = reachingImports(summaries);
    const reach = reaching.length > 0 ? importReachWords(await withConnection(db, (c) => importReach(c, reaching, currentDate()))) : null;
    if (reach) cliOut(`${reach}\n`);
  }
  return 0;
}
