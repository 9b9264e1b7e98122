/**
 * The app's routes as the tests see them: every route id from the files in app/routes, and
 * sample addresses for each (dynamic segments filled from the access table's samples), so a
 * route added later is visited without editing any test.
 */
import fs from "node:fs";
import path from "node:path";
import { ROUTE_ACCESS } from "../../app/lib/access.ts";

/** Remix route ids from app/routes (flat files, or folders holding a route file). */
export function routeIds(dir = path.resolve("app/routes")): string[] {
  const ids: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || /\.test\./.test(entry.name)) continue;
    if (entry.isDirectory()) {
      if (fs.readdirSync(path.join(dir, entry.name)).some((f) => /^route\.(tsx?|jsx?)$/.test(f))) ids.push(`routes/${entry.name}`);
    } else if (/\.(tsx?|jsx?)$/.test(entry.name)) {
      ids.push(`routes/${entry.name.replace(/\.(tsx?|jsx?)$/, "")}`);
    }
  }
  return ids.sort();
}

/**
 * Sample addresses for a route: `routes/packs.$kind.$format` → /packs/slt/pdf, /packs/fgb/pdf …
 * with each combination of its samples; `upn` stands for a real pupil. Every address carries
 * the access table's sample query (periods for the pack downloads), harmless elsewhere.
 */
export function sampleUrls(routeId: string, upn: string): Array<{ url: string; params: Record<string, string> }> {
  const entry = ROUTE_ACCESS[routeId];
  const segments = routeId
    .replace(/^routes\//, "")
    .split(/(?<!\[)\.(?![^[]*\])/)
    .filter((segment) => segment !== "_index" && !segment.startsWith("_"))
    .map((segment) => segment.replace(/_$/, "").replace(/\[(.*?)\]/g, "$1"));
  let combos: Array<Record<string, string>> = [{}];
  for (const segment of segments) {
    if (!segment.startsWith("$")) continue;
    const name = segment.slice(1);
    const values = (entry?.samples?.[name] ?? ["sample"]).map((v) => (v === "UPN" ? upn : v));
    combos = combos.flatMap((combo) => values.map((value) => ({ ...combo, [name]: value })));
  }
  const query = entry?.query ? `?${entry.query}` : "";
  return combos.map((params) => ({
    params,
    url: `/${segments.map((segment) => (segment.startsWith("$") ? encodeURIComponent(params[segment.slice(1)]) : segment)).join("/")}${query}`,
  }));
}
