/** rollcall import [--calendar FILE] [--pupils FILE] [--marks FILE] [--db FILE] */
import { resolveDbPath } from "../../db.ts";
import { MARKS_LAYOUTS, importFiles, type MarksLayout } from "../../import/index.ts";
import { InputError } from "../../csv.ts";
import { importAuditEntries } from "../../audit.ts";
import { auditCli } from "../audit.ts";
import { DB_OPTION, UsageError, actorFrom, optionalDate, parseOptions } from "../args.ts";

export const usage = `rollcall import [--calendar FILE] [--pupils FILE] [--marks FILE] [--as-of YYYY-MM-DD]
    [--layout long|grid|week|ctf] [--sheet NAME] [--user NAME] [--role ROLE] [--reason TEXT] [--db FILE]
  All files are imported in one transaction: if any row is refused, nothing changes.
  Files may be CSV (comma, semicolon or tab; UTF-8, UTF-16 or Windows-1252) or .xlsx (--sheet NAME, else the
  first sheet). The marks layout is detected (--layout forces it): one row per session, a grid of sessions,
  week strings or a Common Transfer File (CTF XML, given as --pupils or --marks: it brings both).`;

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
  });
  const layout = values.layout;
  if (layout !== undefined && !MARKS_LAYOUTS.includes(layout as MarksLayout)) {
    throw new UsageError(`--layout must be one of ${MARKS_LAYOUTS.join(", ")} (got "${layout}")`);
  }
  if (!values.calendar && !values.pupils && !values.marks) throw new UsageError("give at least one of --calendar, --pupils, --marks");
  const db = resolveDbPath(values.db);
  const files = { calendar: values.calendar, pupils: values.pupils, marks: values.marks };
  const asOf = optionalDate(values["as-of"], "--as-of");
  let summaries;
  try {
    summaries = await importFiles(db, files, {
      by: actorFrom(values),
      asOf,
      reason: values.reason,
      layout: layout as MarksLayout | undefined,
      sheet: values.sheet,
    });
  } catch (error) {
    if (error instanceof InputError) {
      const target = Object.values(files).filter(Boolean).join(", ");
      await auditCli(db, { user: values.user, role: values.role ?? "MIS import" }, { action: "import_refused", target, detail: error.message });
    }
    throw error;
  }
  for (const entry of importAuditEntries(summaries)) await auditCli(db, { user: values.user, role: values.role ?? "MIS import" }, entry);
  for (const s of summaries) {
    process.stdout.write(
      `${s.kind} ${s.file}: ${s.rowsRead} rows read, ${s.inserted} new, ${s.amended} amended, ${s.unchanged} unchanged` +
        (s.skipped ? `, ${s.skipped} sessions without a mark skipped (not counted)` : "") +
        "\n",
    );
    for (const note of s.notes ?? []) process.stdout.write(`  ${note}\n`);
  }
  return 0;
}
