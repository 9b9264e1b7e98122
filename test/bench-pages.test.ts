/**
 * The page benchmark's list of pages (scripts/bench-pages.ts) covers every dashboard page of
 * the access table, and its p95 is the nearest-rank percentile.
 */
import { describe, expect, it } from "vitest";
import { ROUTE_ACCESS } from "../app/lib/access.ts";
import { dashboardPages, pagePasses, percentile, serverTimingMs, type PageFigure } from "../scripts/bench-pages.ts";
import { routeIds } from "./helpers/routes.ts";

describe("page benchmark", () => {
  it("times every page route but sign-in and sign-out, the Casework page included, with real parameters", () => {
    const pages = dashboardPages("A123456789012");
    const timed = new Set(pages.map((p) => p.routeId));
    const expected = routeIds().filter((id) => ROUTE_ACCESS[id].kind === "page" && id !== "routes/login" && id !== "routes/logout");
    expect([...timed].sort()).toEqual(expected.sort());
    expect(expected.length).toBeGreaterThan(20);
    const urls = pages.map((p) => p.url);
    expect(urls).toContain("/casework");
    expect(urls).toContain("/");
    expect(urls).toContain("/pupils");
    expect(urls).toContain("/pupils/A123456789012");
    expect(urls).toContain("/imports/1");
    expect(urls.every((u) => !u.includes("?") && !u.includes("$"))).toBe(true);
  });

  it("takes the p95 of 20 requests as the 19th fastest", () => {
    const times = Array.from({ length: 20 }, (_, i) => 20 - i); // 20, 19, … 1
    expect(percentile(times, 0.95)).toBe(19);
    expect(percentile([5], 0.95)).toBe(5);
    expect(percentile([1, 2, 3, 4, 100], 0.95)).toBe(100);
  });

  it("reads the server's own time from its Server-Timing header, after any other metric", () => {
    expect(serverTimingMs('page-cache;desc="hit", app;dur=1.25')).toBe(1.25);
    expect(serverTimingMs("app;dur=0.40")).toBe(0.4);
    expect(serverTimingMs('page-cache;desc="miss"')).toBeNaN();
    expect(serverTimingMs(null)).toBeNaN();
  });

  it("judges a page on its server time: under half the scan and under the budget, answered 200", () => {
    const page = (serverP95: number, ratio: number, p95 = 900, error?: string): PageFigure => ({ routeId: "routes/_index", url: "/", p95, median: 1, serverP95, serverMedian: 1, bytes: 1, ratio, firstMs: 1, error });
    expect(pagePasses(page(2, 0.4), 50)).toBe(true);
    expect(pagePasses(page(2, 0.6), 50)).toBe(false);
    expect(pagePasses(page(60, 0.4), 50)).toBe(false);
    expect(pagePasses(page(60, 0.4), null)).toBe(true);
    expect(pagePasses(page(2, 0.4, 1, "HTTP 500"), 50)).toBe(false);
    expect(pagePasses(page(NaN, NaN), 50)).toBe(false);
  });
});
