/**
 * The upload limit on the served app (issue 9, "Done when": the upload limit), on a server of
 * its own with ROLLCALL_MAX_UPLOAD_MB=1 and a private TMPDIR, signed in as the attendance
 * lead: an over-limit import is refused with a message naming the limit — by the page before
 * sending (Chromium), and by scripts/server.js with a 413 when sent anyway (HTTP) — nothing is
 * imported, and no temporary upload folder is left. An upload within the limit still imports.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { closeAllInstances, queryRows, withConnection } from "../../analytics/db.ts";
import { launchChromium } from "../../analytics/render/pdf.ts";
import { createTestAccounts, type TestAccount } from "../helpers/auth.ts";
import { saveScreenshot } from "../helpers/browser.ts";
import { startAppServer } from "../setup/app-server.ts";
import type { Role } from "../../analytics/users/roles.ts";

const MESSAGE = "This upload is larger than the 1 MB limit, so it was refused and nothing was imported or changed.";
const CALENDAR = fs.readFileSync("test/fixtures/import/calendar-small.csv");
/** A marks file of 1.5 MB: over the 1 MB limit. */
const BIG = Buffer.from(`upn,date,session,code\n${"A123456789012,2025-09-02,AM,/\n".repeat(Math.ceil((1.5 * 1024 * 1024) / 30))}`);

let dir: string;
let uploadTmp: string;
let db: string;
let accounts: Record<Role, TestAccount>;
let server: Awaited<ReturnType<typeof startAppServer>>;
let browser: Browser | undefined;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-upload-limit-"));
  uploadTmp = path.join(dir, "tmp");
  fs.mkdirSync(uploadTmp);
  db = path.join(dir, "school.duckdb");
  accounts = await createTestAccounts(db);
  await closeAllInstances();
  server = await startAppServer(db, { ROLLCALL_MAX_UPLOAD_MB: "1", TMPDIR: uploadTmp });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const lead = () => accounts.attendance_lead.cookie;

async function csrf(): Promise<string> {
  const html = await (await fetch(`${server.url}/import`, { headers: { Cookie: lead() } })).text();
  expect(html).toContain("Up to <!-- -->1<!-- --> MB in one import");
  const token = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error("no CSRF token on the import page");
  return token;
}

/** The import form as a browser without scripts sends it. */
function importBody(
  token: string,
  file: { field: string; name: string; content: Buffer },
  fields: Record<string, string> = {},
): { body: Buffer; type: string } {
  const boundary = "----rollcall-upload-limit";
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${token}\r\n`),
    ...Object.entries(fields).map(([name, value]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n`),
    file.content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, type: `multipart/form-data; boundary=${boundary}` };
}

const uploadFolders = () => fs.readdirSync(uploadTmp).filter((name) => name.startsWith("rollcall-upload-"));

describe("the upload limit", () => {
  it("the Import page refuses a file over the limit before sending it, with the message", async () => {
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: "en-GB" });
    const [name, value] = lead().split(/=(.*)/s);
    await context.addCookies([{ name, value, url: server.url, httpOnly: true, sameSite: "Lax" }]);
    const page = await context.newPage();
    const posts: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST") posts.push(request.url());
    });
    await page.goto(`${server.url}/import`, { waitUntil: "networkidle" });
    await page.setInputFiles("#file-marks", { name: "marks.csv", mimeType: "text/csv", buffer: BIG });
    await page.getByRole("button", { name: "Check and preview" }).click();
    const alert = page.getByTestId("upload-too-large");
    await alert.waitFor();
    expect(await alert.textContent()).toContain(MESSAGE);
    // The file to split is named, with its size (the refusal had named only the limit).
    expect(await alert.textContent()).toContain("The chosen file, marks.csv 1.5 MB, is too large.");
    expect(posts).toEqual([]);
    await saveScreenshot(page, "import-upload-too-large");
    await context.close();
  });

  it("the server refuses an over-limit body with a 413 page naming the limit, and one of undeclared length with a 411", async () => {
    const token = await csrf();
    const { body, type } = importBody(token, { field: "marks", name: "marks.csv", content: BIG });
    const refused = await fetch(`${server.url}/import`, {
      method: "POST",
      headers: { Cookie: lead(), Origin: server.url, "Content-Type": type },
      body: new Uint8Array(body),
    });
    expect(refused.status).toBe(413);
    expect(await refused.text()).toContain(MESSAGE);

    const chunked = await new Promise<number>((resolve, reject) => {
      const url = new URL(server.url);
      const request = http.request(
        { hostname: url.hostname, port: url.port, path: "/import", method: "POST", headers: { Cookie: lead(), Origin: server.url, "Content-Type": type, "Transfer-Encoding": "chunked" } },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on("error", reject);
      request.write(body.subarray(0, 1000));
      request.end();
    });
    expect(chunked).toBe(411);
  });

  it("records each stage of a web import under the page's token, for the user who sent it only", async () => {
    const token = await csrf();
    const progress = "progress-test-0123456789";
    const { body, type } = importBody(token, { field: "calendar", name: "calendar-small.csv", content: CALENDAR }, { intent: "preview" });
    const sent = await fetch(`${server.url}/import?progress=${progress}`, {
      method: "POST",
      headers: { Cookie: lead(), Origin: server.url, "Content-Type": type },
      body: new Uint8Array(body),
    });
    expect(sent.status).toBe(200);
    const read = async (cookie: string) => (await fetch(`${server.url}/import/progress?token=${progress}`, { headers: { Cookie: cookie } })).json();
    const mine = await read(lead());
    expect(mine.known).toBe(true);
    expect(mine.done).toBe(true);
    expect(mine.stages.map((s: { message: string }) => s.message.replace(/\(\d+\.\d MB\)/, "(N MB)"))).toEqual([
      "receiving the files (N MB)",
      "reading calendar-small.csv (N MB)",
      "checking calendar-small.csv",
      "preview ready",
    ]);
    // Another signed-in user (the head may import too) cannot read it.
    expect(await read(accounts.head.cookie)).toEqual({ stages: [], done: false, known: false });
    expect((await fetch(`${server.url}/import/progress?token=${progress}`)).status).toBe(401);
  });

  it("an upload within the limit still imports; the refused ones changed nothing and left no temporary file", async () => {
    const token = await csrf();
    // Previewed first, then imported on confirmation with the preview's fingerprint.
    const file = { field: "calendar", name: "calendar-small.csv", content: CALENDAR };
    const first = importBody(token, file, { intent: "preview" });
    const preview = await fetch(`${server.url}/import`, { method: "POST", headers: { Cookie: lead(), Origin: server.url, "Content-Type": first.type }, body: new Uint8Array(first.body) });
    const fingerprint = /name="fingerprint" value="([0-9a-f]{64})"/.exec(await preview.text())?.[1];
    expect(fingerprint).toBeDefined();
    const { body, type } = importBody(token, file, { intent: "import", fingerprint: fingerprint! });
    const done = await fetch(`${server.url}/import`, { method: "POST", headers: { Cookie: lead(), Origin: server.url, "Content-Type": type }, body: new Uint8Array(body) });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('data-testid="import-done"');
    expect(uploadFolders()).toEqual([]);
    await server.stop();
    const imports = await withConnection(db, (c) => queryRows(c, "SELECT kind, file_name FROM imports ORDER BY import_id"));
    const audit = await withConnection(db, (c) => queryRows(c, "SELECT action, target FROM audit_log WHERE action LIKE 'import%' ORDER BY id"));
    await closeAllInstances();
    expect(imports).toEqual([{ kind: "calendar", file_name: "calendar-small.csv" }]);
    expect(audit.map((row) => row.action)).toEqual(["import"]);
  });
});