/** The audit trail: rows written, filtered by London date, actor, role and action, paged; never updated or deleted. */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DuckDBInstance } from "@duckdb/node-api";
import { queryRows, withConnection } from "../analytics/db.ts";
import { formatLondon, importAuditEntries, londonDayStart, queryAudit, recordAudit } from "../analytics/audit.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("audit");
afterAll(() => removeDb(db));

const ROOT = path.resolve(import.meta.dirname, "..");

describe("London time", () => {
  it("shows GMT in winter and BST in summer", () => {
    expect(formatLondon(new Date("2026-01-15T09:30:00Z"))).toBe("2026-01-15 09:30:00 GMT");
    expect(formatLondon(new Date("2026-07-01T23:30:00Z"))).toBe("2026-07-02 00:30:00 BST");
  });
  it("finds where a London day starts, across the clock changes", () => {
    expect(londonDayStart("2026-01-15").toISOString()).toBe("2026-01-15T00:00:00.000Z");
    expect(londonDayStart("2026-07-02").toISOString()).toBe("2026-07-01T23:00:00.000Z");
    // 29 March 2026: the clocks go forward at 01:00 GMT, so that day starts at 00:00 GMT.
    expect(londonDayStart("2026-03-29").toISOString()).toBe("2026-03-29T00:00:00.000Z");
    expect(londonDayStart("2026-03-30").toISOString()).toBe("2026-03-29T23:00:00.000Z");
    // 25 October 2026: back at 01:00 GMT (02:00 BST); the day started at 00:00 BST.
    expect(londonDayStart("2026-10-25").toISOString()).toBe("2026-10-24T23:00:00.000Z");
    expect(londonDayStart("2026-10-26").toISOString()).toBe("2026-10-26T00:00:00.000Z");
  });
});

describe("an import's audit row", () => {
  it("names a CTF's file once and says the marks it read but did not store (trial19a: 'ctf.xml, ctf.xml', '0 rows read' beside the page's 20 skipped)", () => {
    const [entry] = importAuditEntries([
      { kind: "pupils", file: "ctf.xml", rowsRead: 1, inserted: 1, amended: 0, unchanged: 0 },
      { kind: "marks", file: "ctf.xml", rowsRead: 0, inserted: 0, amended: 0, unchanged: 0, skipped: 20 },
    ]);
    expect(entry).toEqual({
      action: "import",
      target: "ctf.xml",
      detail: "pupils ctf.xml: 1 row read, 1 new, 0 amended, 0 unchanged; marks ctf.xml: 0 rows read, 0 new, 0 amended, 0 unchanged, 20 sessions skipped (no mark)",
    });
  });
});

describe("recordAudit and queryAudit", () => {
  it("stores who, role, what, target, detail and where, in UTC, shown in London time", async () => {
    await withConnection(db, (c) =>
      recordAudit(
        c,
        { actor: { email: "head@school.test", name: "Ann Head" }, role: "head", action: "pupil_view", target: "A123456789012", detail: "2026-09-01 to 2026-10-31", ip: "127.0.0.1" },
        { now: new Date("2026-07-01T23:30:00.250Z") },
      ),
    );
    const page = await withConnection(db, (c) => queryAudit(c));
    expect(page.total).toBe(1);
    expect(page.rows[0]).toMatchObject({
      at: "2026-07-01T23:30:00.250Z",
      at_london: "2026-07-02 00:30:00 BST",
      actor: "head@school.test",
      actor_name: "Ann Head",
      role: "head",
      action: "pupil_view",
      target: "A123456789012",
      detail: "2026-09-01 to 2026-10-31",
      ip: "127.0.0.1",
    });
  });

  it("refuses an action outside the closed list and an empty actor", async () => {
    await expect(withConnection(db, (c) => recordAudit(c, { actor: "x", role: "head", action: "delete_everything" as never }))).rejects.toThrow(/not an audit action/);
    await expect(withConnection(db, (c) => recordAudit(c, { actor: " ", role: "head", action: "export" }))).rejects.toThrow(/actor/);
    await expect(withConnection(db, (c) => recordAudit(c, { actor: "x", role: "", action: "export" }))).rejects.toThrow(/role/);
  });

  it("filters by London date range, actor, role and action, and pages newest first", async () => {
    const rows: Array<[string, string, string, "export" | "sign_in" | "pupil_view"]> = [
      ["2026-03-01T10:00:00Z", "slt@school.test", "slt", "export"],
      ["2026-03-02T10:00:00Z", "lead@school.test", "attendance_lead", "sign_in"],
      ["2026-03-03T10:00:00Z", "slt@school.test", "slt", "pupil_view"],
      // 23:30 UTC on 31 May is 00:30 BST on 1 June: a June row to a London reader.
      ["2026-05-31T23:30:00Z", "slt@school.test", "slt", "export"],
    ];
    await withConnection(db, async (c) => {
      for (const [at, actor, role, action] of rows) await recordAudit(c, { actor, role, action, target: "t" }, { now: new Date(at) });
    });
    const q = (filter: Parameters<typeof queryAudit>[1], paging?: Parameters<typeof queryAudit>[2]) => withConnection(db, (c) => queryAudit(c, filter, paging));

    const march = await q({ from: "2026-03-01", to: "2026-03-02" });
    expect(march.rows.map((r) => r.at)).toEqual(["2026-03-02T10:00:00.000Z", "2026-03-01T10:00:00.000Z"]);
    expect((await q({ from: "2026-06-01", to: "2026-06-01" })).rows.map((r) => r.at)).toEqual(["2026-05-31T23:30:00.000Z"]);
    expect((await q({ to: "2026-05-31", from: "2026-05-31" })).total).toBe(0);

    expect((await q({ actor: "SLT@" })).total).toBe(3);
    expect((await q({ actor: "ann head" })).total).toBe(1); // matches the name too
    expect((await q({ role: "attendance_lead" })).rows.map((r) => r.actor)).toEqual(["lead@school.test"]);
    expect((await q({ action: "export", role: "slt" })).total).toBe(2);

    const first = await q({}, { page: 1, pageSize: 2 });
    const second = await q({}, { page: 2, pageSize: 2 });
    const third = await q({}, { page: 3, pageSize: 2 });
    expect(first.total).toBe(5);
    expect(first.pages).toBe(3);
    expect([...first.rows, ...second.rows, ...third.rows].map((r) => r.id)).toEqual([5, 4, 3, 2, 1]);
    // A page past the end shows the last page.
    expect((await q({}, { page: 99, pageSize: 2 })).page).toBe(3);
    expect((await q({}, { page: 99, pageSize: 2 })).rows.map((r) => r.id)).toEqual([1]);
    // The Audit page's filter: every role in the whole trail, whatever the filter, with the page's rows in one statement.
    const withRoles = await withConnection(db, (c) => queryAudit(c, { role: "slt" }, { page: 1, pageSize: 2 }, { roles: true }));
    expect(withRoles.roles).toEqual(["attendance_lead", "head", "slt"]);
    expect(withRoles.total).toBe(3);
    expect(withRoles.rows.map((r) => [r.id, r.role, r.action, r.target])).toEqual([[5, "slt", "export", "t"], [4, "slt", "pupil_view", "t"]]);
    expect((await q({})).roles).toBeUndefined();
    await expect(q({ action: "nope" as never })).rejects.toThrow(/not an audit action/);
  });

  it("binds every value: hostile text is stored as text", async () => {
    const hostile = "x'); DROP TABLE audit_log; --";
    await withConnection(db, (c) => recordAudit(c, { actor: hostile, role: "head", action: "export", target: hostile }));
    const found = await withConnection(db, (c) => queryAudit(c, { actor: hostile }));
    expect(found.rows[0].target).toBe(hostile);
  });

  it("creates the table on first use in a database made before the audit trail", async () => {
    const old = tempDbPath("audit-old");
    // A bare DuckDB file with only a meta table: the store sees an existing schema and
    // does not run its DDL, so audit_log must come from ensureAuditTable.
    const instance = await DuckDBInstance.create(old);
    const raw = await instance.connect();
    await raw.run("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)");
    raw.closeSync();
    instance.closeSync();
    await withConnection(old, (c) => recordAudit(c, { actor: "a", role: "admin", action: "settings_change" }));
    expect((await withConnection(old, (c) => queryAudit(c))).total).toBe(1);
    await removeDb(old);
  });
});

describe("the trail is append-only", () => {
  /** Every TypeScript source Rollcall runs: the app, the analytics core, the CLI and scripts. */
  function sources(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sources(full);
      return /\.(ts|tsx|js)$/.test(entry.name) ? [full] : [];
    });
  }

  it("no source updates, deletes, truncates, drops or alters audit_log", () => {
    const files = ["app", "analytics", "scripts", "bin"].flatMap((d) => sources(path.join(ROOT, d)));
    expect(files.length).toBeGreaterThan(50);
    const offending = files.filter((file) =>
      /\b(UPDATE\s+audit_log|DELETE\s+FROM\s+audit_log|TRUNCATE\s+(TABLE\s+)?audit_log|DROP\s+TABLE\s+(IF\s+EXISTS\s+)?audit_log|ALTER\s+TABLE\s+audit_log|INSERT\s+OR\s+REPLACE\s+INTO\s+audit_log)\b/i.test(
        fs.readFileSync(file, "utf8"),
      ),
    );
    expect(offending).toEqual([]);
  });

  it("the search itself finds such a statement (so the check can fail)", () => {
    expect(/\bDELETE\s+FROM\s+audit_log\b/i.test("await c.run(`DELETE FROM audit_log WHERE id = 1`)")).toBe(true);
  });

  it("recording leaves earlier rows exactly as they were", async () => {
    const before = await withConnection(db, (c) => queryRows(c, "SELECT * FROM audit_log ORDER BY id"));
    await withConnection(db, (c) => recordAudit(c, { actor: "later@school.test", role: "admin", action: "settings_change" }));
    const after = await withConnection(db, (c) => queryRows(c, "SELECT * FROM audit_log ORDER BY id"));
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.length).toBe(before.length + 1);
  });
});

describe("actions taken from the command line", () => {
  /**
   * A CLI command is recorded under what it did (an import, a pack, a user added, the school
   * made) with "cli" (or "cli via server") as where it came from: the Audit page's "Done from"
   * filter finds them. There was an action "Ran a CLI command" that nothing ever recorded, so
   * choosing it always read "No entries match".
   */
  it("are found by 'Done from: the command line', and the web's by 'the web'; the old action's bookmark reads as the former", async () => {
    const file = tempDbPath("audit-cli");
    try {
      const { cliOn } = await import("./helpers/cli.ts");
      const made = await cliOn(file)("init", "--school", "Audit Primary", "--urn", "123456");
      expect(made.code, made.stderr).toBe(0);
      await withConnection(file, (c) => recordAudit(c, { actor: "head@school.test", role: "head", action: "export", target: "pupils.csv", ip: "127.0.0.1" }));
      const { auditQueryFromSearch } = await import("../analytics/audit.ts");
      const q = (search: string) => withConnection(file, (c) => queryAudit(c, auditQueryFromSearch(new URLSearchParams(search)).filter));
      const cli = await q("from_where=cli");
      expect(cli.rows.map((r) => [r.action, r.target, r.ip])).toEqual([["settings_change", "school_name", "cli"]]);
      expect(cli.rows[0].detail).toBe('rollcall init: empty school "Audit Primary" created, URN 123456');
      expect((await q("from_where=web")).rows.map((r) => r.target)).toEqual(["pupils.csv"]);
      expect((await q("action=cli_command")).rows.map((r) => r.ip)).toEqual(["cli"]);
      expect(auditQueryFromSearch(new URLSearchParams("from_where=moon")).problems).toEqual(['"moon" is not a place actions are taken from']);
    } finally {
      removeDb(file);
    }
  });
});
