/**
 * Getting figures into the store: the shipped dataset (data/benchmarks/, loaded on first
 * use, idempotently) and a school's own import of a DfE open-data file (one transaction,
 * refused as a whole with file:line:column, a repeat changes nothing).
 */
import { plural } from "../plural.ts";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Connection } from "../db.ts";
import { generationKey, inTransaction, queryOne } from "../db.ts";
import { parseNationalCsv } from "./national-csv.ts";
import { parseOpenDataCsv, type OpenDataOptions } from "./open-data.ts";
import { DAILY_PUBLICATION, ensureBenchmarkTables, insertFigures, removeDuplicateFigures } from "./store.ts";

export const NATIONAL_FILE = "national.csv";
export const OPEN_DATA_FILE = "dfe-attendance-ytd-2024-25.csv";

/**
 * How the shipped open-data file is labelled (SOURCES.md): the year-to-date file behind the
 * DfE's attendance dashboard at commit f9c6744, covering 9 September 2024 to 25 July 2025.
 */
export const SHIPPED_OPEN_DATA_OPTIONS: OpenDataOptions = {
  publication: DAILY_PUBLICATION,
  periodEnd: "2025-07-25",
  release: "dashboard data, commit f9c6744",
  sourceUrl:
    "https://github.com/dfe-analytical-services/attendance-data-dashboard/blob/f9c6744c7df0a666b2e1975c47bc1aa8293deb4e/data/EES_ytd_data.csv",
};

/**
 * data/benchmarks/ wherever the code runs from: the source tree (CLI, tests) or the built
 * app (build/index.js), or ROLLCALL_BENCHMARKS_DIR.
 */
export function benchmarksDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [
    process.env.ROLLCALL_BENCHMARKS_DIR,
    path.resolve(here, "../../data/benchmarks"),
    path.resolve(here, "../data/benchmarks"),
    path.resolve(process.cwd(), "data/benchmarks"),
  ].filter((dir): dir is string => Boolean(dir));
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, NATIONAL_FILE)));
  if (!found) throw new Error(`the shipped benchmarks were not found (looked in ${candidates.join(", ")})`);
  return found;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
/** The shipped files' sha256, computed once per process (the files are read once too). */
let shippedVersion: string | undefined;

/** Connections (units of work) that have already checked; weak, so they are not kept alive. */
const ensured = new WeakSet<Connection>();

/**
 * Files and generations (analytics/db.ts generationKey) already checked: with the web server's
 * result cache on, each request's new connection need not repeat the check until a commit.
 */
const ensuredGenerations = new Set<string>();

/** The shipped files' text, read once per process. */
const loadedFiles = new Map<string, string>();

/**
 * Creates the benchmark tables if needed and loads the shipped files unless this exact
 * version of them is already in. Cheap after the first call: one indexed lookup.
 */
export async function ensureShippedBenchmarks(connection: Connection): Promise<void> {
  // findBenchmark calls this for every figure; one check per connection is enough.
  if (ensured.has(connection)) return;
  const before = generationKey(connection);
  if (before && ensuredGenerations.has(before)) return;
  await ensureBenchmarkTables(connection);
  const dir = benchmarksDir();
  const read = (name: string) => {
    const file = path.join(dir, name);
    const cached = loadedFiles.get(file);
    if (cached !== undefined) return cached;
    const text = fs.readFileSync(file, "utf8");
    loadedFiles.set(file, text);
    return text;
  };
  const national = read(NATIONAL_FILE);
  const openData = read(OPEN_DATA_FILE);
  const version = shippedVersion ?? (shippedVersion = sha256(national + "\u0000" + openData));
  const done = await queryOne(connection, `SELECT 1 AS done FROM benchmark_imports WHERE import_id = 0 AND sha256 = $version`, { version });
  // Files made before figures were identified by what they are may hold copies (case 5).
  const cleaned = await queryOne(connection, `SELECT 1 AS done FROM benchmark_imports WHERE import_id = -1`);
  if (!cleaned) {
    await inTransaction(connection, async () => {
      const removed = await removeDuplicateFigures(connection);
      await connection.run(
        `INSERT INTO benchmark_imports VALUES (-1, 'duplicate figures removed', '', 0, $removed, now()::TIMESTAMP, 'Rollcall', 'maintenance')`,
        { removed },
      );
    });
  }
  if (!done) {
    await inTransaction(connection, async () => {
      const figures = [...parseNationalCsv(national, NATIONAL_FILE), ...parseOpenDataCsv(openData, OPEN_DATA_FILE, SHIPPED_OPEN_DATA_OPTIONS).figures];
      const inserted = await insertFigures(connection, figures, "shipped");
      // Import 0 is the shipped dataset; its sha256 records which version is loaded.
      await connection.run(`DELETE FROM benchmark_imports WHERE import_id = 0`);
      await connection.run(
        `INSERT INTO benchmark_imports VALUES (0, 'data/benchmarks', $version, $rows, $inserted, now()::TIMESTAMP, 'Rollcall', 'shipped dataset')`,
        { version, rows: figures.length, inserted },
      );
    });
  }
  ensured.add(connection);
  // Keyed after the loads above, whose commits moved the generation on.
  const after = generationKey(connection);
  if (after) {
    if (ensuredGenerations.size > 100) ensuredGenerations.clear();
    ensuredGenerations.add(after);
  }
}

export interface BenchmarkImportSummary {
  file: string;
  rowsRead: number;
  rowsSkipped: number;
  figuresRead: number;
  notPublished: number;
  inserted: number;
  unchanged: number;
  /** Null when nothing changed: then no import is recorded either. */
  importId: number | null;
}

/**
 * What a benchmark import read and stored, in words (the Benchmarks page and the CLI say the
 * same): "good.csv: 1 row read (0 for other phases or periods), 1 figure (1 not published): 1
 * new, 0 already stored." Each noun singular for 1 (analytics/plural.ts); `n` writes a count
 * (the page's with thousands separators, the CLI's as digits).
 */
export function benchmarkImportWords(summary: BenchmarkImportSummary, n: (value: number) => string = String): string {
  return `${summary.file}: ${n(summary.rowsRead)} ${plural(summary.rowsRead, "row")} read (${n(summary.rowsSkipped)} for other phases or periods), ${n(summary.figuresRead)} ${plural(summary.figuresRead, "figure")} (${n(summary.notPublished)} not published): ${n(summary.inserted)} new, ${n(summary.unchanged)} already stored.`;
}

/** Imports a DfE open-data CSV: all or nothing, and a repeat changes nothing. */
export async function importBenchmarkFile(
  connection: Connection,
  input: { file: string; text: string; by: { name: string; role: string }; options?: OpenDataOptions },
): Promise<BenchmarkImportSummary> {
  // Parse (and so refuse) before anything is written: a refused file on a new database must
  // not load the shipped figures or record an import either. Refused means unchanged.
  const parsed = parseOpenDataCsv(input.text, input.file, {
    sourceUrl: `uploaded file ${input.file}`,
    release: `imported file ${input.file}`,
    ...input.options,
  });
  await ensureShippedBenchmarks(connection);
  return inTransaction(connection, async () => {
    // One more than the last file recorded (ids 0 and −1 are the shipped dataset's rows), not
    // the sequence: DuckDB's sequences are not rolled back, so a file that added nothing (not
    // recorded) used up a number and the next one recorded left a gap (analytics/import/values.ts
    // nextImportId says the same of the register's imports).
    const next = await queryOne<{ id: number }>(connection, "SELECT (coalesce(max(import_id), 0) + 1)::INTEGER AS id FROM benchmark_imports WHERE import_id > 0");
    const importId = next!.id;
    const inserted = await insertFigures(connection, parsed.figures, `import ${importId}`);
    if (inserted > 0) {
      await connection.run(
        `INSERT INTO benchmark_imports VALUES ($id, $file, $sha, $rows, $inserted, now()::TIMESTAMP, $by, $role)`,
        { id: importId, file: input.file, sha: sha256(input.text), rows: parsed.rowsRead, inserted, by: input.by.name, role: input.by.role },
      );
    }
    return {
      file: input.file,
      rowsRead: parsed.rowsRead,
      rowsSkipped: parsed.rowsSkipped,
      figuresRead: parsed.figures.length,
      notPublished: parsed.notPublished,
      inserted,
      unchanged: parsed.figures.length - inserted,
      importId: inserted > 0 ? importId : null,
    };
  });
}
