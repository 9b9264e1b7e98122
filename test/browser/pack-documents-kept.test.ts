/**
 * The packs' documents (the frame of each pack's page) kept by the page cache as the dashboard
 * pages are (scripts/page-cache.js PACK_DOCUMENT; issue 11: made afresh for every view, the SLT
 * pack's had cost 1.01× the plain scan), on the demo school: the governors' pack's document is
 * made once per role and sent again, the same document to a governor and to the head, and a
 * commentary saved gives both packs' documents anew. (The SLT pack's document — its views
 * recorded, a governor refused, an import — is tested in test/browser/page-audited.test.ts.)
 */
import { describe, expect, it } from "vitest";
import type { Role } from "../../analytics/users/roles.ts";
import { fetchAs } from "../helpers/browser.ts";

const FGB = "/packs/fgb/html?term=autumn-2026";
const SLT = "/packs/slt/html?month=2026-10";

/** A document as `role` reads it: status, what the page cache did (Server-Timing), the text. */
async function read(role: Role, url: string): Promise<{ status: number; cache: string | null; body: string }> {
  const response = await fetchAs(role, url);
  return { status: response.status, cache: /page-cache;desc="(\w+)"/.exec(response.headers.get("Server-Timing") ?? "")?.[1] ?? null, body: await response.text() };
}

describe("the packs' documents kept", () => {
  it("sends the governors' pack's document again from memory, the same to a governor and the head, and makes both documents again after commentary is saved", async () => {
    const governor = await read("governor", FGB);
    expect(governor.status).toBe(200);
    const again = await read("governor", FGB);
    expect(again.cache).toBe("hit");
    expect(again.body).toBe(governor.body);
    // The same pack file whoever reads it: the head's (made for the head's role) is the same document.
    expect((await read("head", FGB)).body).toBe(governor.body);
    await read("head", SLT);
    expect((await read("head", SLT)).cache).toBe("hit");

    // Commentary saved by the head (a form: every kept page dropped, the pack's files made again).
    const page = await fetchAs("head", "/packs/fgb?term=autumn-2026");
    const token = /<meta name="csrf-token" content="([^"]+)"/.exec(await page.text())?.[1] ?? "";
    const words = `Kept documents are made again after a save (${Date.now()}).`;
    const saved = await fetchAs("head", "/packs/fgb?term=autumn-2026", {
      method: "POST",
      headers: { Origin: new URL(page.url).origin, "X-CSRF-Token": token, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ "body-successes": words }),
    });
    expect(saved.status).toBe(302);
    expect(governor.body).not.toContain(words);
    const after = await read("governor", FGB);
    expect(after.status).toBe(200);
    expect(after.cache).not.toBe("hit");
    expect(after.body).toContain(words);
    expect((await read("governor", FGB)).body).toBe(after.body);
    const slt = await read("head", SLT);
    expect([slt.status, slt.cache === "hit"]).toEqual([200, false]);
  });
});
