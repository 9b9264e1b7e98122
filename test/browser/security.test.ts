/**
 * The security basics every response needs (issue 9 §4), against the real server
 * (scripts/server.js): headers, host names, Origin and CSRF checks on every POST, the sign-in
 * form, signing out, and the lockout (on a server of its own, since it locks the address).
 */
import { lockoutLiftsWords } from "../../analytics/users/lockout-words.ts";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { closeAllInstances, withConnection } from "../../analytics/db.ts";
import { createUser } from "../../analytics/users/store.ts";
import { startAppServer } from "../setup/app-server.ts";
import { cliOn } from "../helpers/cli.ts";
import { appUrl, closeBrowser, credentials, fetchAs, openApp, waitForPage } from "../helpers/browser.ts";
import { serverTimingMs } from "../../scripts/bench-pages.ts";

afterAll(() => closeBrowser());

const upn = inject("pupils")[0].upn;
const origin = new URL(appUrl("/")).origin;

/** The session's CSRF token, as the page's forms carry it. */
async function csrfOf(role: "head" | "governor" | "attendance_lead"): Promise<string> {
  const html = await (await fetchAs(role, "/")).text();
  const token = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error("no CSRF token on the page");
  return token;
}

/** The settings form's current values, read from the page. */
async function settingsValues(): Promise<Record<string, string>> {
  const app = await openApp("/settings");
  try {
    return await app.page.evaluate(() => {
      const form = document.querySelector("form[data-testid=settings-form]") as HTMLFormElement;
      const values: Record<string, string> = {};
      for (const [key, value] of new FormData(form)) if (key !== "csrf") values[key] = String(value);
      return values;
    });
  } finally {
    await app.close();
  }
}

/** A raw HTTP request with any Host header (fetch will not send a foreign one). */
function rawRequest(options: { path: string; host: string; method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; body: string }> {
  const url = new URL(appUrl("/"));
  return new Promise((resolve, reject) => {
    const request = http.request(
      { hostname: url.hostname, port: url.port, path: options.path, method: options.method ?? "GET", headers: { ...options.headers, Host: options.host } },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    request.on("error", reject);
    if (options.body) request.write(options.body);
    request.end();
  });
}

describe("headers on every response", () => {
  it("set a nonce-based CSP, no framing, nosniff and a referrer policy on pages, downloads and static files", async () => {
    const page = await fetchAs("head", `/pupils/${upn}`);
    const html = await page.text();
    const stylesheet = /href="(\/build\/_assets\/[^"]+\.css)"/.exec(html)?.[1];
    expect(stylesheet).toBeDefined();
    const responses = [page, await fetchAs("governor", "/benchmarks/report/csv?year=2025/26"), await fetchAs(null, stylesheet!), await fetchAs(null, "/favicon.svg")];
    for (const response of responses) {
      const csp = response.headers.get("Content-Security-Policy") ?? "";
      expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(response.headers.get("X-Frame-Options")).toBe("DENY");
      expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
      expect(response.headers.get("Referrer-Policy")).toBe("same-origin");
    }
    // The nonce in the header is the one on every inline script of the page.
    const nonce = /'nonce-([^']+)'/.exec(page.headers.get("Content-Security-Policy") ?? "")?.[1];
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const attributes of scripts) expect(attributes).toContain(`nonce="${nonce}"`);
    // A page that shows a pupil is never cached.
    expect(page.headers.get("Cache-Control")).toBe("no-store");
  });

  it("give every response a nonce of its own: 16 random bytes, never repeated (past the server's pool of 256)", async () => {
    const nonces = await Promise.all(
      Array.from({ length: 300 }, async () => {
        const response = await fetchAs(null, "/favicon.svg");
        await response.arrayBuffer();
        return /'nonce-([^']+)'/.exec(response.headers.get("Content-Security-Policy") ?? "")?.[1] ?? "";
      }),
    );
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).toHaveLength(16);
    expect(new Set(nonces).size).toBe(300);
  });

  it("let a pack's document be framed by Rollcall's own pages only, and run no script in it (the pack pages' frame)", async () => {
    for (const [role, url] of [["head", "/packs/slt/html?month=2026-10"], ["governor", "/packs/fgb/html?term=autumn-2026"]] as const) {
      const response = await fetchAs(role, url);
      expect(response.status, url).toBe(200);
      expect(response.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
      expect(response.headers.get("Content-Disposition")).toMatch(/^inline; filename="rollcall-(slt|fgb)-pack-[a-z0-9-]+\.html"$/);
      const csp = response.headers.get("Content-Security-Policy") ?? "";
      expect(csp).toContain("frame-ancestors 'self'");
      expect(csp).toContain("script-src 'none'");
      expect(response.headers.get("X-Frame-Options")).toBe("SAMEORIGIN");
      // Once (the route and the server both set it, before: "no-store, no-store").
      expect(response.headers.get("Cache-Control")).toBe("no-store");
      const text = await response.text();
      expect(text).not.toMatch(/<script\b/i);
      // Sent gzipped as it was kept (fetch asks for gzip), and the same document when not.
      expect(response.headers.get("Content-Encoding")).toBe("gzip");
      const plain = await fetchAs(role, url, { headers: { "Accept-Encoding": "identity" } });
      expect(plain.headers.get("Content-Encoding")).toBeNull();
      expect(await plain.text()).toBe(text);
    }
    // Its neighbours, the same pack as a file, and the pack's page keep the rule.
    for (const url of ["/packs/slt/pdf?month=2026-10", "/packs/slt?month=2026-10", "/packs/slt/html/x"]) {
      const response = await fetchAs("head", url);
      await response.arrayBuffer();
      expect(response.headers.get("X-Frame-Options"), url).toBe("DENY");
      expect(response.headers.get("Content-Security-Policy"), url).toContain("frame-ancestors 'none'");
    }
  });

  it("carry one Cache-Control, no-store, on pages, downloads, refusals and the pack document (the server's and the route's were both sent: 'no-store, no-store')", async () => {
    const document = { headers: { "Sec-Fetch-Dest": "document", "Sec-Fetch-Mode": "navigate" } };
    for (const [role, url, init, status] of [
      ["head", "/pupils", {}, 200],
      ["head", "/pupils.csv?period=ytd", {}, 200],
      ["head", "/casework.csv", {}, 200],
      ["head", "/pupils.csv?year_group=99", {}, 400],
      ["head", "/pupils.csv?year_group=99", document, 400],
      ["head", "/packs/slt/html?month=2026-10", {}, 200],
      ["head", "/packs/slt/pdf?month=2026-10", {}, 200],
      ["governor", "/packs/fgb/xlsx?term=autumn-2026", {}, 200],
      ["governor", "/benchmarks/report/csv?year=2025/26", {}, 200],
      ["head", "/import/progress?token=x", {}, 200],
    ] as const) {
      const response = await fetchAs(role, url, init);
      await response.arrayBuffer();
      expect(response.status, url).toBe(status);
      // Headers.get joins a header sent twice with ", ".
      expect(response.headers.get("Cache-Control"), url).toBe("no-store");
    }
  });

  it("are the same on a page answered from memory (a replay of the session's own answer, its nonce included)", async () => {
    const made = await fetchAs("head", "/trends");
    const kept = await fetchAs("head", "/trends");
    expect(kept.headers.get("Server-Timing")).toContain('desc="hit"');
    // The server's own time on every answer, after the page cache's word (the page benchmark's
    // measure, scripts/bench-pages.ts serverTimingMs).
    for (const response of [made, kept]) {
      expect(response.headers.get("Server-Timing")).toMatch(/^page-cache;desc="\w+", app;dur=\d+\.\d\d$/);
      expect(serverTimingMs(response.headers.get("Server-Timing"))).toBeGreaterThan(0);
    }
    const csp = kept.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(kept.headers.get("X-Frame-Options")).toBe("DENY");
    expect(kept.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(kept.headers.get("Referrer-Policy")).toBe("same-origin");
    expect(kept.headers.get("Cache-Control")).toBe("no-store");
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    const scripts = [...(await kept.text()).matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const attributes of scripts) expect(attributes).toContain(`nonce="${nonce}"`);
  });

  it("let the real pages run under the policy: no CSP violation in Chromium", async () => {
    const app = await openApp(`/pupils/${upn}`);
    try {
      expect(app.consoleErrors).toEqual([]);
      expect(await app.page.locator("main h1").count()).toBe(1);
    } finally {
      await app.close();
    }
  });

  it("let a page answered from memory run under the policy too: reloaded, it hydrates with no CSP violation", async () => {
    const app = await openApp("/groups");
    try {
      // The session's own copy is kept only if nothing dropped the kept pages while it was made
      // (scripts/page-cache.js: a write anywhere on the server); then the reload is a reader's copy
      // of the role's page ("role"), and the next one is from memory. A loaded CI run (65 min)
      // met that once (session 42); three reloads without a "hit" would be a fault.
      let headers: Record<string, string> = {};
      for (let reload = 0; reload < 3 && !headers["server-timing"]?.includes('desc="hit"'); reload++) {
        headers = await (await app.page.reload({ waitUntil: "networkidle" }))!.allHeaders();
      }
      expect(headers["server-timing"]).toContain('desc="hit"');
      // A reader's copy of a role's page, and its replays, go out in the gzip assembled once from
      // the role's page (scripts/page-cache.js), even to Chromium, which accepts brotli too.
      expect(headers["content-encoding"]).toBe("gzip");
      await app.page.waitForSelector("html[data-hydrated]", { state: "attached" });
      expect(app.consoleErrors).toEqual([]);
      expect(await app.page.locator("main h1").count()).toBe(1);
    } finally {
      await app.close();
    }
  });
});

describe("Remix's older data requests (?_data=)", () => {
  it("are refused with a 400 page before Remix (which logged a stack trace for each), signed in or not, GET or POST", async () => {
    for (const path of ["/?_data=routes/_index", "/pupils?sort=name&_data=routes/pupils", `/pupils/${upn}?_data=x`]) {
      const answer = await fetchAs("head", path);
      expect(answer.status, path).toBe(400);
      const html = await answer.text();
      expect(html, path).toContain("a form Rollcall does not use (its “_data” part)");
      // In Rollcall's own look, its header bar and type (a bare page had read as another site's).
      expect(html, path).toMatch(/<header class="site-header">.*>Rollcall<\/a>.*<\/header><main class="page"><h1>400 — Not understood<\/h1>/);
      expect(html, path).toMatch(/<style>[^<]*\.site-header\{background:#0b0c0c/);
    }
    expect((await rawRequest({ path: "/?_data=routes/_index", host: new URL(appUrl("/")).host })).status).toBe(400);
    const post = await rawRequest({ path: "/settings?_data=routes/settings", host: new URL(appUrl("/")).host, method: "POST", headers: { Origin: origin, "Content-Type": "application/x-www-form-urlencoded", "Content-Length": "0" } });
    expect(post.status).toBe(400);
    // The page itself, and a value merely containing the words, are answered as before.
    expect((await fetchAs("head", "/pupils?search=_data")).status).toBe(200);
  });
});

describe("host names", () => {
  it("refuses a Host that is not configured (DNS rebinding), with a 403 page", async () => {
    const refused = await rawRequest({ path: "/login", host: "attacker.example" });
    expect(refused.status).toBe(403);
    expect(refused.body).toContain("answers only to localhost, 127.0.0.1");
    const port = new URL(appUrl("/")).port;
    expect((await rawRequest({ path: "/login", host: `localhost:${port}` })).status).toBe(200);
  });

  it("refuses a POST whose Host and Origin both name the attacker, and changes nothing", async () => {
    const before = await settingsValues();
    const body = new URLSearchParams({ ...before, small_group_min: "3", csrf: await csrfOf("head") }).toString();
    const refused = await rawRequest({
      path: "/settings",
      host: "attacker.example",
      method: "POST",
      headers: { Origin: "http://attacker.example", Cookie: inject("accounts").head.cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body,
    });
    expect(refused.status).toBe(403);
    expect(await settingsValues()).toEqual(before);
  });
});

describe("POSTs", () => {
  it("from a foreign Origin get a 403 page (not a bare 500) and change nothing, even with the session's token", async () => {
    const before = await settingsValues();
    expect(before.small_group_min).not.toBe("3");
    const body = new URLSearchParams({ ...before, small_group_min: "3", csrf: await csrfOf("head") });
    for (const path of ["/settings", "/settings.data"]) {
      const response = await fetchAs("head", path, { method: "POST", body, headers: { Origin: "https://attacker.example" } });
      expect(response.status).toBe(403);
      expect(await response.text()).toContain("sent from another site");
    }
    expect(await settingsValues()).toEqual(before);
  });

  it("without the session's CSRF token are refused and change nothing; with it they work", async () => {
    const before = await settingsValues();
    const changed = { ...before, small_group_min: "3" };
    const withoutToken = await fetchAs("head", "/settings", { method: "POST", body: new URLSearchParams(changed) });
    expect(withoutToken.status).toBe(403);
    expect(await withoutToken.text()).toContain("security token");
    const otherToken = await fetchAs("head", "/settings", { method: "POST", body: new URLSearchParams({ ...changed, csrf: await csrfOf("attendance_lead") }) });
    expect(otherToken.status).toBe(403);
    expect(await settingsValues()).toEqual(before);
    // The same values with the right token and Origin are saved (unchanged values: nothing else is affected).
    const ok = await fetchAs("head", "/settings", { method: "POST", body: new URLSearchParams({ ...before, csrf: await csrfOf("head") }), headers: { Origin: origin } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("Nothing changed: every setting was already as entered.");
  });

  it("by a role that may not (governor changing settings) are refused 403", async () => {
    const before = await settingsValues();
    const response = await fetchAs("governor", "/settings", {
      method: "POST",
      body: new URLSearchParams({ ...before, small_group_min: "3", csrf: await csrfOf("governor") }),
      headers: { Origin: origin },
    });
    expect(response.status).toBe(403);
    expect(await settingsValues()).toEqual(before);
  });
});

describe("signing in and out", () => {
  it("refuses a sign-in POST with no Origin", async () => {
    const { email, password } = credentials("slt");
    const response = await fetchAs(null, "/login", { method: "POST", body: new URLSearchParams({ email, password }) });
    expect(response.status).toBe(403);
    expect(response.headers.get("Set-Cookie")).toBeNull();
  });

  it("signs in through the form, returns to the page first asked for, and signs out", async () => {
    const app = await openApp("/pupils?year_group=4", { as: null });
    try {
      await waitForPage(app.page, (url) => url.pathname === "/login");
      expect(new URL(app.page.url()).searchParams.get("redirectTo")).toBe("/pupils?year_group=4");
      expect(await app.page.getByTestId("demo-notice").textContent()).toContain("This is the demo school");
      const { email, password } = credentials("slt");
      await app.page.fill("input[name=email]", email);
      await app.page.fill("input[name=password]", "not the password");
      await app.page.click("main button[type=submit]");
      await app.page.getByRole("alert").waitFor();
      expect(await app.page.getByRole("alert").textContent()).toContain("do not match");
      // The wrong password is cleared and its field focused for the next try (trial 53b).
      await app.page.waitForFunction(() => document.activeElement?.getAttribute("name") === "password");
      expect(await app.page.inputValue("input[name=password]")).toBe("");
      expect(await app.page.inputValue("input[name=email]")).toBe(email);
      await app.page.fill("input[name=password]", password);
      await Promise.all([waitForPage(app.page, (url) => url.pathname === "/pupils"), app.page.click("main button[type=submit]")]);
      expect(app.page.url()).toContain("year_group=4");
      expect(await app.page.locator(".site-header__user").textContent()).toContain("Test slt");
      const cookie = (await app.page.context().cookies()).find((c) => c.name === "rollcall_session");
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax" });

      await Promise.all([waitForPage(app.page, (url) => url.pathname === "/login"), app.page.getByRole("button", { name: "Sign out" }).click()]);
      // The old cookie no longer opens anything: the session ended on the server.
      const reused = await fetchAs(null, "/pupils", { headers: { Cookie: `rollcall_session=${cookie!.value}` } });
      expect(reused.status).toBe(302);
      // The deliberate wrong password is answered 401, which Chromium logs as a failed resource; nothing else may be logged.
      expect(app.consoleErrors.filter((error) => !/status of 401/.test(error))).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe("the lockout", () => {
  it("answers 429 after 5 failures for one account from one address, even for the right password; other accounts from that address sign in; `rollcall users unlock` clears it while the server runs", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-lockout-"));
    const db = path.join(dir, "school.duckdb");
    await withConnection(db, async (c) => {
      await createUser(c, { email: "head@school.example", name: "Head", role: "head", password: "the right passphrase" });
      await createUser(c, { email: "admin@school.example", name: "Admin", role: "admin", password: "the admin passphrase" });
    });
    await closeAllInstances();
    const server = await startAppServer(db);
    try {
      const attempt = (password: string, email = "head@school.example") =>
        fetch(`${server.url}/login`, {
          method: "POST",
          redirect: "manual",
          headers: { Origin: server.url },
          body: new URLSearchParams({ email, password }),
        });
      // The trial's case: six bad sign-ins for one account from the school's one address. The
      // fourth is warned that the next locks (trial 53), the first three not.
      for (let i = 0; i < 5; i++) {
        const refused = await attempt("a wrong passphrase");
        expect(refused.status).toBe(401);
        const warned = (await refused.text()).includes("One more wrong password for this e-mail address from here locks its sign-in for up to 15 minutes.");
        expect(warned, `attempt ${i + 1}`).toBe(i === 3);
      }
      for (const password of ["a wrong passphrase", "the right passphrase"]) {
        const locked = await attempt(password);
        expect(locked.status).toBe(429);
        expect(Number(locked.headers.get("Retry-After"))).toBeGreaterThan(800);
        const text = await locked.text();
        // When the lock lifts, in London time (it had said "Wait 15 minutes": from when?): the
        // same minute `rollcall users lockouts` and the Users page give for this lock (the sign-in
        // page had rounded its Retry-After up, the Users page its instant down: trial 26).
        const said = /Try again after (\d{1,2} \w+ \d{4}, \d{2}:\d{2} (?:GMT|BST))/.exec(text)?.[1];
        expect(said).toBeDefined();
        const listed = await cliOn(db)("users", "lockouts", "--json");
        const lock = (JSON.parse(listed.stdout) as { email: string | null; until: string }[]).find((l) => l.email === "head@school.example");
        expect(lock).toBeDefined();
        expect(`Try again after ${said}, or ask your Rollcall administrator to clear it.`).toBe(lockoutLiftsWords(lock!.until));
        // No command a governor cannot run (trial 53): the administrator's Users page says how.
        expect(text).not.toContain("rollcall users unlock");
      }
      // Everyone else signs in from the same address.
      expect((await attempt("the admin passphrase", "admin@school.example")).status).toBe(302);
      // The administrator clears it with the CLI, relayed to the running server.
      const unlocked = await cliOn(db)("users", "unlock", "--email", "head@school.example");
      expect(unlocked).toMatchObject({ code: 0, stderr: "" });
      expect(unlocked.stdout).toContain("Cleared 5 failed sign-ins for head@school.example");
      expect((await attempt("the right passphrase")).status).toBe(302);
      // A database not made by `rollcall demo` says nothing about demo accounts.
      expect(await (await fetch(`${server.url}/login`)).text()).not.toContain("demo school");
      // An address no page has is a 404, not a fault: nothing in the server's log (it wrote
      // Remix's "No route matches URL" with a stack trace for every one).
      for (const address of ["/nonexistent", "/nonexistent.data"]) {
        const unknown = await fetch(`${server.url}${address}`);
        expect(unknown.status).toBe(404);
        await unknown.text();
      }
      expect(server.log()).not.toMatch(/No route matches|nonexistent/);
    } finally {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
