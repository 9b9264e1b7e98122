/** rollcall pack slt|fgb --month|--term … --format pdf|xlsx|html --out FILE [--db FILE] [--today] */
import { resolveDbPath, withConnection } from "../../db.ts";
import { currentDate, monthKeyFault, termKeyFault } from "../../periods.ts";
import { PACK_FORMAT_WORDS, isPackFormat, isPackKind } from "../../packs/files.ts";
import { keptPackFile } from "../../packs/kept-files.ts";
import { DB_OPTION, UsageError, optionalDate, parseOptions } from "../args.ts";
import { auditCli } from "../audit.ts";
import { cliOut } from "../context.ts";
import { checkOutFile, writeOutFile } from "../out-file.ts";

export const usage = `rollcall pack slt --month YYYY-MM --format pdf|xlsx|html --out FILE [--db FILE] [--today YYYY-MM-DD]
rollcall pack fgb --term autumn-2026 --format pdf|xlsx|html --out FILE [--db FILE] [--today YYYY-MM-DD]
  The monthly senior leadership pack (named pupils, staff only) or the termly governors'
  pack (anonymised, small groups' figures withheld): the same file the web app downloads.`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, {
    ...DB_OPTION,
    month: { type: "string" },
    term: { type: "string" },
    format: { type: "string" },
    out: { type: "string" },
    today: { type: "string" },
  });
  const [kind] = positionals;
  if (!kind || !isPackKind(kind)) throw new UsageError(`say which pack: slt or fgb (got "${kind ?? ""}")`);
  if (!values.format || !isPackFormat(values.format)) throw new UsageError(`--format must be ${PACK_FORMAT_WORDS} (got "${values.format ?? ""}")`);
  if (!values.out) throw new UsageError("--out FILE is required");
  const period = kind === "slt" ? values.month : values.term;
  if (!period) throw new UsageError(kind === "slt" ? "--month YYYY-MM is required for the SLT pack" : "--term (e.g. autumn-2026) is required for the FGB pack");
  if (kind === "slt" && values.term) throw new UsageError("the SLT pack is monthly: use --month, not --term");
  if (kind === "fgb" && values.month) throw new UsageError("the FGB pack is termly: use --term, not --month");
  // A period's shape is the command line's fault (exit 2, with the usage), as a missing one is.
  const shape = kind === "slt" ? monthKeyFault(period) : termKeyFault(period);
  if (shape) throw new UsageError(shape);
  const today = optionalDate(values.today, "--today") ?? currentDate();
  const format = values.format;
  checkOutFile(values.out, "--out", `pack.${format}`);

  const started = performance.now();
  const database = resolveDbPath(values.db);
  // Relayed into the dashboard's server (analytics/cli/remote.ts), the file it keeps for this
  // state of the register is written as it is, and one made here is kept for its readers
  // (analytics/packs/kept-files.ts); in a process of its own, made afresh.
  const made = await keptPackFile((work) => withConnection(database, work), kind, period, format, today);
  if (!made.file) throw new Error(made.refused);
  writeOutFile(values.out, made.file.body);
  await auditCli(database, {}, { action: "pack_download", target: values.out, detail: `${kind.toUpperCase()} pack, ${period}, ${format}` });
  const seconds = (ms: number) => (ms / 1000).toFixed(2);
  const { figuresMs, renderMs } = made.file.madeIn;
  const how = made.kept
    ? "the file the dashboard keeps for the register as it is now"
    : `figures ${seconds(figuresMs)} s, ${format.toUpperCase()} ${seconds(renderMs)} s`;
  cliOut(`${made.file.title}, ${made.file.label}: written to ${values.out} (${(made.file.body.length / 1024).toFixed(0)} KB) in ${seconds(performance.now() - started)} s (${how})\n`);
  return 0;
}
