/**
 * The upload limit in the app (app/lib/upload.server.ts): files stream to a temporary folder
 * under their own names; a part over ROLLCALL_MAX_UPLOAD_MB is refused with a 413 naming the
 * limit, and no temporary file is left either way. (scripts/server.js's own check, by
 * Content-Length, is tested against the served app in test/browser/upload-limit.test.ts.)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { maxUploadMb, readUploadForm } from "../app/lib/upload.server.ts";

/** A multipart/form-data request as a browser sends it: a CSRF field, then the files. */
function uploadRequest(parts: Array<{ name: string; value: string; filename?: string }>): Request {
  const boundary = "----rollcall-test-boundary";
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = part.filename === undefined ? `form-data; name="${part.name}"` : `form-data; name="${part.name}"; filename="${part.filename}"`;
    const type = part.filename === undefined ? "" : "Content-Type: text/csv\r\n";
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`), Buffer.from(part.value), Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return new Request("http://localhost/import", {
    method: "POST",
    headers: { "Content-Type": `multipart/form-data; boundary=${boundary}` },
    body: Buffer.concat(chunks),
  });
}

describe("uploads", () => {
  let tmp: string;
  let savedTmp: string | undefined;
  beforeEach(() => {
    // A private temporary folder, so "nothing left behind" is not confused by other runs.
    savedTmp = process.env.TMPDIR;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "upload-limit-test-"));
    process.env.TMPDIR = tmp;
  });
  afterEach(() => {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("reads the limit from ROLLCALL_MAX_UPLOAD_MB, 50 MB by default", () => {
    expect(maxUploadMb({})).toBe(50);
    expect(maxUploadMb({ ROLLCALL_MAX_UPLOAD_MB: "5" })).toBe(5);
    expect(maxUploadMb({ ROLLCALL_MAX_UPLOAD_MB: "lots" })).toBe(50);
    expect(maxUploadMb({ ROLLCALL_MAX_UPLOAD_MB: "-1" })).toBe(50);
  });

  it("writes files under the user's names to a temporary folder, reads the fields, and removes the folder", async () => {
    const csv = "kind,name,start_date,end_date\n";
    const form = await readUploadForm(
      uploadRequest([
        { name: "csrf", value: "token" },
        { name: "calendar", value: csv, filename: "C:\\Users\\office\\calendar 2025.csv" },
        { name: "pupils", value: "", filename: "" }, // an empty file input
        { name: "elsewhere", value: "x", filename: "../../etc/passwd" }, // not a file field: never written
      ]),
      { fileFields: ["calendar", "pupils", "marks"], maxMb: 1 },
    );
    expect(form.fields.get("csrf")).toBe("token");
    expect([...form.files.keys()]).toEqual(["calendar"]);
    const file = form.files.get("calendar")!;
    expect(file).toMatchObject({ name: "calendar 2025.csv", size: csv.length });
    expect(fs.readFileSync(file.path, "utf8")).toBe(csv);
    expect(file.path.startsWith(tmp)).toBe(true);
    form.dispose();
    expect(fs.existsSync(file.path)).toBe(false);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it("keeps a chosen empty file (0 bytes, with its name) for the importer to refuse by name; a field with nothing chosen is no file", async () => {
    // A fresh-clone trial: an empty marks file chosen on the Import page was dropped as if
    // nothing had been chosen ("Choose at least one file", or the pupils imported alone).
    const form = await readUploadForm(
      uploadRequest([
        { name: "calendar", value: "", filename: "" }, // nothing chosen: the browser's empty part
        { name: "pupils", value: "upn\n", filename: "pupils.csv" },
        { name: "marks", value: "", filename: "empty.csv" }, // a chosen file of 0 bytes
      ]),
      { fileFields: ["calendar", "pupils", "marks"], maxMb: 1 },
    );
    expect([...form.files.keys()]).toEqual(["pupils", "marks"]);
    const empty = form.files.get("marks")!;
    expect(empty).toMatchObject({ name: "empty.csv", size: 0 });
    expect(fs.readFileSync(empty.path, "utf8")).toBe("");
    form.dispose();
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it("refuses a file over the limit with a 413 that names it, leaving no temporary file", async () => {
    const big = "x".repeat(1024 * 1024 + 1);
    const refused = await readUploadForm(
      uploadRequest([
        { name: "csrf", value: "token" },
        { name: "marks", value: big, filename: "marks.csv" },
      ]),
      { fileFields: ["calendar", "pupils", "marks"], maxMb: 1 },
    ).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(Response);
    const response = refused as Response;
    expect(response.status).toBe(413);
    expect(await response.text()).toContain("larger than the 1 MB limit, so it was refused and nothing was imported or changed");
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it("refuses an over-long text field too", async () => {
    const refused = await readUploadForm(uploadRequest([{ name: "reason", value: "y".repeat(65 * 1024) }]), { fileFields: ["marks"], maxMb: 1 }).catch((e: unknown) => e);
    expect((refused as Response).status).toBe(413);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });
});
