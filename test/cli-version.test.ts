/**
 * `rollcall version` (and `--version`): this release's version and schema, and a school file's
 * own schema version with what opening it here would do, read without changing the file
 * (analytics/file-schema-version.ts). Trial 33: an upgrade is one way, and nothing told an
 * administrator beforehand which schema a file was at, so nobody could know to keep a copy.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import packageJson from "../package.json";
import { main } from "../analytics/cli/index.ts";
import { cliContext } from "../analytics/cli/context.ts";
import { closeInstance, schemaUpgradeNotice, schemaUpgradeOf, withConnection } from "../analytics/db.ts";
import { replaceMeta } from "../analytics/key-values.ts";
import { SCHEMA_VERSION } from "../analytics/schema.ts";
import { cliOn, initSchool, NO_DB_FOLDER_PREFIX } from "./helpers/cli.ts";
import { copyDatabase, removeDb, tempDbPath } from "./helpers/db.ts";
import { asSchemaSeven } from "./helpers/old-key-values.ts";

const current = tempDbPath("cli-version");
const older = current.replace(/\.duckdb$/, "-older.duckdb");
const newer = current.replace(/\.duckdb$/, "-newer.duckdb");
const missing = current.replace(/\.duckdb$/, "-missing.duckdb");
const digest = (file: string) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");

beforeAll(async () => {
  await initSchool(current);
  // Schema 7's layout (meta and settings as tables), as the release before wrote it.
  await copyDatabase(current, older, asSchemaSeven);
  await copyDatabase(current, newer, async (c) => {
    await c.run("UPDATE o.key_values SET value = $v WHERE scope = 'meta' AND key = 'schema_version'", { v: String(SCHEMA_VERSION + 1) });
    await c.run("CHECKPOINT o");
  });
}, 120_000);
afterAll(() => removeDb(current));

describe("rollcall version", () => {
  it("prints the release and its schema with no database, as --version too", async () => {
    const plain = await cliOn(null)("version");
    expect(plain).toMatchObject({ code: 0, stderr: "" });
    expect(plain.stdout).toBe(`Rollcall ${packageJson.version}: database schema version ${SCHEMA_VERSION}\n`);
    const flag = await cliOn(null)("--version");
    expect(flag).toEqual(plain);
  });

  it("runs each command without --db in an empty folder of its own, removed after it (fresh-clone trial 50: dozens left in /tmp)", async () => {
    const ownFolders = () => fs.readdirSync(os.tmpdir()).filter((name) => path.join(os.tmpdir(), name).startsWith(NO_DB_FOLDER_PREFIX));
    // The folder it ran in, as the refusal names it: one of this process's, gone once the run is over.
    const refused = await cliOn(null)("summary");
    const folder = /there is no database at (\S+)\/data\/rollcall\.duckdb/.exec(refused.stderr)?.[1];
    expect(folder?.startsWith(NO_DB_FOLDER_PREFIX)).toBe(true);
    expect(fs.existsSync(folder!)).toBe(false);
    expect(ownFolders()).toEqual([]);
  });

  it("says what each file's schema means here, in words and JSON, and changes no file", async () => {
    const words = { [current]: "current: this Rollcall reads it as it is", [older]: `older: this Rollcall upgrades it to version ${SCHEMA_VERSION}`, [newer]: "newer: written by a later Rollcall" };
    const versions = { [current]: SCHEMA_VERSION, [older]: 7, [newer]: SCHEMA_VERSION + 1 };
    const states = { [current]: "current", [older]: "older", [newer]: "newer" };
    for (const file of [current, older, newer]) {
      const before = digest(file);
      const said = await cliOn(file)("version");
      expect(said.code).toBe(0);
      expect(said.stdout).toContain(`${file}: schema version ${versions[file]} (${words[file]}`);
      const json = await cliOn(file)("version", "--json");
      expect(JSON.parse(json.stdout)).toEqual({ rollcall: packageJson.version, schemaVersion: SCHEMA_VERSION, database: { file, schemaVersion: versions[file], state: states[file] } });
      expect(digest(file)).toBe(before);
      expect(fs.existsSync(`${file}.wal`)).toBe(false);
    }
    // Opening the older file for work upgrades it, as the words said, and says so once, on
    // stderr (the dashboard's start log says the same sentence: scripts/server.js).
    const upgradedWords = `rollcall: upgraded ${older} from schema 7 to ${SCHEMA_VERSION} as it opened: one way, so a Rollcall release before this one cannot open the file now`;
    const first = await cliOn(older)("settings");
    expect(first.code).toBe(0);
    expect(first.stderr).toContain(upgradedWords);
    const again = await cliOn(older)("settings");
    expect(again).toMatchObject({ code: 0, stderr: "", stdout: first.stdout });
    expect(JSON.parse((await cliOn(older)("version", "--json")).stdout).database.state).toBe("current");
    // The current file opened for work: nothing said.
    expect((await cliOn(current)("settings")).stderr).toBe("");
  }, 120_000);

  it("a dry run does not upgrade an older file, and compact says it upgraded one (trial 35)", async () => {
    const copy = current.replace(/\.duckdb$/, "-older-dry.duckdb");
    await copyDatabase(current, copy, asSchemaSeven);
    const marks = copy.replace(/\.duckdb$/, "-marks.csv");
    fs.writeFileSync(marks, "upn,date,session,code\n");
    const before = digest(copy);
    const dry = await cliOn(copy)("import", "--marks", marks, "--dry-run");
    expect(dry.code).toBe(1);
    expect(dry.stderr).toContain(`${copy} is at schema 7, and this Rollcall upgrades it to ${SCHEMA_VERSION} (one way) to open it, which a dry run must not do`);
    expect(digest(copy)).toBe(before);
    const compacted = await cliOn(copy)("compact");
    expect(compacted.code).toBe(0);
    expect(compacted.stderr).toContain(`rollcall: upgraded ${copy} from schema 7 to ${SCHEMA_VERSION} as it opened: one way`);
    // Now current: the dry run goes ahead, and says nothing of an upgrade.
    const again = await cliOn(copy)("import", "--marks", marks, "--dry-run");
    expect(again.stderr).not.toContain("upgrade");
  }, 120_000);

  it("tells whoever opened the file that it upgraded it, in the process that did (the dashboard's start log)", async () => {
    const copy = current.replace(/\.duckdb$/, "-older-again.duckdb");
    await copyDatabase(current, copy, asSchemaSeven);
    await withConnection(copy, async () => undefined);
    expect(schemaUpgradeOf(copy)).toEqual({ from: 7, to: SCHEMA_VERSION });
    expect(schemaUpgradeNotice(copy)).toMatch(new RegExp(`^upgraded ${copy.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} from schema 7 to ${SCHEMA_VERSION} as it opened: one way`));
    await closeInstance(copy);
    // Opened again: already current, nothing to say.
    await withConnection(copy, async () => undefined);
    expect(schemaUpgradeNotice(copy)).toBeUndefined();
    await closeInstance(copy);
  }, 60_000);

  it("refuses a database named with --db that is not there, as every command does", async () => {
    const said = await cliOn(missing)("version");
    expect(said.code).toBe(1);
    expect(said.stderr).toContain(`there is no database at ${missing}`);
    expect(fs.existsSync(missing)).toBe(false);
    // --db with no file after it: the option's fault, not the default file's absence.
    const bare = await cliOn(null)("version", "--db");
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain("--db");
    expect(bare.stderr).not.toContain("there is no database at");
    // A file that is not a database (a register CSV named by mistake): said in words, left as it was.
    const csv = missing.replace(/\.duckdb$/, ".csv");
    fs.writeFileSync(csv, "upn,date,session,code\n");
    const notDatabase = await cliOn(csv)("version");
    expect(notDatabase.code).toBe(1);
    expect(notDatabase.stderr).toContain(`${csv} is not a DuckDB database file`);
    expect(fs.readFileSync(csv, "utf8")).toBe("upn,date,session,code\n");
  });

  it("reads the file while this process holds it open, as when relayed to the dashboard's server", async () => {
    const out: string[] = [];
    await withConnection(current, async (c) => replaceMeta(c, "school_name", "Held Primary"));
    // The file stays open in this process, as the dashboard's server holds it.
    const code = await cliContext.run({ remote: true, env: {}, stdout: (t) => out.push(t), stderr: (t) => out.push(t) }, () => main(["version", "--db", current], { keepOpen: true }));
    expect(code).toBe(0);
    expect(out.join("")).toContain(`${current}: schema version ${SCHEMA_VERSION} (current`);
    // The file is still locked against other processes: a second instance opened and closed
    // here had let go of the lock (a POSIX record lock is the process's), and the next CLI
    // command then opened the file beside the server (trial 34: a checkpoint failed on stop).
    const other = await cliOn(current)("summary", "--from", "2025-09-01", "--to", "2025-12-31");
    expect(other.code).not.toBe(0);
    expect(other.stderr).toMatch(/open in another Rollcall process|lock/);
    await closeInstance(current);
  });
});
