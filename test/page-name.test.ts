/**
 * The name the phone's "Menu" gives the page open (app/lib/page-name.ts; trial 53: /account,
 * /imports, /imports/N and /definitions said "Menu" alone). Every page route of app/routes that
 * a signed-in reader opens is named — a section's, a page under a section, or the route's own
 * `handle` — so a page added later without one fails here (test/browser/menu-names.test.ts
 * reads the names off the built app).
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROUTE_ACCESS } from "../app/lib/access.ts";
import { pageName } from "../app/lib/page-name.ts";
import { routeIds, sampleUrls } from "./helpers/routes.ts";

/** The sections as root.tsx lists them (read from its source: importing it would load the server's modules). */
function sections(): Array<{ to: string; label: string }> {
  const source = fs.readFileSync(path.resolve("app/root.tsx"), "utf8");
  return [...source.matchAll(/\{ to: "([^"]+)", label: "([^"]+)"/g)].map((m) => ({ to: m[1], label: m[2] }));
}

/** A route module's `handle`, read from its source: its `pageName` words, or a placeholder for a function of the params. */
function handleOf(routeId: string): { pageName: string } | undefined {
  const file = fs.readdirSync(path.resolve("app/routes")).find((f) => f.replace(/\.tsx?$/, "") === routeId.replace(/^routes\//, ""));
  const source = fs.readFileSync(path.resolve("app/routes", file!), "utf8");
  const handle = /export const handle: PageNameHandle = \{ pageName: ("([^"]+)"|\(params\) => )/.exec(source);
  return handle ? { pageName: handle[2] ?? "(words of the address)" } : undefined;
}

describe("pageName", () => {
  it("names a section's page and the pages under it by the section, and no other", () => {
    const list = [
      { to: "/", label: "Overview" },
      { to: "/import", label: "Import" },
      { to: "/pupils", label: "Pupils" },
    ];
    expect(pageName("/", list, [])).toBe("Overview");
    expect(pageName("/pupils/A123", list, [])).toBe("Pupils");
    // "/imports" is not under "/import".
    expect(pageName("/imports", list, [])).toBeNull();
    expect(pageName("/imports", list, [{ params: {} }, { handle: { pageName: "Import history" }, params: {} }])).toBe("Import history");
    expect(pageName("/imports/7", list, [{ params: {} }, { handle: { pageName: (p: Record<string, string | undefined>) => `Import ${p.id}` }, params: { id: "7" } }])).toBe("Import 7");
  });

  it("names every page a signed-in reader opens", () => {
    const all = sections();
    expect(all.map((s) => s.label)).toContain("Casework");
    const unnamed: string[] = [];
    for (const id of routeIds()) {
      const entry = ROUTE_ACCESS[id];
      if (entry?.kind !== "page" || entry.loader === "public" || id === "routes/logout") continue;
      for (const { url, params } of sampleUrls(id, "A123456789012")) {
        const pathname = url.split("?")[0];
        const handle = handleOf(id);
        const name = pageName(pathname, all, [{ params: {} }, { handle, params }]);
        if (!name) unnamed.push(url);
      }
    }
    expect(unnamed).toEqual([]);
  });
});
