/**
 * The register as Parquet, for a trust or local authority whose registers outgrow one
 * machine (issue 11, item 7): `exportParquet` writes a school's register in hive layout,
 * partitioned by school (URN) and academic year, and `openLake` points a fresh in-memory
 * DuckDB at such a directory so that the measures' SQL (analytics/measures.ts and everything
 * built on it) runs on the files unchanged.
 *
 * Layout under the output directory, one folder per table:
 *   marks/school=URN/academic_year=2025-26/data_0.parquet       (upn, date, session, code, minutes_late)
 *   mark_store/…, mark_days/…, mark_weeks/…, mark_week_codes/…  (the compact store and its aggregates)
 *   pupils/school=URN/data_0.parquet, pupil_characteristics/…, pupil_ids/…, school_days/…,
 *   calendar_periods/…, closures/…, code_catalogue/…, settings/…
 * `marks` is the register in the words of any reader (UPN, AM/PM, the DfE code); the other
 * tables are Rollcall's own store, which the measures read. Academic years run from 1 August
 * (DfE) and are written "2025-26" ("/" would be a folder in a path). Another school exported
 * to the same directory adds its own `school=` folders beside the first school's; exporting a
 * school again replaces its folders only: written whole into a staging dot-folder of the
 * directory, then renamed into place file by file (exportParquet, putInPlace: what a reader
 * sees meanwhile; analytics/trust.ts reads again when files change under it).
 *
 * Never exported: users and sign-in, the audit trail, interventions and their notes,
 * commentary, drafts — staff records, not the register.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import type { Connection } from "./db.ts";
import { plainTransaction, queryOne } from "./db.ts";
import { ALL_CODES } from "./codes.ts";
import { REGISTER_PUPIL_IDS, assertPeriod } from "./measures.ts";
import { academicYearOf } from "./period-names.ts";

// Which school a file holds is its own subject (analytics/school-urn.ts); the lake names schools by it.
import { URN_PATTERN, recordedUrn } from "./school-urn.ts";
import { sqlString } from "./sql-literal.ts";
import { lakeListing, type LakeListing } from "./lake-listing.ts";
import { connectWithViews, keepConnection } from "./lake-connections.ts";
export { URN_PATTERN, recordedUrn };

interface LakeTable {
  name: string;
  /** The DATE column whose academic year partitions the table, or null for one file per school. */
  yearOf: string | null;
  /** Columns stored as DuckDB ENUMs in the database (Parquet keeps them as text): cast back on reading. */
  enums?: Record<string, "mark_code" | "register_session">;
  /**
   * The columns naming a pupil within the school's own register (its integer pupil id, the
   * UPN): made distinct between schools when several are read as one (openLakeSchools `together`).
   */
  pupilKeys?: ReadonlyArray<"pupil_id" | "upn">;
}

/**
 * The tables a lake holds, in the order they are written. Closed list: table and column names
 * in the SQL below come only from here.
 */
export const LAKE_TABLES: readonly LakeTable[] = [
  { name: "marks", yearOf: "date", enums: { session: "register_session", code: "mark_code" }, pupilKeys: ["upn"] },
  { name: "mark_store", yearOf: "date", enums: { code: "mark_code" }, pupilKeys: ["pupil_id"] },
  { name: "mark_days", yearOf: "date", pupilKeys: ["pupil_id"] },
  { name: "mark_weeks", yearOf: "week", pupilKeys: ["pupil_id"] },
  { name: "mark_week_codes", yearOf: "week", enums: { code: "mark_code" }, pupilKeys: ["pupil_id"] },
  { name: "pupil_ids", yearOf: null, pupilKeys: ["pupil_id", "upn"] },
  { name: "pupils", yearOf: null, pupilKeys: ["upn"] },
  { name: "pupil_characteristics", yearOf: null, pupilKeys: ["upn"] },
  { name: "school_days", yearOf: null },
  { name: "calendar_periods", yearOf: null },
  { name: "closures", yearOf: null },
  { name: "code_catalogue", yearOf: null, enums: { code: "mark_code" } },
  { name: "settings", yearOf: null },
];

/** The academic year (from 1 August) of a DATE column as "2025-26". */
const academicYearSql = (column: string) =>
  `(CASE WHEN month(${column}) >= 8 THEN year(${column}) ELSE year(${column}) - 1 END)::VARCHAR || '-' ||
   lpad(((CASE WHEN month(${column}) >= 8 THEN year(${column}) ELSE year(${column}) - 1 END + 1) % 100)::VARCHAR, 2, '0')`;

export interface ParquetExport {
  /** The output directory, absolute. */
  out: string;
  school: string;
  /** Rows written per table, in LAKE_TABLES order. */
  tables: Array<{ table: string; rows: number }>;
  /** Parquet files written and their total size in bytes. */
  files: number;
  bytes: number;
}

function parquetFilesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith(".parquet")).map((e) => path.join(e.parentPath, e.name));
}

/**
 * An export's staging folder, directly in the lake's root: `.export-URN-PID-XXXXXX` (the
 * exporting process's id, then mkdtemp's random letters). A dot-folder outside every table's
 * folder: no reader lists it (lakeListing reads only the tables' folders by name, lakeSchools
 * the `pupils` folder), and nor does a glob over the layout's tables (`DIR/marks/school=…`).
 * While its files are being put in place, a file of the same name with `.swapping` after it
 * sits beside it (lakeSwapping).
 */
const STAGING = /^\.export-(\d{6})-(\d+)-[A-Za-z0-9]+(\.swapping)?$/;

/** Whether process `pid` of this machine is running (the staging folders of one that is not are stale). */
function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes what an earlier export of `school` into `out` left when its process ended mid-way (a
 * crash, a kill): its staging folder and swap marker. Another process's export still running
 * (the id in the name) keeps its own; this process removes its own staging as it ends (exportParquet).
 */
function removeStaleStaging(out: string, school: string): void {
  for (const name of fs.readdirSync(out)) {
    const staged = STAGING.exec(name);
    if (!staged || staged[1] !== school || processRuns(Number(staged[2]))) continue;
    fs.rmSync(path.join(out, name), { recursive: true, force: true });
  }
}

/**
 * Puts the staged export of `school` (every file under `staging`/<table>/school=URN) in place of
 * its earlier one in `out`, table by table in LAKE_TABLES order: each file renamed over the old
 * file of the same name (rename(2) on one file system: a reader opening the path gets the old
 * whole file or the new whole file, never a missing or half-written one; one that has the old
 * file open reads it to its end), then the old export's files the new one has not (a year no
 * longer marked, a second file of a partition) removed, and folders left empty removed.
 *
 * What a reader may see: per file, the old or the new export; for an instant between two
 * renames, a table whose years come from two exports, or tables from two exports (the old
 * pupils beside the new weeks). A marker (`<staging>.swapping`, lakeSwapping) stands in the
 * lake's root from before the first rename to after the last, so a reader that must see one
 * export whole (analytics/trust.ts) waits and reads again when it met one, or when the state of
 * the school's files changed while it read (lakeSchoolStates). A rename that fails midway
 * (the disk gone) leaves the tables before it new and the rest old, and the marker (older than
 * SWAP_SETTLED_MS, readers stop waiting for it): the next export puts all of them in place.
 */
function putInPlace(out: string, staging: string, school: string): void {
  const marker = `${staging}.swapping`;
  fs.writeFileSync(marker, "");
  for (const table of LAKE_TABLES) {
    const from = path.join(staging, table.name, `school=${school}`);
    const to = path.join(out, table.name, `school=${school}`);
    const fresh = new Set(parquetFilesUnder(from).map((file) => path.relative(from, file)));
    for (const file of fresh) {
      fs.mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
      fs.renameSync(path.join(from, file), path.join(to, file));
    }
    // The earlier export's files that this one did not write again, any kind, then empty folders (deepest first).
    const left = fs.readdirSync(to, { recursive: true, withFileTypes: true });
    for (const e of left) if (!e.isDirectory() && !fresh.has(path.relative(to, path.join(e.parentPath, e.name)))) fs.rmSync(path.join(e.parentPath, e.name), { force: true });
    const folders = left.filter((e) => e.isDirectory()).map((e) => path.join(e.parentPath, e.name));
    for (const folder of folders.sort((a, b) => b.length - a.length)) if (fs.readdirSync(folder).length === 0) fs.rmdirSync(folder);
  }
  fs.rmSync(marker, { force: true });
}

/**
 * A swap marker younger than this says an export is putting its files in place (they take
 * milliseconds: 13 tables, a few renames each); an older one was left by an export that ended
 * mid-way, and readers no longer wait for it (the next export of that school removes it).
 */
export const SWAP_SETTLED_MS = 30_000;

/**
 * The schools of the lake at `root` whose export is putting its files in place now (a swap
 * marker in the root, putInPlace, younger than SWAP_SETTLED_MS and of a process that runs: one
 * left by an export that died is no swap), from `names`, the root's entries (a listing's
 * `names("")`). Reads the markers' times only; a marker gone meanwhile is no swap.
 */
export function lakeSwapping(root: string, names: readonly string[]): Set<string> {
  const schools = new Set<string>();
  for (const name of names) {
    const staged = STAGING.exec(name);
    if (!staged?.[3] || !processRuns(Number(staged[2]))) continue;
    try {
      if (Date.now() - fs.statSync(path.join(root, name)).mtimeMs < SWAP_SETTLED_MS) schools.add(staged[1]);
    } catch {
      // Removed since the root was read: that swap is over.
    }
  }
  return schools;
}

/**
 * Writes the school's register under `out` (created if missing) as Parquet in hive layout.
 * `school` is the school's URN (six digits), the `school=` partition; a school's earlier
 * export in the same directory is replaced, other schools' folders are left alone.
 * Reads one consistent snapshot (one transaction) and writes it whole into a staging folder of
 * the lake's root (a dot-folder no reader lists: STAGING) before anything of the earlier export
 * is touched, then renames the files into place (putInPlace: what a reader sees meanwhile).
 * A failed write (a COPY that throws, the disk full) leaves the earlier export as it was; the
 * staging folder is removed whether it succeeds or fails, and one left by an export whose
 * process died is removed by the next export of that school. Throws an Error naming the URN when
 * it is not six digits, and DuckDB's or the file system's error when a file cannot be written.
 */
export async function exportParquet(connection: Connection, options: { out: string; school: string }): Promise<ParquetExport> {
  const { school } = options;
  if (!URN_PATTERN.test(school)) throw new Error(`"${school}" is not a URN: a school's unique reference number is six digits`);
  const out = path.resolve(options.out);
  fs.mkdirSync(out, { recursive: true });
  removeStaleStaging(out, school);
  // In the lake's own root, so the files reach their place by rename on one file system.
  const staging = fs.mkdtempSync(path.join(out, `.export-${school}-${process.pid}-`));
  try {
    const tables: ParquetExport["tables"] = [];
    await plainTransaction(connection, async () => {
      for (const table of LAKE_TABLES) {
        const folder = path.join(staging, table.name);
        const partitions = table.yearOf ? "school, academic_year" : "school";
        const year = table.yearOf ? `, ${academicYearSql(table.yearOf)} AS academic_year` : "";
        const count = await queryOne<{ n: number }>(connection, `SELECT count(*)::INTEGER AS n FROM ${table.name}`);
        const rows = Number(count?.n ?? 0);
        // DuckDB prepares a COPY's query (the URN is bound) but not its file name: the path is a
        // quoted literal, and a table name comes only from LAKE_TABLES.
        if (rows > 0) {
          await connection.run(
            `COPY (SELECT *, $school AS school${year} FROM ${table.name})
               TO ${sqlString(folder)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (${partitions}), FILENAME_PATTERN 'data_{i}')`,
            { school },
          );
        } else {
          // A partitioned COPY of no rows writes no file; an empty file keeps the table's columns
          // (no closures this year is still a table the measures read).
          fs.mkdirSync(path.join(folder, `school=${school}`), { recursive: true });
          await connection.run(`COPY (SELECT * FROM ${table.name} LIMIT 0) TO ${sqlString(path.join(folder, `school=${school}`, "data_0.parquet"))} (FORMAT parquet)`);
        }
        tables.push({ table: table.name, rows });
      }
    });
    const files = LAKE_TABLES.flatMap((t) => parquetFilesUnder(path.join(staging, t.name, `school=${school}`)));
    const bytes = files.reduce((sum, file) => sum + fs.statSync(file).size, 0);
    putInPlace(out, staging, school);
    return { out, school, tables, files: files.length, bytes };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
    fs.rmSync(`${staging}.swapping`, { force: true });
  }
}

/** The URNs of the schools whose registers a lake holds (from its `pupils` folders), in order. */
export function lakeSchools(dir: string): string[] {
  return schoolsListed(lakeListing(dir));
}

/** lakeSchools from a listing of the lake. */
function schoolsListed(listing: LakeListing): string[] {
  return listing
    .names("pupils")
    .map((name) => /^school=(\d{6})$/.exec(name)?.[1])
    .filter((urn): urn is string => Boolean(urn && URN_PATTERN.test(urn)))
    .sort();
}

/**
 * The academic years in which any school of the lake has marks ("2025/26", latest first): the
 * `academic_year=` folders of `mark_days` that hold a file (a year is written only where a
 * school has a day marked in it, exportParquet). Empty for an empty or missing lake. Read from
 * the request's listing of the lake (lakeListing).
 */
export function lakeMarkYears(dir: string): string[] {
  const years = new Set<string>();
  for (const [school, files] of lakeListing(dir).tableFiles("mark_days")) {
    if (!/^school=\d{6}$/.test(school)) continue;
    for (const file of files) {
      // The folder directly under the school's: a file in it, or deeper, marks its year.
      const key = /^academic_year=(\d{4})-(\d{2})$/.exec(file.split(path.sep)[0]);
      if (key) years.add(`${key[1]}/${key[2]}`);
    }
  }
  return [...years].sort().reverse();
}

/**
 * One line saying which trust lake is served (ROLLCALL_TRUST_LAKE), for the server's start-up
 * log: the directory, absolute, and the schools found (their URNs, the first 10 named), or that
 * the directory is missing, is not a directory, or holds no school's register. Never throws.
 */
export function describeLake(dir: string): string {
  const root = path.resolve(dir);
  const exportHint = `export a school's register there with \`rollcall export parquet --out ${root}\``;
  if (!fs.existsSync(root)) return `trust lake ${root}: the directory does not exist, so the Trust page shows no school (${exportHint})`;
  if (!fs.statSync(root).isDirectory()) return `trust lake ${root}: not a directory, so the Trust page shows no school`;
  const schools = lakeSchools(root);
  if (schools.length === 0) return `trust lake ${root}: the directory holds no school's register yet, so the Trust page shows no school (${exportHint})`;
  const named = schools.slice(0, 10).join(", ") + (schools.length > 10 ? ` and ${schools.length - 10} more` : "");
  return `trust lake ${root}: ${schools.length} ${schools.length === 1 ? "school" : "schools"} (${named})`;
}

export interface Lake {
  connection: Connection;
  /** Closes the connection, and with it the views the opening made (the lake's database stays: lakeDatabases). */
  close(): void;
}

/**
 * The state of each school's register in a lake: for every school the lake holds (lakeSchools,
 * in URN order), a digest of that school's own Parquet files in `tables` (names of LAKE_TABLES;
 * by default all) — each file's path, size and modification time under the table's
 * `school=URN` folder. A school's export replaces its own folders only, so it changes its own
 * state and no other school's: what was computed from one school's files of those tables can be
 * kept until that school exports again (analytics/trust.ts). Empty for a missing directory.
 * Reads only the file system, through the request's listing of the lake (lakeListing: one walk
 * of each table's folder and one stat of each file a request, however many ask; the roll-up's
 * 6 tables of 40 schools × 3 years are 400 files, ≈ 10 ms); files outside a `school=URN`
 * folder belong to no school and are not read. Options: `listing`, another listing to read
 * (freshLakeListing: the files as they are now, not as the request first listed them), and
 * `only`, the schools to give (of those held; only their files are statted, and nothing is kept).
 * A file removed since it was listed counts with size and time -1. Throws when a table is not
 * one of LAKE_TABLES.
 */
export function lakeSchoolStates(
  dir: string,
  tables: readonly string[] = LAKE_TABLES.map((t) => t.name),
  options: { listing?: LakeListing; only?: readonly string[] } = {},
): Map<string, string> {
  for (const name of tables) if (!LAKE_TABLES.some((t) => t.name === name)) throw new Error(`"${name}" is not a table of the lake`);
  const listing = options.listing ?? lakeListing(dir);
  if (options.only) return statesListed(listing, tables, options.only);
  const key = tables.join("\u0000");
  let kept = statesOfListings.get(listing);
  if (!kept) statesOfListings.set(listing, (kept = new Map()));
  let states = kept.get(key);
  if (!states) kept.set(key, (states = statesListed(listing, tables)));
  return new Map(states);
}

/**
 * The states lakeSchoolStates gave from a listing, by the tables asked: the Trust page's
 * version and its roll-up ask the same of the request's one listing (40 schools: ≈ 1 ms of
 * CPU each, the files' lines sorted and hashed). A listing outside a request's is new each call.
 */
const statesOfListings = new WeakMap<LakeListing, Map<string, Map<string, string>>>();

/** lakeSchoolStates of `tables` (checked) from a listing of the lake, of the schools held (those of `only` alone, given it). */
function statesListed(listing: LakeListing, tables: readonly string[], only?: readonly string[]): Map<string, string> {
  const held = schoolsListed(listing).filter((urn) => !only || only.includes(urn));
  const lines = new Map<string, string[]>(held.map((urn) => [urn, []]));
  for (const table of tables) {
    for (const [folder, files] of listing.tableFiles(table)) {
      // <table>/school=URN/…: the school is the folder under the table's.
      const urn = /^school=(\d{6})$/.exec(folder)?.[1];
      const own = urn === undefined ? undefined : lines.get(urn);
      if (!own) continue;
      for (const file of files) {
        const { size, mtimeNs } = listing.stat(listing.pathOf(table, folder, file));
        // The path relative to the lake's root, as the state has always named a file.
        own.push(`${table}${path.sep}${folder}${path.sep}${file}\u0000${size}\u0000${mtimeNs}`);
      }
    }
  }
  return new Map(held.map((urn) => [urn, crypto.createHash("sha256").update(lines.get(urn)!.sort().join("\n")).digest("hex")]));
}

/** Schools of one lake opened together (openLakeSchools). */
export interface LakeSchools {
  /**
   * A connection on which the measures run unchanged over `school`'s register (its tables
   * the connection's temporary views; another each call), the opening's until its `close()`
   * (never closed by the caller: it may be kept for another opening). Throws for a school not opened.
   */
  connect(school: string): Promise<Connection>;
  /**
   * A connection on which SQL runs over the schools opened `together`, read as one register
   * (see openLakeSchools; another each call), the opening's until its `close()`. Throws when none were.
   */
  connectTogether(): Promise<Connection>;
  /**
   * Ends the opening: its connections are kept, views and all, for the next opening of the
   * same views (analytics/lake-connections.ts) — or, `failed` (work on them failed: a view
   * whose files changed their columns no longer binds), closed, and so their views dropped.
   */
  close(failed?: boolean): void;
}

/**
 * The academic years ("2025-26", as the lake's folders name them) that the dates `from`–`to`
 * (ISO, inclusive) touch, in order. Throws when a date is not YYYY-MM-DD or `from` is after `to`.
 */
export function lakeYears(period: { from: string; to: string }): string[] {
  assertPeriod(period);
  const start = (date: string) => Number(academicYearOf(date).slice(0, 4));
  const years: string[] = [];
  for (let year = start(period.from); year <= start(period.to); year++) years.push(`${year}-${String((year + 1) % 100).padStart(2, "0")}`);
  return years;
}

/**
 * Where a view over `table` of `schools` reads from: read_parquet over the schools' files —
 * every file under each school's folder, or, given `years`, only those academic years'
 * folders of a table partitioned by year (the other tables are read whole) — and whether
 * those files sit in `academic_year=` folders. A table of no rows is one file with no year
 * folder (exportParquet); when no school has a file of the years asked, the view reads one
 * file of the table for its columns and no row (`none`). Reads the file system only, the files
 * from the request's listing of the lake (lakeListing).
 */
function tableSource(listing: LakeListing, table: LakeTable, schools: readonly string[], years: readonly string[] | undefined): { source: string; byYear: boolean; none: boolean } {
  const read = (files: string) => `read_parquet(${files}, hive_partitioning = true, hive_types_autocast = false, union_by_name = true)`;
  const folders = schools.map((school) => path.join(listing.root, table.name, `school=${school}`));
  // Every Parquet file under a school's folder of the table (`folder`, one of `folders`), or
  // under its folder of one academic year ("academic_year=2025-26"), absolute paths.
  const filesIn = (folder: string, year?: string) => {
    const under = path.basename(folder);
    const files = listing.tableFiles(table.name).get(under) ?? [];
    return (year === undefined ? files : files.filter((file) => file.startsWith(year + path.sep))).map((file) => listing.pathOf(table.name, under, file));
  };
  // From the listing too (its names: [] for a missing folder), not a second read of the folder.
  const byYearIn = (folder: string) => listing.names(path.relative(listing.root, folder)).some((name) => name.startsWith("academic_year="));
  if (years === undefined || table.yearOf === null) {
    if (folders.length === 1) return { source: read(sqlString(path.join(folders[0], "**", "*.parquet"))), byYear: table.yearOf !== null && byYearIn(folders[0]), none: false };
    // Several schools at once: only those whose table has rows (year folders) beside each
    // other, so that every file read has the same partition folders.
    const files = table.yearOf === null ? folders.flatMap((folder) => filesIn(folder)) : folders.filter(byYearIn).flatMap((folder) => filesIn(folder));
    if (files.length > 0) return { source: read(`[${files.map(sqlString).join(", ")}]`), byYear: table.yearOf !== null, none: false };
  } else {
    const files = folders.flatMap((folder) => years.flatMap((year) => filesIn(folder, `academic_year=${year}`)));
    if (files.length > 0) return { source: read(`[${files.map(sqlString).join(", ")}]`), byYear: true, none: false };
  }
  const any = folders.flatMap((folder) => filesIn(folder))[0];
  // Every school's table folder missing: DuckDB's own error names the path, as for one school.
  if (any === undefined) return { source: read(sqlString(path.join(folders[0], "**", "*.parquet"))), byYear: false, none: false };
  return { source: read(`[${sqlString(any)}]`), byYear: any.includes(`${path.sep}academic_year=`), none: true };
}

/** The REPLACE items reading a table's ENUM columns (text in Parquet) back as the database's ENUMs. */
const enumCasts = (table: LakeTable) => Object.entries(table.enums ?? {}).map(([column, type]) => `${column}::main.${type} AS ${column}`);

/** Checks what openLakeSchools is asked for (it throws as that says); the lake's root, absolute. */
function checkOpening(dir: string, schools: readonly string[], held: readonly string[], tables: readonly string[]): string {
  const root = path.resolve(dir);
  for (const name of tables) if (!LAKE_TABLES.some((t) => t.name === name)) throw new Error(`"${name}" is not a table of the lake`);
  for (const school of schools) {
    if (!URN_PATTERN.test(school)) throw new Error(`"${school}" is not a URN: a school's unique reference number is six digits`);
    if (!held.includes(school)) throw new Error(`${root} holds no register for school ${school}${held.length ? ` (it holds ${held.join(", ")})` : ""}`);
  }
  return root;
}

/**
 * The in-memory DuckDBs the openings of a lake work in (openLakeSchools), each created on first
 * use and kept for the process: the lake's ENUM types in `main`, and DuckDB's caches of Parquet
 * footers and file data kept from one opening to the next. A database made and closed for
 * each opening had cost more than a school's count (trust29: ≈ 20 ms of CPU to make, ≈ 30 ms
 * to close, of ≈ 165 ms for one school's row counted afresh). What DuckDB keeps of a file
 * it uses again only while the file's modification time is the same and more than 10 seconds
 * old, so a school's export (new files, new times) is read afresh. An opening's views are
 * temporary views of its own connections: openings at the same time never see each other's,
 * and a connection is kept with its views for a later opening of the same views, or closed
 * and its views dropped (analytics/lake-connections.ts); no table is ever made in the database.
 * Two of them, by the size of the work (WIDE_OPENING): a narrow one running each query on one
 * thread, for an opening of a few schools — a school's year is ≈ 40,000 rows of weeks, and a
 * second thread's coordination cost more CPU than it saved (trust29, load 10–14: one school's
 * row afresh 78 → 49 ms of CPU, ten schools' 239 → 172 ms) — and a wide one on every core,
 * for many schools read together (forty schools' rows: the same CPU either way, ≈ 0.8 s, which
 * two threads finish sooner when the machine has a core free).
 */
const lakeDatabases = new Map<"narrow" | "wide", Promise<DuckDBInstance>>();

/** From this many schools read together an opening works in the wide database (see lakeDatabases). */
const WIDE_OPENING = 20;

/** The lake's database of that width (see lakeDatabases); one that failed to open is tried again by the next caller. */
function lakeInstance(width: "narrow" | "wide"): Promise<DuckDBInstance> {
  const made = lakeDatabases.get(width);
  if (made) return made;
  const opening = (async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const first = await instance.connect();
    try {
      // Footers read once, not per query, while the files stay as they are (see above). GLOBAL:
      // the parquet extension's option defaults to the session's scope, so a plain SET had set
      // it only on this connection, closed below — no connection counting a school had it
      // (trust45: 40 schools afresh, load 5, planning CPU 79 → 55 ms, the count 334 → 318).
      await first.run("SET GLOBAL parquet_metadata_cache = true");
      if (width === "narrow") await first.run("SET threads = 1");
      await first.run(`CREATE TYPE mark_code AS ENUM (${ALL_CODES.map(sqlString).join(", ")})`);
      await first.run(`CREATE TYPE register_session AS ENUM ('AM', 'PM')`);
    } catch (error) {
      first.closeSync();
      instance.closeSync();
      throw error;
    }
    first.closeSync();
    return instance;
  })();
  lakeDatabases.set(width, opening);
  opening.catch(() => {
    if (lakeDatabases.get(width) === opening) lakeDatabases.delete(width);
  });
  return opening;
}

/**
 * The statements making `table`'s view over `schools`' files (tableSource) as a temporary view
 * of that name. One school: the database's own columns (the partition columns dropped). Several
 * read as one (`together`): a `school` column beside them and each pupil named apart from every
 * other school's (see openLakeSchools). A view cannot be prepared: the path is a quoted literal
 * and every URN was checked (checkOpening).
 */
function viewSql(listing: LakeListing, table: LakeTable, schools: readonly string[], years: readonly string[] | undefined, together: boolean): string {
  const { source, byYear, none } = tableSource(listing, table, schools, years);
  const keys: Record<"pupil_id" | "upn", string> = {
    pupil_id: `school::BIGINT * ${REGISTER_PUPIL_IDS} + pupil_id`,
    upn: `school || ':' || upn`,
  };
  const casts = [...enumCasts(table), ...(together ? (table.pupilKeys ?? []).map((key) => `${keys[key]} AS ${key}`) : [])];
  const replace = casts.length ? ` REPLACE (${casts.join(", ")})` : "";
  // An empty table is one file with no academic_year folder (exportParquet), so the folders
  // say which partition columns the files carry, without reading a footer to find out.
  const dropped = [...(together ? [] : ["school"]), ...(byYear ? ["academic_year"] : [])];
  const exclude = dropped.length ? ` EXCLUDE (${dropped.join(", ")})` : "";
  return `CREATE TEMP VIEW ${table.name} AS SELECT *${exclude}${replace} FROM ${source}${none ? " WHERE false" : ""}`;
}

/**
 * Several schools of a lake opened in one of the lake's in-memory DuckDBs (lakeDatabases), as openLake
 * opens one: each school's tables are views over its Parquet files on a connection of its own
 * (temporary views, kept with the connection for the next opening of the same views while
 * the lake's files are the same list: analytics/lake-connections.ts), the ENUM types in `main`, Parquet footers
 * read once while the files stay as they are (DuckDB's metadata cache). `tables`: the views
 * to make (names of LAKE_TABLES; by default all), for work that reads only some of them (each
 * view costs a look at its files); a query naming another table fails with DuckDB's error.
 * Options:
 * - `years` (academic years, "2025-26": lakeYears), for work over one period: the tables
 *   partitioned by year read only those years' files (a measure of that period reads no other:
 *   every day and whole week it counts lies inside it), so the other years' files are not looked at.
 * - `together`: schools (of the lake) read as one register besides, on `connectTogether()`:
 *   each table one view over all their files (of `tables` and `years`) with a `school` column
 *   (the URN) beside the database's own, and each pupil named apart from every other school's:
 *   a pupil id becomes URN × REGISTER_PUPIL_IDS + the school's own id (analytics/measures.ts
 *   summariseEachRegister reads the school back from it) and a UPN "URN:UPN" (a pupil who moved
 *   between two of the schools is two pupils, one in each register). So a measure's SQL that
 *   joins only on pupils counts every school at once, in one query grouped by school; one that
 *   joins on dates (the school's calendar, codes) would mix the schools' and must not run
 *   there. For a trust's schools counted afresh (analytics/trust.ts): one query for all of
 *   them, not one each.
 * The views are made while opening (so a lake DuckDB cannot read fails here; a kept view
 * over the same files fails at its query instead), each on the connection its first connect() returns. Read-only: nothing is copied. Throws when a URN is
 * malformed, the lake holds no such school (naming those it holds) or a table is not one of LAKE_TABLES.
 */
export async function openLakeSchools(
  dir: string,
  schools: readonly string[],
  held: readonly string[] = lakeSchools(dir),
  tables: readonly string[] = LAKE_TABLES.map((t) => t.name),
  options: { years?: readonly string[]; together?: readonly string[] } = {},
): Promise<LakeSchools> {
  const { years, together = [] } = options;
  const root = checkOpening(dir, [...schools, ...together], held, tables);
  const chosen = LAKE_TABLES.filter((t) => tables.includes(t.name));
  // Each connection's views, keyed by school ("" for the schools read together).
  const listing = lakeListing(root);
  const views = new Map(schools.map((school) => [school, chosen.map((table) => viewSql(listing, table, [school], years, false))]));
  if (together.length > 0) views.set("", chosen.map((table) => viewSql(listing, table, together, years, true)));
  const instance = await lakeInstance(together.length >= WIDE_OPENING ? "wide" : "narrow");
  // Each connection handed out and the views made on it: kept for the next opening of the same
  // views when this one closes (analytics/lake-connections.ts), or closed when work on it failed.
  const connections: Array<{ connection: Connection; statements: readonly string[] }> = [];
  const close = (failed = false) => {
    for (const { connection, statements } of connections.splice(0)) {
      if (failed) connection.closeSync();
      else keepConnection(instance, statements, connection);
    }
  };
  const connectWith = async (statements: readonly string[]) => {
    const { connection } = await connectWithViews(instance, statements);
    connections.push({ connection, statements });
    return connection;
  };
  const ready = new Map<string, Connection>();
  // Every connection's views made at once; all settled before a failure closes them.
  const made = await Promise.allSettled([...views].map(async ([key, statements]) => ready.set(key, await connectWith(statements))));
  const failed = made.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) {
    close(true);
    throw failed.reason;
  }
  const take = (key: string) => {
    const connection = ready.get(key);
    ready.delete(key);
    return connection ? Promise.resolve(connection) : connectWith(views.get(key)!);
  };
  return {
    async connect(school: string) {
      if (!schools.includes(school)) throw new Error(`school ${school} was not opened`);
      return take(school);
    },
    async connectTogether() {
      if (together.length === 0) throw new Error("no schools were opened together");
      return take("");
    },
    close,
  };
}

/**
 * One school's register in a lake, as a connection on which the measures run unchanged: a
 * connection to the lake's in-memory DuckDB whose tables are views over the Parquet files of
 * `school` (the mark code and session read back as the database's ENUMs; openLakeSchools with one school).
 * Read-only: nothing is copied.
 * `held`: the lake's schools when the caller has just listed them (lakeSchools), so the folder
 * is not listed again. Throws when the lake holds no such school (naming those it holds) or
 * the URN is malformed.
 * (For object storage, the same views over `s3://…` with DuckDB's httpfs: see README.)
 */
export async function openLake(dir: string, school: string, held: readonly string[] = lakeSchools(dir)): Promise<Lake> {
  const lake = await openLakeSchools(dir, [school], held);
  try {
    return { connection: await lake.connect(school), close: () => lake.close() };
  } catch (error) {
    lake.close();
    throw error;
  }
}
