/** rollcall import [--calendar FILE] [--pupils FILE] [--marks FILE] [--db FILE] */
import { resolveDbPath } from "../../db.ts";
import { importFiles } from "../../import/index.ts";
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
  const summaries = await importFiles(
    resolveDbPath(values.db),
    { calendar: values.calendar, pupils: values.pupils, marks: values.marks },
    { by: actorFrom(values), asOf: optionalDate(values["as-of"], "--as-of"), reason: values.reason },
  );
  for (const s of summaries) {
    process.stdout.write(
      `${s.kind} ${s.file}: ${s.rowsRead} rows read, ${s.inserted} new, ${s.amended} amended, ${s.unchanged} unchanged` +
        (s.skipped ? `, ${s.skipped} skipped` : "") +
        "\n",
    );
    for (const note of s.notes ?? []) process.stdout.write(`  ${note}\n`);
  }
  return 0;
}
