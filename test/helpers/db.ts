/** A fresh, real DuckDB database file per test, removed afterwards. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { closeInstance } from "../../analytics/db.ts";

export function tempDbPath(label = "test"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `rollcall-${label}-`));
  return path.join(dir, "rollcall.duckdb");
}

export async function removeDb(file: string): Promise<void> {
  await closeInstance(file);
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
}
