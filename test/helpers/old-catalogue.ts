/**
 * The code catalogue as schemas 1 to 5 kept it: a table of CODE_CATALOGUE's rows. For tests
 * that make a file as an earlier release wrote it (copyDatabase's `change`, the copy attached
 * as `o`).
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { CODE_CATALOGUE } from "../../analytics/codes.ts";

/** In the copy `o`: the view dropped and the table made in its place, with the catalogue's rows in its order. */
export async function catalogueAsTable(c: DuckDBConnection): Promise<void> {
  await c.run("DROP VIEW o.code_catalogue");
  await c.run("USE o");
  await c.run(`CREATE TABLE code_catalogue (code mark_code NOT NULL, regime VARCHAR NOT NULL, category VARCHAR NOT NULL, meaning VARCHAR NOT NULL)`);
  for (const d of CODE_CATALOGUE) {
    await c.run("INSERT INTO code_catalogue VALUES ($code, $regime, $category, $meaning)", { code: d.code, regime: d.regime, category: d.category, meaning: d.meaning });
  }
  await c.run("USE memory");
}
