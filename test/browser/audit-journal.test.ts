/**
 * The web server's audit journal (analytics/audit-journal.ts): a view of pupil data is written
 * to disk, in `<database>.audit-journal`, before the page that shows it is sent. When it cannot
 * be (here a folder stands where the journal goes, as a full disk or a read-only folder would
 * refuse the write), the page is not sent and nothing is recorded; once it can, the view is
 * recorded and on the Audit page's CSV at once.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAllInstances, fileKey, withConnection } from "../../analytics/db.ts";
import { journalPath } from "../../analytics/audit-journal.ts";
import { createSession, createUser, sessionSecret } from "../../analytics/users/store.ts";
import { signedSessionCookie, TEST_PASSWORD } from "../helpers/auth.ts";
import { cliOn, initSchool, writeSmallRegister } from "../helpers/cli.ts";
import { removeDb, tempDbPath } from "../helpers/db.ts";
import { getPage, type PageAnswer } from "../helpers/page-answer.ts";
import { startAppServer } from "../setup/app-server.ts";

const db = tempDbPath("audit-journal");
const { calendar, pupils, marks } = writeSmallRegister(path.dirname(db));
const ADA = "A123456789012"; // Ada Lovelace, in the small register
let head = "";
let admin = "";
let server: Awaited<ReturnType<typeof startAppServer>> | undefined;

const get = (url: string, cookie: string): Promise<PageAnswer> => getPage(server!.url, url, cookie);

/** The Audit page's CSV of the pupil views (as the administrator downloads it), less its header. */
async function viewRows(): Promise<string[]> {
  const csv = await get("/audit.csv?action=pupil_view", admin);
  expect(csv.status).toBe(200);
  return csv.body.trim().split("\r\n").slice(1);
}

beforeAll(async () => {
  await initSchool(db);
  expect((await cliOn(db)("import", "--calendar", calendar, "--pupils", pupils, "--marks", marks, "--as-of", "2025-09-01")).code).toBe(0);
  [head, admin] = await withConnection(db, async (c) => {
    const secret = await sessionSecret(c);
    const cookie = async (name: string, email: string, role: string) => {
      const user = await createUser(c, { email, name, role, password: TEST_PASSWORD });
      return signedSessionCookie(secret, (await createSession(c, user.id)).sessionId);
    };
    return [await cookie("Hana Head", "hana@test.rollcall.example", "head"), await cookie("Alex Admin", "alex@test.rollcall.example", "admin")];
  });
  await closeAllInstances();
  server = await startAppServer(db, { ROLLCALL_TODAY: "2026-03-04", ROLLCALL_WARM_UP: "0" });
});

afterAll(async () => {
  await server?.stop();
  await removeDb(db);
});

describe("a view of pupil data", () => {
  it("is not sent when its audit row cannot be written to disk, and is recorded and shown on the Audit page's CSV at once when it can", async () => {
    const journal = journalPath(fileKey(db));
    // Nothing recorded yet: the journal is not open; a folder takes its place.
    expect(fs.existsSync(journal)).toBe(false);
    fs.mkdirSync(journal);
    for (const url of [`/pupils/${ADA}`, "/pupils"]) {
      const refused = await get(url, head);
      expect(refused.status, url).toBe(500);
      expect(refused.body, url).not.toContain("Lovelace");
    }
    fs.rmdirSync(journal);
    expect(await viewRows()).toEqual([]);

    const sent = await get(`/pupils/${ADA}`, head);
    expect(sent.status).toBe(200);
    expect(sent.body).toContain("Lovelace");
    // The view on the CSV at once (its reader, role, pupil and address).
    const rows = await viewRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain("hana@test.rollcall.example");
    expect(rows[0]).toContain(ADA);
    expect(rows[0]).toContain("Headteacher");
  });
});
