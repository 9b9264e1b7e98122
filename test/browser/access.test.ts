/**
 * Every route in app/routes, visited as each role and signed out, answers with the status the
 * access table (app/lib/access.ts) says that role must get: the server enforces roles in every
 * loader, not the navigation. Routes are collected from the files, so a new route is covered
 * without editing this test (and test/access-table.test.ts fails until it has an entry).
 */
import { afterAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { loaderAccess, ROUTE_ACCESS } from "../../app/lib/access.ts";
import { ROLES, can, type Role } from "../../analytics/users/roles.ts";
import { closeBrowser, fetchAs, openApp } from "../helpers/browser.ts";
import { routeIds, sampleUrls } from "../helpers/routes.ts";

afterAll(() => closeBrowser());

const pupil = inject("pupils")[0];
const upn = pupil.upn;
const visits = routeIds().flatMap((id) => sampleUrls(id, upn).map((sample) => ({ id, ...sample })));

/** What a role must get: "ok" (200, or a redirect that is not to sign-in), "forbidden" (403). */
function expected(id: string, params: Record<string, string>, role: Role): "ok" | "forbidden" {
  const access = loaderAccess(id, params);
  if (access === undefined) throw new Error(`${id} has no entry in app/lib/access.ts`);
  if (access === "public" || access === "signed_in") return "ok";
  return can(role, access) ? "ok" : "forbidden";
}

describe("every route, signed out", () => {
  it("covers every route file", () => {
    expect(new Set(visits.map((v) => v.id)).size).toBe(routeIds().length);
  });

  for (const visit of visits) {
    it(`refuses ${visit.url} to a request with no session`, async () => {
      const response = await fetchAs(null, visit.url);
      const access = loaderAccess(visit.id, visit.params);
      if (access === "public") {
        expect(response.status).toBe(200);
      } else if (ROUTE_ACCESS[visit.id].kind === "download") {
        expect(response.status).toBe(401);
      } else {
        expect(response.status).toBe(302);
        const location = new URL(response.headers.get("Location") ?? "", "http://x");
        expect(location.pathname).toBe("/login");
        expect(location.searchParams.get("redirectTo")).toBe(visit.url);
      }
      // Remix's data requests for the same route are refused too.
      if (ROUTE_ACCESS[visit.id].kind === "page" && access !== "public") {
        const [pathname, search] = visit.url.split("?");
        const data = await fetchAs(null, `${pathname === "/" ? "/_root" : pathname}.data${search ? `?${search}` : ""}`);
        const body = await data.text();
        // The redirect to sign-in repeats the address asked for (which may hold the UPN the
        // requester typed); what must never come back is the pupil's data.
        expect(body).toContain("/login");
        expect(body).not.toContain(pupil.surname);
        expect(body).not.toContain(pupil.forename);
        expect(body.replace(/redirectTo=[^"&]*/g, "")).not.toContain(upn);
      }
    });
  }
});

describe("every route, as each role", () => {
  for (const role of ROLES) {
    it(`gives ${role} exactly the routes the role may use`, async () => {
      const results: string[] = [];
      const wanted: string[] = [];
      const bare: string[] = [];
      for (const visit of visits) {
        const response = await fetchAs(role, visit.url);
        const body = await response.text();
        const want = expected(visit.id, visit.params, role);
        const location = response.headers.get("Location") ?? "";
        const got =
          response.status === 200 || (response.status === 302 && !location.startsWith("/login"))
            ? "ok"
            : response.status === 403 && /may not/.test(body)
              ? "forbidden"
              : `status ${response.status}`;
        results.push(`${visit.url}: ${got}`);
        wanted.push(`${visit.url}: ${want}`);
        // A refusal shows nothing of the pupil; only the address the requester typed is
        // echoed (<main data-location>, which the browser tests wait on), so it is set aside.
        if (want === "forbidden") expect(body.replace(/data-location="[^"]*"/g, "")).not.toContain(upn);
        // A page refused is said inside the site's own layout (its navigation, the school, Sign
        // out: the route's RouteError), never the bare root error page (/users was).
        if (got === "forbidden" && (response.headers.get("Content-Type") ?? "").startsWith("text/html") && !body.includes('data-testid="forbidden"')) {
          bare.push(visit.url);
        }
      }
      expect(results).toEqual(wanted);
      expect(bare, "403 pages outside the layout").toEqual([]);
      // Every route as one role, one after another: minutes on a loaded 2-core machine.
    }, 600_000);
  }
});

describe("the 403 page", () => {
  it("tells a governor refused the Trust page what it holds (small groups' figures), not that it names pupils", async () => {
    // Issue 13, case 9: the Trust page names no pupil; its refusal said "pupils' names".
    const response = await fetchAs("governor", "/trust");
    expect(response.status).toBe(403);
    const text = (await response.text()).replace(/<[^>]+>/g, "");
    expect(text).toContain("Your role (Governor) may not see the Trust page: it names no pupil, but it gives every school&#x27;s figures unsuppressed");
    expect(text).not.toMatch(/names?,|pupils&#x27; names/);
    expect(text).toContain("Governors see this school&#x27;s figures on the other pages, with any group or count of fewer pupils than the school&#x27;s minimum withheld.");
  });

  it("tells a governor in words that their role may not see pupils, with no pupil on it", async () => {
    const app = await openApp("/pupils", { as: "governor" });
    try {
      const text = await app.page.locator("main").textContent();
      expect(text).toContain("Your role (Governor) may not see pupils");
      expect(text).not.toContain(upn);
      expect(await app.page.locator("nav.site-nav a").allTextContents()).toEqual([
        "Overview",
        "Trends",
        "Codes",
        "Patterns",
        "Groups",
        "Year groups & classes",
        "Benchmarks",
        "Report packs",
      ]);
    } finally {
      await app.close();
    }
  });
});
