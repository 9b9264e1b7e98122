/**
 * rollcall version [--json] [--db FILE]   (also `rollcall --version`)
 * This release's version and the database schema it reads and writes; and, when the school's
 * database is there (--db, ROLLCALL_DB or the default file), that file's schema version and
 * what opening it here would do — read before anything opens the file for work, so an
 * administrator can keep a copy before an upgrade, which is one way (README "Upgrading").
 * JSON fields (a contract with scripts): rollcall, schemaVersion, database: { file,
 * schemaVersion, state } or null. state: "current", "older" (upgraded when this release opens
 * it), "newer" (this release cannot read it), "none" (a DuckDB file with no Rollcall schema).
 */
import fs from "node:fs";
import path from "node:path";
import packageJson from "../../../package.json";
import { resolveDbPath } from "../../db.ts";
import { fileSchemaVersion, schemaState, type SchemaState } from "../../file-schema-version.ts";
import { SCHEMA_VERSION } from "../../schema.ts";
import { DB_OPTION, UsageError, parseOptions } from "../args.ts";
import { cliOut } from "../context.ts";

export const usage = `rollcall version [--json] [--db FILE]   (or rollcall --version)
  Prints this Rollcall's version and the database schema version it reads and writes, and,
  when the database file is there, the file's own schema version and whether this Rollcall
  would upgrade it (one way: keep a copy first), reads it as it is, or cannot read it. The
  file is not changed.`;

const STATE_WORDS: Record<SchemaState, string> = {
  current: "current: this Rollcall reads it as it is",
  older: `older: this Rollcall upgrades it to version ${SCHEMA_VERSION} the first time it opens it; earlier releases cannot open it after that, so keep a copy of the file first`,
  newer: `newer: written by a later Rollcall, which this one (up to version ${SCHEMA_VERSION}) cannot read`,
  none: "no Rollcall schema: this file is not a school's database",
};

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, { ...DB_OPTION, json: { type: "boolean", default: false } });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const file = resolveDbPath(values.db);
  let database: { file: string; schemaVersion: number; state: SchemaState } | null = null;
  if (file !== ":memory:" && fs.existsSync(file)) {
    // Relayed to the dashboard's server, which holds the file, this reads it through the
    // server's own instance (fileSchemaVersion).
    const version = await fileSchemaVersion(file);
    database = { file: path.resolve(file), schemaVersion: version, state: schemaState(version) };
  }
  const release = String(packageJson.version);
  if (values.json) {
    cliOut(`${JSON.stringify({ rollcall: release, schemaVersion: SCHEMA_VERSION, database }, null, 2)}\n`);
    return 0;
  }
  const lines = [`Rollcall ${release}: database schema version ${SCHEMA_VERSION}`];
  if (database) lines.push(`${database.file}: schema version ${database.schemaVersion} (${STATE_WORDS[database.state]})`);
  cliOut(`${lines.join("\n")}\n`);
  return 0;
}
