/**
 * The audit trail in real Chromium on the demo school: viewing a pupil's page, downloading
 * a pack, the benchmark report and the pupil list's CSV each add a row; the Audit page
 * filters them; its CSV holds exactly the rows shown.
 */
import fs from "node:fs";
import { afterAll, describe, expect, inject, it } from "vitest";
import { appUrl, closeBrowser, fetchAs, openApp, saveScreenshot, waitForPage } from "../helpers/browser.ts";
import { testEmail } from "../helpers/auth.ts";

afterAll(() => closeBrowser());

async function firstUpn(): Promise<string> {
  const app = await openApp("/pupils");
  try {
    const href = await app.page.locator("[data-testid=pupil-table] tbody a[href^='/pupils/']").first().getAttribute("href");
    return decodeURIComponent(href!.split("/pupils/")[1].split("?")[0]);
  } finally {
    await app.close();
  }
}

/** The audit rows for a filter, read from the Audit page's own table. */
async function auditTable(search: string): Promise<string[][]> {
  const app = await openApp(`/audit?${search}`);
  try {
    expect(app.consoleErrors).toEqual([]);
    return await app.page.locator("[data-testid=audit-table] tbody tr").evaluateAll((rows) =>
      rows.map((row) => Array.from(row.querySelectorAll("td")).map((td) => (td.textContent ?? "").trim())),
    );
  } finally {
    await app.close();
  }
}

describe("audit trail", () => {
  it("gives each column one meaning: who acted is an account (or 'not signed in'), what they acted on is in its own column", async () => {
    // A failed sign-in: nobody acted as an account; the e-mail tried is what was acted on.
    const tried = `nobody-${Date.now()}@test.rollcall.example`;
    const origin = new URL(appUrl("/")).origin;
    const refused = await fetch(appUrl("/login"), {
      method: "POST",
      redirect: "manual",
      headers: { Origin: origin, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: tried, password: "not the password at all" }),
    });
    expect([400, 401, 403, 429, 200]).toContain(refused.status);
    const failed = (await auditTable("action=sign_in_failed")).find((r) => r[5] === tried);
    expect(failed?.slice(1, 3)).toEqual(["not signed in", ""]);

    // A pupil viewed by the head: the head's account and name, the pupil's UPN as what was acted on.
    const upn = await firstUpn();
    const app = await openApp(`/pupils/${encodeURIComponent(upn)}`);
    await app.close();
    const viewed = (await auditTable("action=pupil_view")).find((r) => r[5] === upn)!;
    expect(viewed[1]).toBe(testEmail("head"));
    expect(viewed[2]).not.toBe("");
    expect(viewed[2]).not.toMatch(/@/);

    // Every row: who acted is an e-mail, "not signed in", or the command line's user — never a UPN.
    const rows = await auditTable("");
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row[1]).not.toMatch(/^[A-Z]\d{12}$/);
      expect(row[2]).not.toMatch(/^[A-Z]\d{12}$|@/);
      // The role column in words: a refused sign-in's "Not signed in", Rollcall's own set-up.
      if (!["CLI", "Rollcall itself (set-up or a script)", "Not signed in"].includes(row[3])) expect(row[1], row.join(" | ")).toMatch(/@/);
      expect(["none", "script"]).not.toContain(row[3]);
    }
  });


  it("records a view of a pupil's page, with the UPN and the period", async () => {
    const upn = await firstUpn();
    const before = (await auditTable(`action=pupil_view&actor=`)).filter((r) => r[5] === upn).length;
    const app = await openApp(`/pupils/${encodeURIComponent(upn)}`);
    await app.close();
    const after = (await auditTable("action=pupil_view")).filter((r) => r[5] === upn);
    expect(after.length).toBe(before + 1);
    expect(after[0][4]).toBe("Viewed a pupil");
    expect(after[0][0]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} (GMT|BST)$/);
  });

  it("records a pack download, a benchmark report and a CSV built in the browser", async () => {
    const pack = await fetchAs("head", "/packs/fgb/xlsx?term=autumn-2026");
    expect(pack.status).toBe(200);
    await pack.arrayBuffer();
    const report = await fetchAs("head", "/benchmarks/report/csv?year=2025/26");
    expect(report.status).toBe(200);
    await report.text();

    // The Pupils CSV is built by the server (routes/pupils[.]csv.tsx), which records it itself.
    const app = await openApp("/pupils");
    const [download] = await Promise.all([app.page.waitForEvent("download", { timeout: 90_000 }), app.page.getByTestId("pupils-csv").click()]);
    const shown = Number(await app.page.getByTestId("pupils-count").getAttribute("data-total"));
    await download.path();
    // A CSV built in the browser (a chart's) is reported to /audit/exports.
    const [chartDownload, recorded] = await Promise.all([
      app.page.waitForEvent("download", { timeout: 90_000 }),
      app.page.waitForResponse((r) => r.url().endsWith("/audit/exports"), { timeout: 90_000 }),
      (async () => {
        await app.page.goto(app.page.url().replace(/\/pupils.*$/, "/trends"), { waitUntil: "networkidle" });
        await app.page.waitForSelector("html[data-hydrated]", { state: "attached" });
        await app.page.locator(".chart__download").first().click();
      })(),
    ]);
    expect(recorded.status()).toBe(204);
    await chartDownload.path();
    await app.close();

    const packs = await auditTable("action=pack_download");
    expect(packs[0][5]).toMatch(/fgb.*autumn-2026.*\.xlsx$/);
    const exports = await auditTable("action=export");
    const targets = exports.map((r) => r[5]);
    expect(targets.some((t) => /^benchmark-report_2025-26_groups-[a-z0-9-]+_staff\.csv$/.test(t))).toBe(true);
    const csvRow = exports.find((r) => r[5] === download.suggestedFilename());
    expect(csvRow?.[6]).toContain(`${shown} rows`);
    expect(exports.find((r) => r[5] === chartDownload.suggestedFilename())?.[6]).toContain("CSV built in the browser");
  });

  it("refuses a governor's report of a pupil-list export (403, recorded as refused, never as an export); records the governor's own chart CSV", async () => {
    const app = await openApp("/trends", { as: "governor" });
    await app.page.waitForSelector("html[data-hydrated]", { state: "attached" });
    const file = `pupils_2026-08-01-to-2026-12-02-${Date.now()}.csv`;
    // The padding the fresh-clone trial sent: the session's own CSRF token, a file a governor cannot make.
    const status = await app.page.evaluate(async (name) => {
      const token = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? "";
      const body = new FormData();
      body.set("file", name);
      body.set("rows", "240");
      body.set("page", "/pupils");
      return (await fetch("/audit/exports", { method: "POST", body, headers: { "X-CSRF-Token": token } })).status;
    }, file);
    expect(status).toBe(403);
    // The governor's own chart CSV on a page they may open is still recorded.
    const [chartDownload, recorded] = await Promise.all([
      app.page.waitForEvent("download", { timeout: 90_000 }),
      app.page.waitForResponse((r) => r.url().endsWith("/audit/exports"), { timeout: 90_000 }),
      app.page.locator(".chart__download").first().click(),
    ]);
    expect(recorded.status()).toBe(204);
    expect(chartDownload.suggestedFilename()).toMatch(/_governors\.csv$/);
    await chartDownload.path();
    await app.close();
    const exports = await auditTable("action=export");
    expect(exports.find((r) => r[5] === file)).toBeUndefined();
    expect(exports.find((r) => r[5] === chartDownload.suggestedFilename())?.[3]).toBe("Governor");
    const refused = (await auditTable("action=refused")).find((r) => r[6].includes(file));
    expect(refused?.[3]).toBe("Governor");
    expect(refused?.[4]).toBe("Refused a request");
    expect(refused?.[6]).toContain("no chart CSV is made on /pupils");
  });

  it("records a governor's refused (403) request for a staff page or download, once per request", async () => {
    const address = `/casework.csv?n=${Date.now()}`;
    const download = await fetchAs("governor", address);
    expect(download.status).toBe(403);
    await download.text();
    const page = await fetchAs("governor", `/pupils?q=refused-${Date.now()}`);
    expect(page.status).toBe(403);
    await page.text();
    const rows = (await auditTable("action=refused")).filter((r) => r[5] === address);
    expect(rows.map((r) => [r[3], r[4], r[6]])).toEqual([["Governor", "Refused a request", "GET refused (403): the role lacks view_pupils"]]);
    expect((await auditTable("action=refused")).some((r) => r[5].startsWith("/pupils?q=refused-") && r[3] === "Governor")).toBe(true);
  });

  it("filters, and its CSV is exactly the rows shown", async () => {
    const app = await openApp("/audit");
    await app.page.selectOption("#action", "pupil_view");
    await app.page.getByRole("button", { name: "Show" }).click();
    await waitForPage(app.page, (url) => url.searchParams.get("action") === "pupil_view");
    const shown = await app.page.locator("[data-testid=audit-table] tbody tr").evaluateAll((rows) =>
      rows.map((row) => Array.from(row.querySelectorAll("td")).map((td) => (td.textContent ?? "").trim())),
    );
    expect(shown.length).toBeGreaterThan(0);
    expect(new Set(shown.map((r) => r[4]))).toEqual(new Set(["Viewed a pupil"]));
    await saveScreenshot(app.page, "audit-page");
    const [download] = await Promise.all([app.page.waitForEvent("download", { timeout: 90_000 }), app.page.getByTestId("audit-csv").click()]);
    const text = fs.readFileSync((await download.path())!, "utf8").replace(/^\uFEFF/, "");
    const lines = text.trimEnd().split("\r\n");
    expect(lines[0]).toBe("When (London time),Who acted,Their name,Role,Action,Acted on,Detail,From");
    expect(lines.slice(1).map((line) => line.split(","))).toEqual(shown.map((r) => r.map((cell) => cell)));
    expect(app.consoleErrors).toEqual([]);
    await app.close();
    expect(inject("appDb")).toBeTruthy();
  });
});
