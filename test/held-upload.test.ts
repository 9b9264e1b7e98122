/**
 * The Import page's previewed files kept for their confirmation without JavaScript
 * (app/lib/held-upload.server.ts): for the session that previewed them only, for 30 minutes,
 * one preview per session, and gone once released.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { heldUpload, holdUpload, releaseUpload } from "../app/lib/held-upload.server.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-held-test-"));
/** This process's folder of kept previews: vitest ends its workers without an "exit" event. */
let heldRoot: string | undefined;
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  if (heldRoot) fs.rmSync(heldRoot, { recursive: true, force: true });
});

function upload(name: string, text: string): string {
  fs.mkdirSync(path.join(dir, name), { recursive: true });
  const file = path.join(dir, name, name);
  fs.writeFileSync(file, text);
  return file;
}

describe("previewed files kept for their confirmation", () => {
  it("are kept in a folder of the process's own, removed when it exits, whatever is still kept (none left in /tmp after a test run)", () => {
    const script = [
      'import fs from "node:fs";',
      `import { holdUpload, heldUpload } from ${JSON.stringify(path.resolve("app/lib/held-upload.server.ts"))};`,
      `const token = holdUpload("session-x", { marks: ${JSON.stringify(upload("exit.csv", "x"))} });`,
      'console.log(heldUpload(token, "session-x").marks);',
    ].join("\n");
    const kept = execFileSync(path.resolve("node_modules/.bin/tsx"), ["--eval", script], { encoding: "utf8" }).trim();
    expect(path.basename(kept)).toBe("exit.csv");
    // The preview's folder and the process's folder above it are both gone.
    expect(fs.existsSync(path.dirname(kept))).toBe(false);
    expect(fs.existsSync(path.dirname(path.dirname(path.dirname(kept))))).toBe(false);
  });

  it("gives the session that previewed them a copy under their own names, and no other session anything", () => {
    const marks = upload("marks.csv", "upn,date,session,code\r\n");
    const token = holdUpload("session-a", { marks }, 0);
    // The upload's folder is removed after the request: the copy is what is kept.
    fs.rmSync(marks);
    const kept = heldUpload(token, "session-a", 1000);
    heldRoot = path.dirname(path.dirname(path.dirname(kept!.marks!)));
    expect(kept?.marks && path.basename(kept.marks)).toBe("marks.csv");
    expect(fs.readFileSync(kept!.marks!, "utf8")).toBe("upn,date,session,code\r\n");
    expect(heldUpload(token, "session-b", 1000)).toBeUndefined();
    expect(heldUpload("not-a-token", "session-a", 1000)).toBeUndefined();
    // Only its own session can release it.
    releaseUpload(token, "session-b");
    expect(heldUpload(token, "session-a", 1500)).toBeDefined();
    releaseUpload(token, "session-a");
    expect(heldUpload(token, "session-a", 2000)).toBeUndefined();
    expect(fs.existsSync(kept!.marks!)).toBe(false);
  });

  it("keeps them 30 minutes from the preview last shown, and one preview per session", () => {
    const minute = 60_000;
    const first = holdUpload("session-c", { calendar: upload("one.csv", "a") }, 0);
    expect(heldUpload(first, "session-c", 29 * minute)).toBeDefined();
    // Each time it is shown again its 30 minutes start again.
    expect(heldUpload(first, "session-c", 58 * minute)).toBeDefined();
    expect(heldUpload(first, "session-c", 88 * minute + 1)).toBeUndefined();
    const second = holdUpload("session-c", { calendar: upload("two.csv", "b") }, 100 * minute);
    const third = holdUpload("session-c", { calendar: upload("three.csv", "c") }, 100 * minute);
    expect(heldUpload(second, "session-c", 100 * minute)).toBeUndefined();
    expect(path.basename(heldUpload(third, "session-c", 100 * minute)!.calendar!)).toBe("three.csv");
    releaseUpload(third, "session-c");
  });

  it("removes their files when the 30 minutes are up, though nobody previews or confirms again (review 50: they stayed until the next preview)", () => {
    vi.useFakeTimers();
    try {
      const token = holdUpload("session-d", { marks: upload("left.csv", "pupils' marks") });
      const kept = heldUpload(token, "session-d")!.marks!;
      heldRoot ??= path.dirname(path.dirname(path.dirname(kept)));
      // Shown again at 20 minutes: its 30 minutes start again.
      vi.advanceTimersByTime(20 * 60_000);
      expect(heldUpload(token, "session-d")).toBeDefined();
      vi.advanceTimersByTime(29 * 60_000);
      expect(fs.existsSync(kept)).toBe(true);
      vi.advanceTimersByTime(60_000 + 1);
      expect(fs.existsSync(kept)).toBe(false);
      expect(fs.existsSync(path.dirname(path.dirname(kept)))).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
});
