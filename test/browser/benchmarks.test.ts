/**
 * The Benchmarks page in real Chromium against the built app on the demo school
 * (today = 2026-11-23): the comparison tables, sources, and the three downloads.
 */
import fs from "node:fs";
import ExcelJS from "exceljs";
import { afterAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { parseCsv } from "../../analytics/csv.ts";
import { closeBrowser, fetchAs, openApp, saveScreenshot, waitForPage } from "../helpers/browser.ts";

afterAll(async () => closeBrowser());

describe("Benchmarks page", () => {
  it("shows the school against national figures with sources, without errors", async () => {
    const app = await openApp("/benchmarks?year=2024/25");
    try {
      const { page } = app;
      await expect(page.locator("h1").first().textContent()).resolves.toBe("Benchmarks");
      const year = page.getByTestId("benchmark-year");
      await expect(year.locator("caption").textContent()).resolves.toMatch(/^2024\/25 full year: 1 Aug 2024 to 21 Jul 2025 \(first school day 4 Sep 2024\)/);
      const overall = year.locator("tr", { hasText: "Overall absence" });
      await expect(overall.textContent()).resolves.toMatch(/primary, 2024\/25 full year/);
      await expect(overall.textContent()).resolves.toMatch(/pts (better|worse)|same/);
      // Severe absence has no published figure for 2024/25: said in words, never 0.
      await expect(year.locator("tr", { hasText: "Severe absence" }).textContent()).resolves.toContain("No published figure");
      // Footnote links lead to a numbered source with its address.
      const footnote = overall.locator("sup a").first();
      const target = await footnote.getAttribute("href");
      expect(target).toMatch(/^#source-\d+$/);
      await expect(page.locator(target!).textContent()).resolves.toMatch(/https:\/\//);
      await expect(page.getByTestId("benchmark-groups").locator("caption").textContent()).resolves.toBe("Groups, Autumn 2024: pupils aged 5–15 (the DfE's basis)");
      // Every row says whose figures it is (trial 16a): the target row the whole roll, the compared rows the DfE's basis.
      // The target is the school's own, in a table of its own under "Target", never under "National" (trial20).
      const targetTable = page.getByTestId("benchmark-target");
      await expect(targetTable.locator("tr", { hasText: "school's target" }).locator("[data-population]").textContent()).resolves.toMatch(/^[\d,]+ pupils on the whole roll/);
      expect(await targetTable.locator("thead th").allTextContents()).toEqual(["Measure", "School", "Target", "Compared"]);
      await expect(targetTable.locator("tbody td").nth(1).textContent()).resolves.toMatch(/^96\.1%school target \(Settings\)$/);
      expect(await year.locator("tr", { hasText: /target/i }).count()).toBe(0);
      // Autumn 2024: absence and persistent absence from one release, which also gives the groups (trial20).
      const autumn = page.getByTestId("benchmark-terms").locator("tbody tr", { hasText: "Autumn 2024" });
      const refs = await autumn.locator("sup a").allTextContents();
      expect(refs).toHaveLength(2);
      expect(new Set(refs).size).toBe(1);
      await expect(autumn.textContent()).resolves.not.toContain("No published figure");
      const groupRefs = await page.getByTestId("benchmark-groups").locator("sup a").allTextContents();
      expect(groupRefs.length).toBeGreaterThan(0);
      expect(new Set(groupRefs)).toEqual(new Set(refs));
      // The head (staff) sees every group's count, the EHC plan's 3 pupils included (trial20).
      await expect(page.getByTestId("benchmark-groups").locator("tbody tr", { hasText: "EHC plan" }).locator("td").first().textContent()).resolves.toMatch(/^\d+$/);
      await expect(page.getByTestId("benchmark-groups").textContent()).resolves.not.toMatch(/withheld/i);
      for (const text of await year.locator("tr", { hasText: "absence" }).locator("[data-population]").allTextContents()) expect(text).toMatch(/^[\d,]+ pupils aged 5–15 \(the DfE's basis/);
      expect(await page.getByTestId("published-figures").locator("tbody tr").count()).toBeGreaterThan(10);
      await saveScreenshot(page, "benchmarks-2024-25");
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it("adds a local authority and its region when chosen", async () => {
    // The year first: only areas with figures for the year shown are offered (trial 29).
    const app = await openApp("/benchmarks?year=2024/25");
    try {
      const { page } = app;
      await page.selectOption("#area", { label: "Suffolk" });
      await Promise.all([waitForPage(page, /area=E10000029/), page.getByRole("button", { name: "Show" }).click()]);
      const heads = await page.getByTestId("benchmark-year").locator("thead th").allTextContents();
      expect(heads).toEqual(expect.arrayContaining(["National", "East of England", "Suffolk"]));
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it("a year the register has no marks for offers no report and says why, and its terms are not said to be to come (trial 30b)", async () => {
    const app = await openApp("/benchmarks?year=1999%2F00");
    try {
      const { page } = app;
      expect(await page.getByTestId("benchmark-no-report").innerText()).toBe("No benchmark report is made for 1999/00: the register has no marks for it.");
      expect(await page.getByTestId("download-pdf").count()).toBe(0);
      expect(await page.locator("main").innerText()).toContain("No register marks are stored for 1999/00, so no term has figures.");
      expect(await page.locator("main").innerText()).not.toContain("has begun");
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it("downloads the report as PDF, XLSX and CSV from the page", async () => {
    const app = await openApp("/benchmarks?year=2025/26");
    try {
      const { page } = app;
      const fetchDownload = async (testId: string, viaKeyboard = false) => {
        const link = page.getByTestId(testId);
        const started = Date.now();
        const [download] = await Promise.all([
          page.waitForEvent("download"),
          viaKeyboard ? link.focus().then(() => page.keyboard.press("Enter")) : link.click(),
        ]);
        const file = await download.path();
        return { name: download.suggestedFilename(), body: fs.readFileSync(file!), ms: Date.now() - started };
      };
      const pdf = await fetchDownload("download-pdf", true);
      expect(pdf.name).toMatch(/^benchmark-report_2025-26_groups-[a-z0-9-]+_staff\.pdf$/);
      expect(pdf.body.subarray(0, 5).toString()).toBe("%PDF-");

      const xlsx = await fetchDownload("download-xlsx");
      expect(xlsx.name).toMatch(/^benchmark-report_2025-26_groups-[a-z0-9-]+_staff\.xlsx$/);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer);
      expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(["Benchmark report", "Sources"]);

      const csv = await fetchDownload("download-csv");
      expect(csv.name).toMatch(/^benchmark-report_2025-26_groups-[a-z0-9-]+_staff\.csv$/);
      const text = csv.body.toString("utf8");
      expect(text.split("\r\n")[0]).toMatch(/^section,period,from,to,group/);
      // The page and the CSV show the same school figure for overall absence.
      const onPage = await page.getByTestId("benchmark-year").locator("tr", { hasText: "Overall absence" }).locator("td strong").first().textContent();
      const row = text.split("\r\n").find((line) => line.startsWith("year,") && line.includes("Overall absence"))!;
      const schoolPct = Number(row.split(",")[text.split("\r\n")[0].split(",").indexOf("school_pct")]);
      expect(onPage).toBe(`${schoolPct.toFixed(1)}%`);
      console.info(`benchmark downloads: pdf ${pdf.body.length} B in ${pdf.ms} ms, xlsx ${xlsx.body.length} B in ${xlsx.ms} ms, csv ${csv.body.length} B in ${csv.ms} ms`);
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it("imports an open-data file from the page: a bad one is refused with line and column", async () => {
    const app = await openApp("/benchmarks?year=2024/25");
    try {
      const { page } = app;
      const header = "time_period,time_identifier,geographic_level,country_code,country_name,school_type,overall_absence_perc";
      const upload = async (name: string, text: string) => {
        await page.setInputFiles("#file", { name, mimeType: "text/csv", buffer: Buffer.from(text) });
        await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.getByRole("button", { name: "Import" }).click()]);
        await page.waitForLoadState("networkidle");
      };
      await upload("bad.csv", `${header}\n202526,Academic year,National,E92000001,England,Primary,lots\n`);
      // The action's answer re-renders after its revalidation: poll until the page shows it.
      const settled = (testId: string) => expect.poll(() => page.getByTestId(testId).textContent(), { timeout: 15_000 });
      await settled("import-error").toMatch(/bad\.csv:2:7: overall_absence_perc "lots" is not a percentage/);
      // A chosen empty file is refused by its name, never taken for no file chosen (a fresh-clone trial's Import page).
      await upload("empty.csv", "");
      await settled("import-error").toBe("Refused empty.csv:1:1: the file is empty: expected a header row. Nothing was imported: the benchmarks are unchanged.");
      // A national row published as not available ("x") is stored as such, never as 0.
      await upload("good.csv", `${header}\n202627,Academic year,National,E92000001,England,Primary,x\n`);
      await settled("import-summary").toMatch(/good\.csv: 1 row read .* 1 figure \(1 not published\): 1 new/);
      await upload("good.csv", `${header}\n202627,Academic year,National,E92000001,England,Primary,x\n`);
      await settled("import-summary").toMatch(/0 new, 1 already stored/);
      await saveScreenshot(page, "benchmarks-import");
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it("withholds small counts from a governor on the page and in every download; the head still sees them (issue 9)", async () => {
    type Line = { measure: string; numerator: number | null; denominator: number | null; unit: string; withheld: string | null };
    type Report = {
      academicYear: string;
      smallGroupMin: number;
      smallCountsWithheld: boolean;
      year: { lines: Line[] };
      terms: Array<{ lines: Line[] }>;
      groups: Array<{ label: string; pupils: number | null; lines: Line[] }>;
    };
    const reportAs = async (role: "governor" | "head") => {
      const app = await openApp("/benchmarks", { as: role });
      const data = await app.page.evaluate(
        () => (window as unknown as { __remixContext: { state: { loaderData: Record<string, { report: unknown }> } } }).__remixContext.state.loaderData["routes/benchmarks"].report,
      );
      return { app, report: data as Report };
    };
    const lines = (report: Report) => [...report.year.lines, ...report.terms.flatMap((t) => t.lines), ...report.groups.flatMap((g) => g.lines)];
    const small = (n: number | null, min: number) => n !== null && n > 0 && n < min;

    const head = await reportAs("head");
    const min = head.report.smallGroupMin;
    let headSmall: Line[];
    try {
      expect(head.report.smallCountsWithheld).toBe(false);
      // The demo has small counts (e.g. EHC plan's persistently absent pupils): the head sees them.
      headSmall = lines(head.report).filter((line) => line.unit === "pupils" && small(line.numerator, min));
      expect(headSmall.length).toBeGreaterThan(0);
    } finally {
      await head.app.close();
    }

    const governor = await reportAs("governor");
    try {
      const { page } = governor.app;
      expect(governor.report.smallCountsWithheld).toBe(true);
      // Not in the page's data at all (what the loader sent), nor on the page.
      expect(lines(governor.report).filter((line) => line.unit === "pupils" && small(line.numerator, min))).toEqual([]);
      expect(governor.report.groups.filter((g) => small(g.pupils, min))).toEqual([]);
      expect(await page.getByTestId("withheld").count()).toBeGreaterThan(0);
      // Withheld in the one word every withheld figure reads (never "fewer than 5": it told which were small).
      await expect(page.getByTestId("benchmark-groups").textContent()).resolves.toContain("withheld");
      expect((await page.getByTestId("benchmark-groups").textContent()) ?? "").not.toMatch(/fewer than \d/);
      // A withheld group's pupils read "withheld" too, never a dash (a fresh-clone trial saw "—").
      // Every group row's pupils cell is a count or "withheld"; a wholly withheld group (none on the
      // demo since severe absence is not given by pupil group: its SEND groups are shown) reads "withheld".
      const withheldRows = page.getByTestId("benchmark-groups").locator("tbody tr", { has: page.locator("td.hint", { hasText: /^withheld$/ }) });
      for (const cells of await withheldRows.evaluateAll((rows) => rows.map((r) => (r.querySelector("td")?.textContent ?? "").trim()))) expect(cells).toBe("withheld");
      const pupilsCells = await page.getByTestId("benchmark-groups").locator("tbody tr").evaluateAll((rows) => rows.map((r) => (r.querySelector("td")?.textContent ?? "").trim()));
      expect(pupilsCells.length).toBeGreaterThan(0);
      expect(pupilsCells.filter((cell) => !/^(withheld|[\d,]+)$/.test(cell))).toEqual([]);
      expect(pupilsCells.filter((cell) => cell === "withheld").length).toBe(governor.report.groups.filter((g) => g.pupils === null).length);
      const text = (await page.locator("main").textContent()) ?? "";
      expect(text.match(new RegExp(`\\b[1-${min - 1}] of [\\d,]+ pupils`, "g")) ?? []).toEqual([]);
      // A governor may not import: neither the form nor the link to it is offered.
      expect(await page.locator("#file").count()).toBe(0);
      expect(text).not.toContain("Import a DfE open-data file");
      await saveScreenshot(page, "benchmarks-governor");
      expect(governor.app.consoleErrors).toEqual([]);
    } finally {
      await governor.app.close();
    }

    // The downloads: CSV, workbook and PDF, as each role.
    const query = `?year=${encodeURIComponent(head.report.academicYear)}`;
    const names = new Map<string, string>();
    const download = async (role: "governor" | "head", format: string) => {
      const response = await fetchAs(role, `/benchmarks/report/${format}${query}`);
      expect(response.status).toBe(200);
      names.set(`${role} ${format}`, /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? "");
      return Buffer.from(await response.arrayBuffer());
    };
    /** Pupil counts (numerator of a rate in pupils, a group's pupils) under the minimum in a table of rows. */
    const smallInRows = (header: string[], rows: string[][]) => {
      const at = (name: string) => header.indexOf(name);
      return rows.filter((row) => (row[at("unit")] === "pupils" && small(Number(row[at("numerator")]) || null, min)) || small(Number(row[at("pupils")]) || null, min));
    };
    const csvRows = (body: Buffer) => {
      const records = parseCsv(body.toString("utf8"), "report.csv").map((r) => r.fields.map((f) => f.value));
      const end = records.findIndex((r) => r[0] === "source_ref");
      return { header: records[0], rows: records.slice(1, end) };
    };
    const xlsxRows = async (body: Buffer) => {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(body as unknown as ArrayBuffer);
      const rows: string[][] = [];
      workbook.getWorksheet("Benchmark report")!.eachRow((row, n) => n > 3 && rows.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? "" : String(v)))));
      const header = rows.shift()!.map((h) => ({ Pupils: "pupils", Numerator: "numerator", "Counted in": "unit" })[h] ?? h);
      return { header, rows };
    };
    const pdfText = (body: Buffer) => {
      const file = path.join(os.tmpdir(), `benchmark-report-${process.pid}-${Date.now()}.pdf`);
      fs.writeFileSync(file, body);
      try {
        return execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
      } finally {
        fs.rmSync(file, { force: true });
      }
    };
    const smallInPdf = (text: string) => text.match(new RegExp(`(?<![\\d,])[1-${min - 1}] / [\\d,]+ pupils`, "g")) ?? [];

    const headCsv = csvRows(await download("head", "csv"));
    expect(smallInRows(headCsv.header, headCsv.rows).length).toBeGreaterThan(0);
    const govCsv = csvRows(await download("governor", "csv"));
    expect(smallInRows(govCsv.header, govCsv.rows)).toEqual([]);
    expect(govCsv.rows.some((row) => row.join(",").includes("withheld"))).toBe(true);

    const headXlsx = await xlsxRows(await download("head", "xlsx"));
    expect(smallInRows(headXlsx.header, headXlsx.rows).length).toBeGreaterThan(0);
    const govXlsx = await xlsxRows(await download("governor", "xlsx"));
    expect(smallInRows(govXlsx.header, govXlsx.rows)).toEqual([]);

    expect(smallInPdf(pdfText(await download("head", "pdf"))).length).toBeGreaterThan(0);
    const govPdf = pdfText(await download("governor", "pdf"));
    expect(smallInPdf(govPdf)).toEqual([]);
    expect(govPdf).toContain("withheld");
    // Each audience's file its own name, so a head's and a governor's download never overwrite
    // each other (a fresh-clone trial saved both as benchmark-report-2025-26.pdf).
    for (const format of ["csv", "xlsx", "pdf"]) {
      expect(names.get(`head ${format}`)).toMatch(new RegExp(`^benchmark-report_\\d{4}-\\d{2}_groups-[a-z0-9-]+_staff\\.${format}$`));
      expect(names.get(`governor ${format}`)).toBe(names.get(`head ${format}`)!.replace("_staff.", "_governors."));
    }
  });

  it("cites the same release on the Overview and on Benchmarks for the same period (issue 13, case 2)", async () => {
    for (const role of ["governor", "head"] as const) {
      const overview = await openApp("/", { as: role });
      let cited: string;
      try {
        cited = (await overview.page.getByTestId("national-source").textContent()) ?? "";
        // The newest release covering the year (2025/26's, as nothing for 2026/27 is published yet).
        expect(cited).toMatch(/Pupil attendance in schools \(daily attendance data\): 2025\/26 year to date to 10 Jul 2026/);
        expect(cited).toMatch(/https:\/\//);
        if (role === "governor") await saveScreenshot(overview.page, "overview-governor-national");
        expect(overview.consoleErrors).toEqual([]);
      } finally {
        await overview.close();
      }
      const benchmarks = await openApp("/benchmarks", { as: role });
      try {
        const year = benchmarks.page.getByTestId("benchmark-year");
        for (const measure of ["Overall absence", "Persistent absence"]) {
          await expect(year.locator("tr", { hasText: measure }).textContent()).resolves.toContain("2025/26 year to date to 10 Jul 2026");
        }
        const sources = (await benchmarks.page.locator(".benchmark-sources").textContent()) ?? "";
        expect(sources).toContain("2025/26 year to date to 10 Jul 2026");
      } finally {
        await benchmarks.close();
      }
    }
  });
});
