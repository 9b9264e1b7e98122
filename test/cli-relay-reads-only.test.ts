/**
 * Which relayed command lines keep the dashboard's kept pages (analytics/cli/remote.ts
 * relayedReadsOnly; scripts/server.js drops every kept page for any other): only those that
 * write nothing a page shows. A line it cannot be sure of counts as a write.
 */
import { describe, expect, it } from "vitest";
import { relayedReadsOnly } from "../analytics/cli/remote.ts";

describe("relayedReadsOnly", () => {
  it("keeps pages for commands that only read (their one write an audit row)", () => {
    for (const argv of [
      ["summary", "--from", "2026-09-01", "--to", "2026-10-31", "--json", "--db", "/s.duckdb"],
      ["pack", "fgb", "--term", "autumn-2026", "--format", "pdf", "--out", "/tmp/p.pdf"],
      ["report", "benchmark", "--year", "2025/26", "--format", "csv", "--out", "/tmp/r.csv"],
      ["export", "parquet", "--out", "/tmp/lake"],
      ["casework", "--as-of", "2026-10-01"],
      ["version", "--json"],
      ["settings", "--json"],
      ["users", "list"],
      ["users", "lockouts", "--json"],
      ["retention", "--before", "2020-08-31", "--json"],
      ["import", "--help"],
      ["import", "--marks", "/tmp/m.csv", "--dry-run"],
      ["pupils", "correct-upn", "A", "B", "--dry-run"],
    ])
      expect(relayedReadsOnly(argv), argv.join(" ")).toBe(true);
  });

  it("drops pages for commands that may write, and for anything it cannot read", () => {
    for (const argv of [
      ["import", "--marks", "/tmp/m.csv"],
      ["settings", "set", "small_group_min", "6"],
      ["settings", "--db", "/s.duckdb", "set", "school_name", "X"],
      ["users", "set-role", "--email", "a@b.c", "--role", "slt"],
      ["users", "disable", "--email", "a@b.c"],
      ["users", "unlock", "--email", "a@b.c"],
      ["retention", "--apply"],
      ["retention", "--before", "2020-08-31", "--apply"],
      ["pupils", "correct-upn", "A", "B"],
      ["import", "--marks", "/tmp/m.csv", "--", "--dry-run"],
      ["import", "--reason=--dry-run", "--marks", "/tmp/m.csv"],
      ["benchmarks", "import", "/tmp/b.csv"],
      ["compact"],
      ["init", "--school", "X"],
      ["demo"],
      ["nonsense"],
      [],
    ])
      expect(relayedReadsOnly(argv), argv.join(" ")).toBe(false);
    expect(relayedReadsOnly("summary")).toBe(false);
    expect(relayedReadsOnly(["summary", 3])).toBe(false);
    expect(relayedReadsOnly(undefined)).toBe(false);
  });
});
