/**
 * Every page a role can open, in the real built app: each form control has an accessible name
 * (a screen reader read the Users page's five "Set role" selects as unlabelled), and at a
 * phone's width (390 CSS px) no page is wider than the screen (/pupils was 990 px wide, so the
 * whole page scrolled sideways). Pages are collected from app/routes through the access table,
 * so a page added later is checked without editing this test. Visited as the administrator
 * (every page), signed out (the sign-in page) and, for the names, as a governor too (their
 * own period picker and views).
 */
import { afterAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import type { Page } from "playwright-core";
import { ROUTE_ACCESS, loaderAccess } from "../../app/lib/access.ts";
import { can } from "../../analytics/users/roles.ts";
import { closeBrowser, openApp, saveScreenshot } from "../helpers/browser.ts";
import { routeIds, sampleUrls } from "../helpers/routes.ts";

afterAll(() => closeBrowser());

const upn = inject("pupils")[0].upn;
const pages = routeIds()
  .filter((id) => ROUTE_ACCESS[id]?.kind === "page" && id !== "routes/logout")
  .flatMap((id) => sampleUrls(id, upn).map((sample) => ({ id, url: sample.url, params: sample.params, as: ROUTE_ACCESS[id]?.loader === "public" ? null : ("admin" as const) })));
/** The governor's pages too: their period picker and views are theirs alone. */
const governorPages = pages
  .filter((p) => {
    const access = loaderAccess(p.id, p.params);
    return p.as !== null && access !== undefined && (access === "signed_in" || (access !== "public" && can("governor", access)));
  })
  .map((p) => ({ ...p, as: "governor" as const }));

/**
 * The form controls on the page with no accessible name: not labelled by a <label>, aria-label,
 * aria-labelledby or title (a placeholder is not a label: it goes when typing starts). Hidden
 * inputs, buttons (named by their text) and controls not rendered are not asked.
 */
function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const text = (el: Element | null) => (el?.textContent ?? "").replace(/\s+/g, " ").trim();
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>("input, select, textarea")) {
      if (el instanceof HTMLInputElement && ["hidden", "submit", "button", "reset", "image"].includes(el.type)) continue;
      if (el.closest("[hidden], [aria-hidden=true]") || el.getClientRects().length === 0) continue;
      const labelledBy = (el.getAttribute("aria-labelledby") ?? "").split(/\s+/).filter(Boolean).map((id) => text(document.getElementById(id))).join(" ");
      const name = [labelledBy, el.getAttribute("aria-label") ?? "", ...[...(el.labels ?? [])].map((l) => text(l)), el.getAttribute("title") ?? ""].join(" ").trim();
      if (name === "") out.push(`<${el.tagName.toLowerCase()}${el.getAttribute("name") ? ` name="${el.getAttribute("name")}"` : ""}${el.id ? ` id="${el.id}"` : ""}>`);
    }
    return out;
  });
}

/**
 * Every chart's axis labels that run into another axis's (text boxes intersecting: a month's
 * "Sep 2026" under the percentage axis's "95%", trial 46), as "chart: x label / y label", once
 * the page's charts are drawn (they draw after hydration, ChartArea); and how many charts were
 * looked at, so a page whose charts never drew cannot pass for one without overlaps.
 */
async function overlappingAxisLabels(page: Page): Promise<{ charts: number; overlaps: string[] }> {
  await page.waitForFunction(() => document.querySelectorAll(".chart__loading").length === 0, undefined, { timeout: 15_000 });
  // ResponsiveContainer sizes the drawing a frame after it mounts.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  return page.evaluate(() => {
    type Point = { x: number; y: number };
    // A label's outline on the screen: its text box's four corners through its transform
    // (the groups' names are drawn at an angle, so their upright boxes would overlap falsely).
    const outline = (el: SVGGraphicsElement): Point[] => {
      const box = el.getBBox();
      const matrix = el.getScreenCTM()!;
      return [
        [box.x, box.y],
        [box.x + box.width, box.y],
        [box.x + box.width, box.y + box.height],
        [box.x, box.y + box.height],
      ].map(([x, y]) => new DOMPoint(x, y).matrixTransform(matrix)).map((p) => ({ x: p.x, y: p.y }));
    };
    // Two convex outlines meet unless some edge's normal separates them (separating axes).
    const meet = (a: Point[], b: Point[]): boolean => {
      for (const shape of [a, b]) {
        for (let i = 0; i < shape.length; i++) {
          const [p, q] = [shape[i], shape[(i + 1) % shape.length]];
          const normal = { x: q.y - p.y, y: p.x - q.x };
          const project = (points: Point[]) => points.map((r) => r.x * normal.x + r.y * normal.y);
          const [pa, pb] = [project(a), project(b)];
          if (Math.max(...pa) <= Math.min(...pb) || Math.max(...pb) <= Math.min(...pa)) return false;
        }
      }
      return true;
    };
    const overlaps: string[] = [];
    const surfaces = [...document.querySelectorAll<SVGSVGElement>(".chart__area svg.recharts-surface")];
    for (const svg of surfaces) {
      const area = svg.getBoundingClientRect();
      const labels = (axis: string) =>
        [...svg.querySelectorAll<SVGGraphicsElement>(`.recharts-${axis} .recharts-cartesian-axis-tick-value`)].map((el) => ({ text: (el.textContent ?? "").trim(), outline: outline(el) }));
      const [xs, ys] = [labels("xAxis"), labels("yAxis")];
      for (const x of xs) for (const y of ys) if (meet(x.outline, y.outline)) overlaps.push(`"${x.text}" runs into "${y.text}"`);
      // Neighbours on one axis (slanted group names on a phone ran into each other).
      for (const axis of [xs, ys]) {
        for (let i = 1; i < axis.length; i++) if (meet(axis[i - 1].outline, axis[i].outline)) overlaps.push(`"${axis[i - 1].text}" runs into "${axis[i].text}"`);
      }
      // The plot itself left room (a phone's codes chart: its legend of eight wrapping lines had left the bars some 25 px).
      const yLine = svg.querySelector(".recharts-yAxis .recharts-cartesian-axis-line");
      const plotHeight = yLine ? yLine.getBoundingClientRect().height : Infinity;
      if (plotHeight < 100) overlaps.push(`a chart's plot is only ${Math.round(plotHeight)} px tall`);
      // Cut off by the drawing's edge (a long name at an angle past the chart's left side or bottom).
      for (const label of [...xs, ...ys]) {
        if (label.outline.some((p) => p.x < area.left - 1 || p.x > area.right + 1 || p.y > area.bottom + 1)) overlaps.push(`"${label.text}" runs off the chart`);
      }
    }
    return { charts: surfaces.length, overlaps };
  });
}

describe("every page", () => {
  it("names every form control for a screen reader, and no chart's axis labels run into each other", async () => {
    const unnamed: string[] = [];
    const overlapping: string[] = [];
    let charts = 0;
    for (const visit of [...pages, ...governorPages]) {
      const app = await openApp(visit.url, { as: visit.as });
      try {
        for (const control of await unnamedControls(app.page)) unnamed.push(`${visit.url}: ${control}`);
        const axes = await overlappingAxisLabels(app.page);
        charts += axes.charts;
        for (const overlap of axes.overlaps) overlapping.push(`${visit.url}: ${overlap}`);
      } finally {
        await app.close();
      }
    }
    expect(pages.map((p) => p.url)).toContain("/users");
    expect(unnamed).toEqual([]);
    // The Overview's, Trends', a pupil's and the groups' charts among them.
    expect(charts).toBeGreaterThan(10);
    expect(overlapping).toEqual([]);
  }, 600_000);

  it("fits a phone's width (390 px): nothing scrolls the page sideways, and no chart's axis labels run into each other", async () => {
    const tooWide: string[] = [];
    const overlapping: string[] = [];
    for (const visit of [...pages, ...governorPages]) {
      const app = await openApp(visit.url, { as: visit.as, width: 390 });
      try {
        for (const overlap of (await overlappingAxisLabels(app.page)).overlaps) overlapping.push(`${visit.url}: ${overlap}`);
        const width = await app.page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth));
        if (width > 390) {
          // Which elements stick out (whose parent does not, and no scrolling box holds): the cause, named in the failure.
          const culprits = await app.page.evaluate(() => {
            const out: string[] = [];
            for (const el of document.body.querySelectorAll("*")) {
              const right = el.getBoundingClientRect().right;
              const parent = el.parentElement;
              let clipped = false;
              for (let a = parent; a && !clipped; a = a.parentElement) clipped = ["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(a).overflowX);
              if (right > 391 && parent && (!clipped || getComputedStyle(el).position === "absolute") && parent.getBoundingClientRect().right <= 391 && out.length < 3) {
                out.push(`${el.tagName.toLowerCase()}${el.className && typeof el.className === "string" ? `.${el.className.split(" ").join(".")}` : ""} (${Math.round(right)})`);
              }
            }
            return out;
          });
          tooWide.push(`${visit.url}: ${width} px: ${culprits.join(", ")}`);
          await saveScreenshot(app.page, `phone-too-wide-${visit.id.replace(/[^a-z0-9]+/gi, "-")}`);
        }
        if (visit.url.startsWith("/pupils?") || visit.url === "/pupils" || visit.url === "/users") {
          await saveScreenshot(app.page, `phone-${visit.id.replace(/[^a-z0-9]+/gi, "-")}`);
        }
      } finally {
        await app.close();
      }
    }
    expect(tooWide).toEqual([]);
    expect(overlapping).toEqual([]);
  }, 600_000);
});
