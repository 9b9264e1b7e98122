/** rollcall import [--calendar FILE] [--pupils FILE] [--marks FILE] [--db FILE] */
import { resolveDbPath } from "../../db.ts";
import { importFiles } from "../../import/index.ts";
import { InputError } from "../../csv.ts";
import { importAuditEntries } from "../../audit.ts";
import { auditCli } from "../audit.ts";
import { DB_OPTION, UsageError, actorFrom, optionalDate, parseOptions } from "../args.ts";

export const usage = `rollcall import [--calendar FILE] [--pupils FILE] [--marks FILE] [--as-of YYYY-MM-DD]
    [--user NAME] [--role ROLE] [--reason TEXT] [--db FILE]
  All files are imported in one transaction: if any row is refused, nothing changes.`;

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
  });
  if (!values.calendar && !values.pupils && !values.marks) throw new UsageError("give at least one of --calendar, --pupils, --marks");
  const db = resolveDbPath(values.db);
  const files = { calendar: values.calendar, pupils: values.pupils, marks: values.marks };
  const asOf = optionalDate(values["as-of"], "--as-of");
  let summaries;
  try {
    summaries = await importFiles(db, files, { by: actorFrom(values), asOf, reason: values.reason });
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
      `${s.kind} ${s.file}: ${s.rowsRead} rows read, ${s.inserted} new, ${s.amended} amended, ${s.unchanged} unchanged\n`,
    );
  }
  return 0;
}
