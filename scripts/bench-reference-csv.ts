/**
 * The import goal's reference (issue 11: "marks per second at least 45 % of DuckDB's own
 * read_csv of the same file into a table"), one definition for every bench script that
 * reports a ratio to it (bench-import-ratio.ts, bench-readers.ts, bench-import-large.ts).
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { msSince } from "./bench-time.ts";

/**
 * DuckDB's own read of the CSV at `file` into a table, every column as text, header on line
 * 1, in a fresh in-memory database: `ms` the time of that one statement (milliseconds), `rows`
 * the rows it read. The path is a bound parameter. Throws DuckDB's error for a file it cannot read.
 */
export async function readCsvIntoTable(file: string): Promise<{ ms: number; rows: number }> {
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  try {
    const start = process.hrtime.bigint();
    await conn.run("CREATE TABLE bench_long AS SELECT * FROM read_csv($file, all_varchar = true, header = true)", { file });
    const ms = msSince(start);
    const reader = await conn.runAndReadAll("SELECT count(*)::INTEGER AS n FROM bench_long");
    return { ms, rows: Number(reader.getRowObjects()[0].n) };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
