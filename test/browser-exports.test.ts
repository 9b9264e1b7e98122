/**
 * Which browser-built CSVs /audit/exports records (app/lib/browser-exports.server.ts): only a
 * chart's CSV the role could make on a page it may open. The fresh-clone trial's padding — a
 * governor reporting `pupils_….csv`, 240 rows, from the Pupils list — is refused.
 */
import { describe, expect, it } from "vitest";
import { checkBrowserExport } from "../app/lib/browser-exports.server.ts";

describe("checkBrowserExport", () => {
  it("refuses a governor's report of the Pupils list, which a governor cannot open", () => {
    const verdict = checkBrowserExport("governor", "pupils_2026-08-01-to-2026-12-02.csv", "240", "/pupils");
    expect(verdict).toEqual({ ok: false, why: "no chart CSV is made on /pupils" });
    const pupilPage = checkBrowserExport("governor", "pupil-a123456789012-attendance-by-week_governors.csv", "3", "/pupils/A123456789012");
    expect(pupilPage).toEqual({ ok: false, why: "this role may not open /pupils/A123456789012" });
  });

  it("refuses a file named for another audience, another page's chart, or a bad row count", () => {
    expect(checkBrowserExport("governor", "attendance-by-week_staff.csv", "12", "/trends")).toMatchObject({ ok: false, why: expect.stringContaining('"governors"') });
    expect(checkBrowserExport("head", "pupils_staff.csv", "12", "/trends")).toMatchObject({ ok: false, why: '/trends has no chart named "pupils"' });
    expect(checkBrowserExport("head", "attendance-by-week_staff.csv", "-1", "/trends")).toMatchObject({ ok: false });
    expect(checkBrowserExport("head", "attendance-by-week_staff.csv", "100001", "/trends")).toMatchObject({ ok: false });
  });

  it("refuses a chart name padded with words a chart CSV's name never has (trial20c: a pupil's name and UPN)", () => {
    expect(checkBrowserExport("governor", "weekly-attendance_George Baker T893327099991 all pupils named_governors.csv", "240", "/?pupil=George Baker")).toEqual({
      ok: false,
      why: "the file is not named as a chart's CSV is",
    });
  });

  it("accepts each role's own chart CSV and records the page by its path (a query is the sender's words)", () => {
    expect(checkBrowserExport("governor", "attendance-by-week_2025-09-01-to-2025-12-19_governors.csv", "16", "/trends?from=2025-09-01")).toEqual({ ok: true, page: "/trends", rows: 16 });
    expect(checkBrowserExport("governor", "weekly-attendance_2026-08-01-to-2026-12-02_governors.csv", "16", "/?pupil=George%20Baker")).toEqual({ ok: true, page: "/", rows: 16 });
    expect(checkBrowserExport("head", "pupil-a123456789012-attendance-by-month_staff.csv", "4", "/pupils/A123456789012")).toEqual({ ok: true, page: "/pupils/A123456789012", rows: 4 });
    expect(checkBrowserExport("head", "pupil-b999999999999-attendance-by-month_staff.csv", "4", "/pupils/A123456789012")).toMatchObject({ ok: false });
  });
});
