/** rollcall demo [--db FILE] [--today YYYY-MM-DD[THH:MM]] [--seed N] [--pupils N] [--years Y] [--schools S] [--files DIR] */
import fs from "node:fs";
import path from "node:path";
import { AUDIT_APPLIED_TABLE, journalPath } from "../../audit-journal.ts";
import { closeInstance, fileKey, queryOne, queryRows, resolveDbPath, withConnection, type Connection } from "../../db.ts";
import { ForeignDatabaseError, schemaTableNames } from "../../schema.ts";
import { buildDemo, DEFAULT_DEMO_SEED, generateDemoSchool, MAX_DEMO_PUPILS, MAX_DEMO_YEARS } from "../../demo/index.ts";
import { currentDate, currentMoment } from "../../periods.ts";
import { DEFAULT_REGISTER_CLOSES, lastDueSession, momentOf, type DueSession } from "../../register-due.ts";
import { noSchoolDayReasons } from "../../no-school-day.ts";
import { DEMO_URN } from "../../school-urn.ts";
import { lastMarkedDay } from "../../unmarked-days.ts";
import { generatePassword } from "../../users/password.ts";
import { createDemoAccounts, isDemoDatabase } from "../../users/store.ts";
import { DB_OPTION, UsageError, parseOptions, requireDate } from "../args.ts";
import { cliCaller, cliEnv, cliOut } from "../context.ts";

export const MAX_DEMO_SCHOOLS = 100;

export const usage = `rollcall demo [--db FILE] [--today YYYY-MM-DD[THH:MM]] [--seed N] [--pupils N] [--years Y] [--schools S] [--replace] [--files DIR]
  Builds the demo junior school (replacing the database file): the last two full academic
  years and the current one up to --today (default: now, or ROLLCALL_TODAY), and one demo
  account per role with a generated password, printed once. Today's sessions are written
  only once their registers have closed (09:30 and 13:35, the demo school's settings) when
  the day is given with a time (YYYY-MM-DDTHH:MM) or taken from the clock; a date alone
  gives that whole day's marks.
  For benchmarks at scale: --pupils N (about N on roll, default ≈ 240), --years Y (the last
  Y academic years, default 3), --schools S (S schools, seeds N, N+1 …). A database holds
  one school, so S > 1 writes S files beside --db: NAME-school-1.duckdb … NAME-school-S.duckdb.
  The demo school records URN ${DEMO_URN} (made up: real URNs start with 1 or 4), so
  \`rollcall export parquet\` needs no --school; with --schools S, ${Number(DEMO_URN) + 1} … ${DEMO_URN} + S.
  It refuses a file the running dashboard has open (stop the server first), and a file
  that holds a school's own register rather than the demo unless --replace is given (a file
  holding nothing but Rollcall's empty tables, as a build stopped part-way leaves it, is replaced).
  --files DIR writes the demo school's register files instead of a database (calendar.csv,
  pupils-YYYY-MM-DD.csv for each year, marks-YYYY-YY.csv for each year), to try
  \`rollcall import\` or the Import page on files in the formats a school's own come in.`;

/** A whole number option within [min, max], or undefined when not given. */
function wholeNumber(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max} (got "${value}")`);
  return n;
}

/**
 * The demo's day and the last of its sessions to write, from `--today`, else ROLLCALL_TODAY as
 * the caller has it, else the clock (London). With a time (YYYY-MM-DDTHH:MM, or the clock) only
 * the sessions whose registers have closed by then (lastDueSession, the default closing times
 * the demo school keeps); a date alone: the whole day (`through` undefined), as the tests' and the
 * bench's fixed registers are built. Throws UsageError for a --today in neither form.
 */
export function demoDay(given: string | undefined): { today: string; through?: DueSession } {
  const fixed = given ?? cliEnv("ROLLCALL_TODAY");
  if (given !== undefined && !/^\d{4}-\d{2}-\d{2}(T([01]\d|2[0-3]):[0-5]\d)?$/.test(given)) {
    throw new UsageError(`--today must be a date as YYYY-MM-DD, or a date and time as YYYY-MM-DDTHH:MM (got "${given.slice(0, 40)}")`);
  }
  const today = given === undefined ? currentDate() : requireDate(given.slice(0, 10), "--today");
  if (fixed !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(fixed.trim())) return { today };
  return { today, through: lastDueSession(given === undefined ? currentMoment() : momentOf(given), DEFAULT_REGISTER_CLOSES) };
}

/**
 * What the demo holds of `today`, after "to {today}": "" when all of it; its morning only, or
 * none of it, when `through` (the registers closed by the build's time) stops inside it; and
 * when `today` is no school day of the demo's calendar (`noSchool`: noSchoolDayReasons, e.g.
 * "a weekend"), that and the last day marked (`lastMarked`, ISO): on a Saturday the demo had
 * said none of that day's sessions had closed, as if the school were open (trial 33).
 */
export function throughWords(today: string, through: DueSession | undefined, noSchool: readonly string[], lastMarked: string | undefined): string {
  if (noSchool.length > 0) return `, not a school day (${noSchool.join(", ")}): marks to ${lastMarked ?? "none"}`;
  if (!through || through.date > today || (through.date === today && through.pm)) return "";
  return through.date === today ? ", its morning only (the afternoon register has not closed)" : ", none of its sessions (their registers have not closed)";
}

/** The database file of school `k` of `schools` (the file itself when there is one school). */
export function schoolDbPath(file: string, k: number, schools: number): string {
  if (schools === 1) return file;
  const base = file.endsWith(".duckdb") ? file.slice(0, -".duckdb".length) : file;
  return `${base}-school-${k}.duckdb`;
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseOptions(argv, {
    ...DB_OPTION,
    today: { type: "string" },
    seed: { type: "string" },
    pupils: { type: "string" },
    years: { type: "string" },
    schools: { type: "string" },
    files: { type: "string" },
    replace: { type: "boolean" },
  });
  const { today, through } = demoDay(values.today);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError(`--seed must be a whole number (got "${values.seed}")`);
  const pupils = wholeNumber(values.pupils, "--pupils", 40, MAX_DEMO_PUPILS);
  const years = wholeNumber(values.years, "--years", 1, MAX_DEMO_YEARS);
  const schools = wholeNumber(values.schools, "--schools", 1, MAX_DEMO_SCHOOLS) ?? 1;
  if (values.files !== undefined) {
    if (schools !== 1 || values.db !== undefined) throw new UsageError("--files writes one school's register files: give it without --db and --schools");
    return writeFiles(values.files, generateDemoSchool({ today, through, seed, pupils, years }));
  }
  const file = resolveDbPath(values.db);
  // Every file is checked before any is replaced: a refusal leaves all of them as they were.
  for (let k = 1; k <= schools; k++) await mayReplace(schoolDbPath(file, k, schools), values.replace === true);
  for (let k = 1; k <= schools; k++) {
    const target = schoolDbPath(file, k, schools);
    const schoolSeed = schools === 1 ? seed : (seed ?? DEFAULT_DEMO_SEED) + (k - 1);
    const schoolName = schools === 1 ? undefined : `Demo Junior School ${k} of ${schools}`;
    const urn = schools === 1 ? DEMO_URN : String(Number(DEMO_URN) + k);
    const result = await buildDemo(target, { today, through, seed: schoolSeed, pupils, years, schoolName, urn });
    const { noSchool, lastMarked, accounts } = await withConnection(target, async (c) => ({
      noSchool: await noSchoolDayReasons(c, today, today),
      lastMarked: (await lastMarkedDay(c))?.date,
      accounts: await createDemoAccounts(c, generatePassword),
    }));
    cliOut(`Demo school written to ${target}: ${result.pupils} pupils, ${result.marks} marks, to ${today}${throughWords(today, through, noSchool, lastMarked)} (${result.seconds.toFixed(1)} s)\n`);
    if (accounts.length > 0) {
      cliOut(`\nDemo accounts (shown only now; \`rollcall users reset-password\` sets a new one):\n`);
      for (const a of accounts) cliOut(`  ${a.role.padEnd(16)} ${a.email.padEnd(40)} ${a.password}\n`);
      cliOut("\n");
    }
  }
  return 0;
}

/**
 * Throws when `rollcall demo` must not replace `target`:
 * - it runs inside the dashboard's server (a CLI that found the file locked relayed it): the
 *   server keeps writing to the file it opened, so a demo written over it would be deleted
 *   under the server and everything done in the dashboard since lost (a fresh-clone trial
 *   lost its imports, amendments and audit trail this way, while stopping still said "saved");
 * - the file holds a school's own register (no demo marker) and `replace` is not given.
 * Opening a file another process holds throws DuckDB's lock error, which the CLI relays to the
 * running server (analytics/cli/index.ts), where the first rule refuses it.
 */
async function mayReplace(target: string, replace: boolean): Promise<void> {
  // Plain errors (exit 1, no usage text): the command was given right; the file is the problem.
  if (cliCaller()?.remote) throw new Error("the database is open in the dashboard's server: stop the server, then run rollcall demo again (it replaces the whole file)");
  if (!fs.existsSync(target)) return;
  // A file holding nothing of anyone's (holdsNothing) is a demo build that was
  // stopped part-way (its one transaction rolled back: a trial's interrupted --schools 3 left
  // school 3 so, and the rerun refused it) or a file just made: nothing is lost replacing it.
  let foreign: ForeignDatabaseError | undefined;
  const [demo, empty] = await withConnection(target, async (c) => [await isDemoDatabase(c), await holdsNothing(c, target)]).catch((error: unknown) => {
    // Another program's database is refused unopened (ensureSchema), nothing added to it; a
    // school's register that lost its schema version is a school's, refused as one below.
    if (!(error instanceof ForeignDatabaseError)) throw error;
    if (!error.rollcallTables) foreign = error;
    return [false, false];
  });
  await closeInstance(target);
  if (foreign && !replace) {
    throw new Error(`${target} is another program's DuckDB database (it holds ${foreign.holds}), not a school's register: rollcall demo would replace the whole file. Give --db another file, or --replace to replace it`);
  }
  if (!demo && !empty && !replace) {
    throw new Error(`${target} holds a school's own register, not the demo school: rollcall demo would replace the whole file. Give --db another file, or --replace to replace it`);
  }
}

/** Tables a file holds rows in before anything of a school's: the schema version (key_values) and the audit journal's position. */
const BOOKKEEPING = new Set(["key_values", AUDIT_APPLIED_TABLE]);

/**
 * Whether the database file `target` (open on `c`) holds nothing of anyone's: only Rollcall's
 * own tables (any other program's table, even empty, is someone's), every one empty but the
 * schema version and the audit journal's position, and no audit journal beside it waiting to
 * be applied. What a demo build stopped part-way leaves (its one transaction rolled back), or a
 * file just made. Review 53: a rule of four tables replaced another program's database, and a
 * file whose only row was in the audit trail, which is never pruned.
 */
async function holdsNothing(c: Connection, target: string): Promise<boolean> {
  const own = new Set([...schemaTableNames(), AUDIT_APPLIED_TABLE]);
  const tables = await queryRows<{ schema: string; name: string; rows: number }>(
    c,
    "SELECT schema_name AS schema, table_name AS name, estimated_size::BIGINT AS rows FROM duckdb_tables() WHERE database_name = current_database() AND NOT temporary",
  );
  if (tables.some((t) => t.schema !== "main" || !own.has(t.name))) return false;
  if (tables.some((t) => !BOOKKEEPING.has(t.name) && Number(t.rows) > 0)) return false;
  const keys = await queryOne<{ n: number }>(c, "SELECT count(*)::INTEGER AS n FROM key_values WHERE NOT (scope = 'meta' AND key = 'schema_version')");
  if ((keys?.n ?? 1) > 0) return false;
  const journal = journalPath(fileKey(target));
  return !fs.existsSync(journal) || fs.statSync(journal).size === 0;
}

/** Writes the demo school's register files into `dir` (created if need be), and says which. */
function writeFiles(dir: string, files: ReturnType<typeof generateDemoSchool>): number {
  fs.mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const write = (name: string, csv: string) => {
    fs.writeFileSync(path.join(dir, name), csv);
    written.push(name);
  };
  write("calendar.csv", files.calendarCsv);
  for (const snapshot of files.pupilSnapshots) write(`pupils-${snapshot.asOf}.csv`, snapshot.csv);
  for (const year of files.marksCsvByYear) write(`marks-${year.academicYear.replace("/", "-")}.csv`, year.csv);
  cliOut(`Demo register files written to ${dir}: ${written.join(", ")}\n`);
  // What to do with them, oldest year first: each year's pupils as they stood at its start, then its marks.
  const lines = files.pupilSnapshots.map((snapshot, i) => {
    const year = files.marksCsvByYear[i];
    const calendar = i === 0 ? ` --calendar ${path.join(dir, "calendar.csv")}` : "";
    const marks = year ? ` --marks ${path.join(dir, `marks-${year.academicYear.replace("/", "-")}.csv`)}` : "";
    return `  npx rollcall import --db school.duckdb${calendar} --pupils ${path.join(dir, `pupils-${snapshot.asOf}.csv`)}${marks} --as-of ${snapshot.asOf}`;
  });
  // Only init makes a database (cli/index.ts): the import lines alone were refused (trial21b).
  cliOut(`To import them into a new database, make it, then import oldest year first:\n  npx rollcall init --school "Demo register files" --db school.duckdb\n${lines.join("\n")}\n`);
  return 0;
}
