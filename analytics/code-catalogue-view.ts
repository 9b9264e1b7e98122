/**
 * `code_catalogue` as a view over the code catalogue itself (schema 6), not a table.
 *
 * The catalogue is the same in every file (written once, from CODE_CATALOGUE, when the file
 * was made), yet as a table it took a block of 32 KiB of a school's file: DuckDB gives every
 * table with rows at least one block of its own, however few the rows (60 here). As a view of
 * constant rows it costs only its definition in the file's metadata. Measured on files built
 * by `rollcall demo` (blocks of 32 KiB, bytes a mark after CHECKPOINT): the demo school 30 →
 * 29 (4.83 → 4.67), a trust school of 1,000 pupils × 3 years 75 → 74 (2.16 → 2.13), 4,500
 * pupils × 1 year 91 → 90 (1.74 → 1.72). Every reader (the joins on code and regime, the
 * lake's export, the tests' reference classifications) reads the same rows and columns (code
 * as mark_code; regime, category and meaning as text), and a join to it is planned with the
 * view's rows as the small side, as the table's were (a join of 1.1M marks: CPU time the same
 * within noise).
 *
 * The view's values are literals: they come only from CODE_CATALOGUE, never from input (as the
 * mark_code ENUM's members do), and a view cannot hold bound parameters.
 */
import { CODE_CATALOGUE } from "./codes.ts";
import { plainTransaction, type Connection } from "./db.ts";
import { sqlString } from "./sql-literal.ts";
import { replaceMeta } from "./key-values.ts";

/** Separates the catalogue's rows (ROW) and a row's fields (FIELD) in the view's one text literal. */
const ROW = "\n";
const FIELD = "\t";

/**
 * The catalogue as one text: a row per CODE_CATALOGUE entry, in its order, its code, regime,
 * category and meaning. One literal, not a VALUES list of 240: DuckDB keeps a view's text and
 * its parsed query in the file's metadata, and the parsed VALUES list (a typed constant each)
 * took ≈ 15 KB, enough to give the demo school's metadata a third block (30 blocks either way);
 * as one literal ≈ 7 KB.
 */
function catalogueText(): string {
  const fields = CODE_CATALOGUE.map((d) => [d.code, d.regime, d.category, d.meaning]);
  if (fields.some((f) => f.some((v) => v.includes(ROW) || v.includes(FIELD)))) throw new Error("internal: a code catalogue entry holds a separator");
  return fields.map((f) => f.join(FIELD)).join(ROW);
}

/** The view's DDL: one row per CODE_CATALOGUE entry, in its order (code mark_code; regime, category, meaning VARCHAR). */
export const CODE_CATALOGUE_VIEW = `CREATE OR REPLACE VIEW code_catalogue AS
     SELECT f[1]::mark_code AS code, f[2] AS regime, f[3] AS category, f[4] AS meaning
     FROM (SELECT string_split(unnest(string_split(${sqlString(catalogueText())}, ${sqlString(ROW)})), ${sqlString(FIELD)}) AS f)`;

/**
 * Brings a file made before schema 6 to it: its `code_catalogue` table dropped and the view
 * made in its place, and its schema version set to `version`, in one transaction (a failure
 * leaves the file as it was). The table's rows are those of CODE_CATALOGUE (written from it when
 * the file was made), so nothing read from it changes. True when it did (the caller checkpoints).
 */
export async function migrateCodeCatalogue(conn: Connection, version: number): Promise<boolean> {
  const found = await conn.runAndReadAll(
    "SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = 'code_catalogue'",
  );
  if (Number(found.getRowObjects()[0].n) === 0) return false;
  await plainTransaction(conn, async () => {
    await conn.run("DROP TABLE code_catalogue");
    await conn.run(CODE_CATALOGUE_VIEW);
    await replaceMeta(conn, "schema_version", String(version));
  });
  return true;
}
