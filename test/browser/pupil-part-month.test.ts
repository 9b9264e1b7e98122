/**
 * The pupil page's monthly chart in a real browser: December, of which the period covers 1
 * of 15 school days, is marked "Dec 2024*" on the chart's axis and said under it, and the
 * chart's table gives every month's school days covered. Register:
 * test/helpers/part-month-register.ts.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../../analytics/db.ts";
import { seedPartMonthRegister } from "../helpers/part-month-register.ts";
import { startSignedInApp, type AppSession } from "../helpers/app-session.ts";
import { saveScreenshot } from "../helpers/browser.ts";
import type { Locator } from "playwright-core";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-part-month-"));
const db = path.join(dir, "school.duckdb");
let app: AppSession;

beforeAll(async () => {
  await withConnection(db, seedPartMonthRegister);
  app = await startSignedInApp(db, "slt", { ROLLCALL_TODAY: "2024-12-02" });
});

afterAll(async () => {
  await app?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The pupil's page over 2 Sep – 2 Dec 2024, once its monthly chart is drawn. */
async function openChart(upn: string, width?: number) {
  const page = await app.context.newPage();
  if (width !== undefined) await page.setViewportSize({ width, height: 844 });
  await page.goto(`${app.url}/pupils/${upn}?period=custom&from=2024-09-02&to=2024-12-02`, { waitUntil: "networkidle" });
  const figure = page.locator(`figure[data-chart="pupil-${upn}-attendance-by-month"]`);
  await figure.locator(".recharts-cartesian-axis-tick").first().waitFor({ timeout: 10000 });
  return { page, figure };
}

/** The chart's table, opened, one line of text a row. */
async function tableRows(figure: Locator): Promise<string[]> {
  await figure.locator("summary").click();
  return (await figure.locator("table tbody tr").allInnerTexts()).map((r) => r.replace(/\s+/g, " ").trim());
}

describe("the pupil page's monthly chart", () => {
  it("shows December (1 of its 15 school days) as part of a month, on the axis, under the chart and in its table", async () => {
    const { page, figure } = await openChart("P");
    try {
      const ticks = (await figure.locator(".recharts-xAxis .recharts-cartesian-axis-tick").allTextContents()).map((t) => t.trim());
      expect(ticks).toContain("Dec 2024*");
      expect(ticks).toContain("Nov 2024");
      expect((await figure.getByTestId("part-months").innerText()).replace(/\s+/g, " ")).toBe(
        "* Dec 2024 covers 1 of its 15 school days, so its figure is of those days only.",
      );
      expect(await tableRows(figure)).toEqual([
        "2024-09 100.0% 42 Whole month",
        "2024-10 100.0% 46 Whole month",
        "2024-11 100.0% 42 Whole month",
        "2024-12 0.0% 2 Part month: 1 of its 15 school days",
      ]);
      await figure.scrollIntoViewIfNeeded();
      await saveScreenshot(page, "pupil-part-month");
      await figure.screenshot({ path: path.resolve("test-results/screenshots/pupil-part-month-chart.png") });
    } finally {
      await page.close();
    }
  });

  it("says November is not a whole month for R, on roll throughout but marked on 6 of its 21 school days", async () => {
    const { page, figure } = await openChart("R");
    try {
      expect((await figure.getByTestId("part-months").innerText()).replace(/\s+/g, " ")).toBe(
        "* Nov 2024 has 12 of 42 sessions marked (15 school days unmarked), so its figure is of those sessions only; Dec 2024 covers 1 of its 15 school days, so its figure is of those days only. Unmarked days are listed on Register checks.",
      );
      expect(await tableRows(figure)).toEqual([
        "2024-09 100.0% 42 Whole month",
        "2024-10 100.0% 46 Whole month",
        "2024-11 100.0% 12 12 of 42 sessions marked; 15 school days unmarked — see Register checks",
        "2024-12 100.0% 2 Part month: 1 of its 15 school days",
      ]);
    } finally {
      await page.close();
    }
  });

  // At 00:00 on Mon 2 Dec none of that day's sessions is due: S's Monday is not yet unmarked (the
  // calendar draws it "not yet", Register checks does not list it), and December has no session
  // due for S yet, so no row (test/pupil-part-month.test.ts reads December at 16:00).
  it("gives S, marked in September and October only, a row for November and says the unmarked days under the attendance tile", async () => {
    const { page, figure } = await openChart("S");
    try {
      // A trial's pupil read "100.0 %, 72 of 72" with no word of the months unmarked.
      expect((await page.getByTestId("pupil-unmarked").innerText()).replace(/\s+/g, " ")).toBe("Of marked sessions only: 21 school days on roll unmarked — see Register checks");
      const ticks = (await figure.locator(".recharts-xAxis .recharts-cartesian-axis-tick").allTextContents()).map((t) => t.trim());
      expect(ticks).toEqual(["Sep 2024", "Oct 2024", "Nov 2024*"]);
      // The key: November was a whole month on roll without a mark, no "part month" (trial22b).
      expect(await figure.locator(".recharts-legend-wrapper").innerText()).toContain("Not a whole month (*)");
      expect((await figure.getByTestId("part-months").innerText()).replace(/\s+/g, " ")).toBe(
        // A whole month on roll with no mark is no "part month" with "its figure of those days only" (a trial read both beside "no figure").
        "* Nov 2024 has no marks (0 of 42 sessions; 21 school days unmarked), so no figure. Unmarked days are listed on Register checks.",
      );
      expect(await tableRows(figure)).toEqual([
        "2024-09 100.0% 42 Whole month",
        "2024-10 100.0% 46 Whole month",
        "2024-11 — 0 0 of 42 sessions marked; 21 school days unmarked — see Register checks",
      ]);
    } finally {
      await page.close();
    }
  });

  it("labels each of three months on a phone's width too (review 47: the axis padded sideways had left room for two)", async () => {
    const { page, figure } = await openChart("S", 390);
    try {
      const ticks = (await figure.locator(".recharts-xAxis .recharts-cartesian-axis-tick").allTextContents()).map((t) => t.trim());
      expect(ticks).toEqual(["Sep 2024", "Oct 2024", "Nov 2024*"]);
    } finally {
      await page.close();
    }
  });

  it("draws S's unmarked sessions on the register calendar as gaps only once their registers have closed: at 00:00 on Mon 2 Dec, that day's two are not yet due (trial 27: drawn as gaps)", async () => {
    const { page } = await openChart("S");
    try {
      const calendar = page.getByTestId("register-calendar");
      const notDue = calendar.getByTestId("register-not-due");
      expect(await notDue.count()).toBe(2);
      expect(await notDue.evaluateAll((spans) => spans.map((s) => s.getAttribute("title")))).toEqual([
        "Mon 2 Dec 2024 AM: no mark yet (its register has not closed)",
        "Mon 2 Dec 2024 PM: no mark yet (its register has not closed)",
      ]);
      // Drawn, not blank (trial 49: a phone shows no title, and the blank cells read as nothing), and keyed.
      expect(await notDue.allInnerTexts()).toEqual(["…", "…"]);
      expect((await page.locator(".register-legend").innerText()).replace(/\s+/g, " ")).toContain("… No mark yet (its register has not closed)");
      // Friday 29 November's, long closed, are gaps.
      expect(await calendar.locator('[title="Fri 29 Nov 2024 AM: no mark (register gap)"]').count()).toBe(1);
      expect(await calendar.locator('[title="Fri 29 Nov 2024 PM: no mark (register gap)"]').count()).toBe(1);
    } finally {
      await page.close();
    }
  });

  it("the Pupils list says S's 21 (Monday not yet due) and R's 15 unmarked school days beside their rates, and P's none; no register notice (marked to today)", async () => {
    const page = await app.context.newPage();
    try {
      await page.goto(`${app.url}/pupils?period=custom&from=2024-09-02&to=2024-12-02`, { waitUntil: "networkidle" });
      const row = (name: string) => page.locator("tbody tr").filter({ has: page.getByRole("link", { name }) });
      // A trial's pupil read "100.0%" on the list beside classmates with 42 more sessions, nothing flagged.
      expect((await row("Surname S, Forename S").getByTestId("pupil-unmarked-days").innerText()).trim()).toBe("21 school days unmarked");
      expect((await row("Surname R, Forename R").getByTestId("pupil-unmarked-days").innerText()).trim()).toBe("15 school days unmarked");
      expect(await row("Surname P, Forename P").getByTestId("pupil-unmarked-days").count()).toBe(0);
      expect(await page.getByTestId("register-notice").count()).toBe(0);
    } finally {
      await page.close();
    }
  });
});
