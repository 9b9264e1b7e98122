/** rollcall init --school "NAME" [--urn URN] [--db FILE] */
import fs from "node:fs";
import { inTransaction, resolveDbPath, withConnection } from "../../db.ts";
import { setSetting } from "../../settings.ts";
import { DB_OPTION, UsageError, parseOptions } from "../args.ts";
import { cliOut, cliErr } from "../context.ts";
import { auditCli } from "../audit.ts";
import { replaceMeta } from "../../key-values.ts";

export const usage = `rollcall init --school "NAME" [--urn URN] [--db FILE]
  Makes an empty school: a new database file with the school's name (and URN, six digits)
  and no pupils or marks. Then import the calendar, the pupils and the marks, in that order.
  Refuses to touch a file that already exists. Recorded on the audit trail as the user at the
  keyboard (ROLLCALL_USER, else the login name), from the command line.`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseOptions(argv, { ...DB_OPTION, school: { type: "string" }, urn: { type: "string" } });
  const school = values.school?.trim();
  if (!school) throw new UsageError('--school "NAME" is required');
  if (school.length > 120) throw new UsageError("--school must be at most 120 characters");
  // URNs are six digits (Get Information about Schools).
  if (values.urn !== undefined && !/^\d{6}$/.test(values.urn)) throw new UsageError(`--urn must be six digits (got "${values.urn.slice(0, 20)}")`);
  const file = resolveDbPath(values.db);
  if (fs.existsSync(file)) {
    cliErr(`rollcall init: ${file} already exists; choose another --db, or remove it first if you mean to start again\n`);
    return 1;
  }
  await initSchool(file, { school, urn: values.urn });
  // The school's first entry on its audit trail: who made it, from the command line.
  await auditCli(file, {}, { action: "settings_change", target: "school_name", detail: `rollcall init: empty school "${school}" created${values.urn ? `, URN ${values.urn}` : ""}` });
  cliOut(
    `Empty school "${school}" created in ${file}.\nNext: rollcall import --calendar FILE, then --pupils FILE, then --marks FILE (or use the Import page).\n`,
  );
  return 0;
}

/** Creates the schema and stores the school's name (a setting) and URN (in meta), in one transaction. */
export async function initSchool(file: string, school: { school: string; urn?: string }): Promise<void> {
  await withConnection(file, (conn) =>
    inTransaction(conn, async () => {
      await setSetting(conn, "school_name", school.school);
      if (school.urn) await replaceMeta(conn, "urn", school.urn);
    }),
  );
}
