/**
 * The register as Parquet files, for engines beyond this one database (issue 11, item 7):
 * DuckDB's own `COPY … (FORMAT parquet)` writes each table, so the files hold exactly what
 * the database holds, compressed column by column, and any engine that reads Parquet
 * (DuckDB, Spark, pandas, MotherDuck) can run the measures' SQL over them.
 *
 * Files (one per table, overwritten when present):
 * - `marks.parquet`: upn, date, session ('AM'/'PM'), code, minutes_late, import_id — the
 *   `marks` view, so every mark names its pupil by UPN, as everything above the store does;
 * - `pupils.parquet`: the pupils table (UPN, names, date of birth, sex, ethnicity, admission
 *   and leaving dates) and `pupil_characteristics.parquet`: their characteristic spells;
 * - `calendar.parquet`: kind ('half_term' | 'closure'), name (the half term's key, e.g.
 *   `spring-2-2026`, or the closure's reason), start_date, end_date; and
 *   `school_days.parquet`: the school days derived from it (date, academic year, term, half term).
 * Codes and sessions are written as text (not DuckDB ENUMs), so other engines read them as they are.
 */
import fs from "node:fs";
import path from "node:path";
import { queryOne, type Connection } from "./db.ts";

/** The files written, in order, and the query each holds (closed list: no identifier comes from outside). */
export const PARQUET_FILES = [
  {
    name: "marks",
    sql: `SELECT upn, date, session::VARCHAR AS session, code::VARCHAR AS code, minutes_late, import_id FROM marks ORDER BY date, session, upn`,
  },
  { name: "pupils", sql: `SELECT * FROM pupils ORDER BY upn` },
  { name: "pupil_characteristics", sql: `SELECT * FROM pupil_characteristics ORDER BY upn, valid_from` },
  {
    name: "calendar",
    sql: `SELECT 'half_term' AS kind, half_term AS name, start_date, end_date FROM calendar_periods
          UNION ALL SELECT 'closure', reason, date, date FROM closures
          ORDER BY start_date, kind DESC`,
  },
  { name: "school_days", sql: `SELECT * FROM school_days ORDER BY date` },
] as const;

export interface ParquetExport {
  /** Absolute folder written to. */
  dir: string;
  files: { name: string; file: string; rows: number }[];
}

/**
 * Writes the register into `dir` (created when missing) as the Parquet files above.
 * Read-only on the database. Returns each file and the rows it holds (read back from the file).
 * @throws Error when the folder cannot be created or written.
 */
export async function exportParquet(conn: Connection, dir: string): Promise<ParquetExport> {
  const out = path.resolve(dir);
  fs.mkdirSync(out, { recursive: true });
  const files: ParquetExport["files"] = [];
  for (const { name, sql } of PARQUET_FILES) {
    const file = path.join(out, `${name}.parquet`);
    // COPY takes its target as a literal, not a bound parameter: the path is quoted here.
    const target = `'${file.replace(/'/g, "''")}'`;
    await conn.run(`COPY (${sql}) TO ${target} (FORMAT parquet, COMPRESSION zstd)`);
    const row = await queryOne<{ n: number }>(conn, `SELECT count(*)::INTEGER AS n FROM read_parquet(${target})`);
    files.push({ name, file, rows: Number(row?.n ?? 0) });
  }
  return { dir: out, files };
}
