/** Files as releases before schema 8 wrote them: `meta` and `settings` tables, not views over `key_values`. */
import type { DuckDBConnection } from "@duckdb/node-api";
import { KEY_VALUE_SCOPES } from "../../analytics/key-values.ts";

/**
 * In a copy being made (copyDatabase's `change`, the copy attached as `o`): `meta` and
 * `settings` made tables again with schema 7's DDL, each holding its scope's rows of
 * `key_values` in the order written, and `key_values` dropped.
 */
export async function keyValuesAsTables(c: DuckDBConnection): Promise<void> {
  for (const scope of KEY_VALUE_SCOPES) {
    await c.run(`DROP VIEW o.${scope}`);
    await c.run(`CREATE TABLE o.${scope} (key VARCHAR NOT NULL, value VARCHAR NOT NULL)`);
    await c.run(`INSERT INTO o.${scope} SELECT key, value FROM o.key_values WHERE scope = $scope ORDER BY rowid`, { scope });
  }
  await c.run("DROP TABLE o.key_values");
}

/**
 * In a copy being made (as keyValuesAsTables): the file as schema 7 wrote it, its `meta` and
 * `settings` tables, its version 7, checkpointed.
 */
export async function asSchemaSeven(c: DuckDBConnection): Promise<void> {
  await keyValuesAsTables(c);
  await c.run("UPDATE o.meta SET value = '7' WHERE key = 'schema_version'");
  await c.run("CHECKPOINT o");
}
