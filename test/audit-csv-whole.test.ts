/**
 * The Audit CSV of the whole trail (`all=1`): every row the filter matches, not the page's 50
 * (fresh-clone trial 26), read in bounded batches, refused on a filter it cannot read as the
 * page's CSV is, and recorded like every download. A trail of 2,345 rows written by hand: row i
 * (1–2,345) is a pupil view when i is a multiple of 5 (469 rows), else a list view.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileKey, queryRows, withConnection } from "../analytics/db.ts";
import { auditJournalApplied } from "../analytics/audit-journal.ts";
import { auditTrailCsv, recordAudits, type AuditInput } from "../analytics/audit.ts";
import { loader as auditCsv } from "../app/routes/audit[.]csv.tsx";
import { createTestAccounts, type TestAccount } from "./helpers/auth.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("audit-csv-whole");
const ROWS = 2345;
let head: TestAccount;

const row = (i: number): AuditInput => ({
  actor: { email: "lead@school.test", name: "Lee Lead" },
  role: "attendance_lead",
  action: i % 5 === 0 ? "pupil_view" : "pupil_list_view",
  target: `row ${i}`,
  detail: null,
  ip: "127.0.0.1",
});

beforeAll(async () => {
  await withConnection(db, (c) => recordAudits(c, Array.from({ length: ROWS }, (_, n) => row(n + 1))));
  head = (await createTestAccounts(db)).head;
});
afterAll(() => removeDb(db));

async function get(url: string): Promise<{ status: number; lines: string[]; name: string }> {
  process.env.ROLLCALL_DB = db;
  const request = new Request(`http://localhost${url}`, { headers: { cookie: head.cookie } });
  const response = (await auditCsv({ request, params: {}, context: {} })) as Response;
  const name = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? "";
  return { status: response.status, lines: (await response.text()).trimEnd().split("\r\n"), name };
}

/** The "Acted on" cell of each data line: "row i". */
const targets = (lines: string[]) => lines.slice(1).map((line) => /row \d+/.exec(line)?.[0]);

describe("the whole audit trail as CSV", () => {
  it("all=1 gives every matching row, newest first, each once; without it, the page's 50", async () => {
    const page = await get("/audit.csv?action=pupil_view");
    expect(page.lines.length - 1).toBe(50);
    const all = await get("/audit.csv?action=pupil_view&all=1");
    expect(all.status).toBe(200);
    expect(all.name).toBe("rollcall-audit_action-pupil-view_all-entries.csv");
    // 469 pupil views: rows 2,345, 2,340, … 5.
    expect(targets(all.lines)).toEqual(Array.from({ length: 469 }, (_, k) => `row ${2345 - 5 * k}`));
    // The whole trail: the 2,345 rows and the export rows the downloads above recorded (newest first).
    const everything = await get("/audit.csv?all=1");
    expect(everything.lines.length - 1).toBeGreaterThanOrEqual(ROWS);
    expect(new Set(everything.lines).size).toBe(everything.lines.length);
  });

  it("reads in bounded batches: batches of 7 give the same file", async () => {
    const whole = await withConnection(db, (c) => auditTrailCsv(c, { action: "pupil_view" }));
    const batched = await withConnection(db, (c) => auditTrailCsv(c, { action: "pupil_view" }, 7));
    expect(whole.rows).toBe(469);
    expect(batched).toEqual(whole);
  });

  it("is sent as it is read, a batch at a time: the same bytes as the file made whole", async () => {
    process.env.ROLLCALL_DB = db;
    const request = new Request("http://localhost/audit.csv?action=pupil_list_view&all=1", { headers: { cookie: head.cookie } });
    const response = (await auditCsv({ request, params: {}, context: {} })) as Response;
    const reader = response.body!.getReader();
    const chunks: Uint8Array[] = [];
    for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
    // 1,876 list views: the byte-order mark, then batches of 1,000 and 876 (before: one string, one chunk).
    expect(chunks.length).toBe(3);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(Buffer.concat(chunks));
    const whole = await withConnection(db, (c) => auditTrailCsv(c, { action: "pupil_list_view" }));
    expect(whole.rows).toBe(1876);
    expect(text).toBe(`\uFEFF${whole.csv}`);
  });

  it("is refused on a filter it cannot read, and recorded like every download", async () => {
    expect((await get("/audit.csv?role=nope&all=1")).status).toBe(400);
    const bad = await get("/audit.csv?all=yes");
    expect(bad.status).toBe(400);
    expect(bad.lines.join(" ")).toBe('Not downloaded: All "yes" is not understood (all=1 downloads every matching entry), so no file is made.');
    await get("/audit.csv?action=pupil_view&all=1");
    await auditJournalApplied(fileKey(db));
    const [last] = await withConnection(db, (c) => queryRows(c, "SELECT target, detail FROM audit_log WHERE action = 'export' ORDER BY id DESC LIMIT 1"));
    expect(last).toEqual({ target: "rollcall-audit_action-pupil-view_all-entries.csv", detail: "469 audit entries, every one matching (action=pupil_view&all=1)" });
  });
});
