/** rollcall import [--calendar FILE] [--pupils FILE] [--marks FILE] [--db FILE] */
import { resolveDbPath } from "../../db.ts";
import { importFiles } from "../../import/index.ts";
import { DB_OPTION, UsageError, actorFrom, optionalDate, parseOptions } from "../args.ts";

export const usage = `rollcall import [--calendar FILE] [--pupils FILE] [--marks FILE] [--as-of YYYY-MM-DD]
    [--user NAME] [--role ROLE] [--reason TEXT] [--dry-run] [--progress] [--db FILE]
  All files are imported in one transaction: if any row is refused, nothing changes.
  --dry-run checks everything and prints what the import would do (pupils new and changed,
  marks new, amended with the codes before and after, unchanged), then changes nothing.
  --progress prints each stage on stderr (the default when stderr is a terminal).`;

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
    "dry-run": { type: "boolean" },
    progress: { type: "boolean" },
  });
  if (!values.calendar && !values.pupils && !values.marks) throw new UsageError("give at least one of --calendar, --pupils, --marks");
  const summaries = await importFiles(
    resolveDbPath(values.db),
    { calendar: values.calendar, pupils: values.pupils, marks: values.marks },
    {
      by: actorFrom(values),
      asOf: optionalDate(values["as-of"], "--as-of"),
      reason: values.reason,
      dryRun: values["dry-run"] === true,
      onProgress: values.progress || process.stderr.isTTY ? (message) => process.stderr.write(`rollcall import: ${message}…\n`) : undefined,
    },
  );
  const dryRun = values["dry-run"] === true;
  if (dryRun) process.stdout.write("Dry run: nothing was imported. The import would do this:\n");
  for (const s of summaries) {
    process.stdout.write(
      `${s.kind} ${s.file}: ${s.rowsRead} rows read, ${s.inserted} new, ${s.amended} amended, ${s.unchanged} unchanged` +
        (s.skipped ? `, ${s.skipped} skipped` : "") +
        "\n",
    );
    for (const note of s.notes ?? []) process.stdout.write(`  ${note}\n`);
    if (dryRun) {
      for (const p of s.changedPupils ?? []) process.stdout.write(`  ${p.change} pupil ${p.upn} ${p.name}\n`);
      for (const m of s.amendedMarks ?? []) process.stdout.write(`  amend ${m.upn} ${m.date} ${m.session}: ${m.before} -> ${m.after}\n`);
      const listed = (s.changedPupils?.length ?? 0) + (s.amendedMarks?.length ?? 0);
      const changed = s.kind === "pupils" ? s.inserted + s.amended : s.kind === "marks" ? s.amended : 0;
      if (listed < changed) process.stdout.write(`  … ${changed - listed} more not listed\n`);
    }
  }
  return 0;
}
