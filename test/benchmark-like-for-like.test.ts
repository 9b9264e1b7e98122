/**
 * trial20 on the head's benchmark report (issue 13, items 2–3 and the staff's small counts), on
 * real DuckDB with the real DfE files shipped in data/benchmarks/:
 * - the school's target is never printed as a published figure: its own table in the PDF, its
 *   own column (target_pct) in the CSV and workbook;
 * - one term's comparison — the whole school's absence and persistent absence and its pupil
 *   groups' — comes from ONE release, the one publishing all of them (Autumn 2024: the census
 *   publishes only absence; the daily data's week 4 publishes both and the groups);
 * - a group published only in another release than the whole school's says so beside it;
 * - the staff's version shows a group smaller than the small-group minimum with its counts
 *   ("Contains small counts — for staff, the local authority or the trust"); the governors' withholds it.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "../analytics/csv.ts";
import { withConnection } from "../analytics/db.ts";
import { setSetting } from "../analytics/settings.ts";
import { NATIONAL_FILE } from "../analytics/benchmarks/load.ts";
import { findBenchmarkSet } from "../analytics/benchmarks/compare.ts";
import { ReportYearError, buildBenchmarkReport, type BenchmarkReport } from "../analytics/benchmarks/report.ts";
import { reportCsv } from "../analytics/benchmarks/report-files.ts";
import { renderReportHtml } from "../analytics/benchmarks/report-html.ts";
import { sourceAddress } from "../analytics/benchmarks/labels.ts";
import { WITHHELD_TEXT } from "../analytics/suppression.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { seedTinySchool } from "./helpers/tiny-school.ts";

const national = (() => {
  const [header, ...rows] = parseCsv(fs.readFileSync(path.resolve(import.meta.dirname, "../data/benchmarks", NATIONAL_FILE), "utf8"), NATIONAL_FILE);
  return rows.map((row) => Object.fromEntries(header.fields.map((field, i) => [field.value, row.fields[i].value])));
})();

const csvRows = (report: BenchmarkReport) => {
  const records = parseCsv(reportCsv(report), "report.csv");
  const header = records[0].fields.map((f) => f.value);
  const end = records.findIndex((record) => record.fields[0].value === "source_ref");
  return records.slice(1, end).map((r) => Object.fromEntries(r.fields.map((f, i) => [header[i], f.value])));
};

describe("trial20: like for like on the head's benchmark report", () => {
  // The tiny school (test/helpers/tiny-school.ts) at the default small-group minimum of 5: every group has 3 pupils.
  // FSM (Ann 1–3) over Autumn 2024: 24 of 120 sessions = 20 %; each 8 of 40 absent, so PA 3 of 3.
  const db = tempDbPath("like-for-like20");
  let [staff, governor]: BenchmarkReport[] = [];

  beforeAll(async () => {
    const request = { academicYear: "2024/25", today: "2025-08-20" };
    [staff, governor] = await withConnection(db, async (c) => {
      await seedTinySchool(c);
      return [await buildBenchmarkReport(c, request), await buildBenchmarkReport(c, { ...request, withholdSmallCounts: true })];
    });
  });
  afterAll(async () => removeDb(db));

  it("never prints the school's target as a published figure (PDF table, CSV column)", () => {
    const html = renderReportHtml(staff);
    const yearTable = /<table data-table="year">[\s\S]*?<\/table>/.exec(html)![0];
    expect(yearTable).not.toMatch(/target/i);
    expect(yearTable).toMatch(/<th class="num">National<\/th>/);
    const targetTable = /<table data-table="target">[\s\S]*?<\/table>/.exec(html)![0];
    expect(targetTable).toMatch(/<th class="num">Target<\/th>/);
    expect(targetTable).not.toMatch(/National/);
    expect(targetTable).toContain("96.1%");
    // The CSV: the target in target_pct, nothing under the published figure's columns.
    const target = csvRows(staff).find((row) => row.section === "target")!;
    expect(target).toMatchObject({ comparator: "School target", target_pct: "96.1", benchmark_pct: "", benchmark_as_published: "", source_ref: "" });
    expect(target.benchmark_basis).toBe("not a published figure: the school's own target (Settings)");
    // Every other row has no target, and a published figure (or none) under benchmark_pct.
    for (const row of csvRows(staff).filter((r) => r.section !== "target")) expect(row.target_pct).toBe("");
  });

  it("compares Autumn 2024's whole school and its groups with one release that publishes all of them", () => {
    const autumn = staff.terms.find((term) => term.key === "autumn-2024")!;
    const [absence, pa] = autumn.lines;
    expect([absence.measure, pa.measure]).toEqual(["overall_absence_pct", "persistent_absence_pct"]);
    // Both measures published, from one source.
    expect(absence.cells[0].benchmark).not.toBeNull();
    expect(pa.cells[0].benchmark).not.toBeNull();
    const ref = absence.cells[0].benchmark!.sourceRef;
    expect(pa.cells[0].benchmark!.sourceRef).toBe(ref);
    const url = national.find((row) => sourceAddress(row.source_url).href === staff.sources[ref - 1].url)!.source_url;
    const published = (group: string, measure: string) =>
      national.find((row) => row.source_url === url && row.academic_year === "2024/25" && row.period === "autumn" && row.group === group && row.measure === measure);
    expect(absence.cells[0].benchmark!.valueText).toBe(published("all", "overall_absence_pct")!.value);
    expect(pa.cells[0].benchmark!.valueText).toBe(published("all", "persistent_absence_pct")!.value);
    // The census's primary absence for the term is in another release, without persistent absence: said, never "no primary figure".
    const census = national.find((row) => row.publication === "Pupil absence in schools in England" && row.academic_year === "2024/25" && row.period === "autumn" && row.phase === "primary" && row.measure === "overall_absence_pct")!;
    expect(absence.cells[0].benchmark!.notes).toContain(
      `A primary figure is published only in another release, Pupil absence in schools in England (school census), 2024/25 autumn term (${census.source_url}), which does not give every measure compared here: this is for all state-funded schools, from the release that does`,
    );
    expect(pa.cells[0].benchmark!.notes).toContain("No primary figure is published: this is for all state-funded schools");
    // All state-funded schools (no primary persistent absence for the term): the caveat, never a badge.
    expect(pa.cells[0].benchmark!.phase).toBe("all-state-funded");
    expect(pa.cells[0].comparison).toMatchObject({ direction: null, words: "for reference only: all state-funded schools, secondary and special included — not like for like" });
    // The groups over the same term: the same release, cited once.
    expect(staff.groupPeriod.key).toBe("autumn-2024");
    const fsm = staff.groups.find((group) => group.group === "fsm-eligible")!;
    for (const line of fsm.lines) expect(line.cells[0].benchmark!.sourceRef).toBe(ref);
    expect(fsm.lines[0].cells[0].benchmark!.valueText).toBe(published("fsm-eligible", "overall_absence_pct")!.value);
    expect(staff.sources.filter((source) => staff.terms[0].lines.some((l) => l.cells[0].benchmark?.sourceRef === source.ref))).toHaveLength(1);
  });

  it("says beside a group's figures when they are published only in another release than the whole school's", async () => {
    // 2018/19 full year: the SEN groups are in a table-tool permalink, the whole school's figures elsewhere.
    const request = { academicYear: "2018/19", period: "year-to-date" as const, yearComplete: true };
    const measures = ["overall_absence_pct", "persistent_absence_pct"] as const;
    const [whole, group] = await withConnection(db, async (c) => [
      await findBenchmarkSet(c, request, [...measures]),
      await findBenchmarkSet(c, { ...request, groupType: "sen", group: "sen-support" }, [...measures]),
    ]);
    const wholeUrl = [...whole.values()].find((b) => b)!.sourceUrl;
    const groupFigure = group.get("persistent_absence_pct")!;
    expect(groupFigure.sourceUrl).not.toBe(wholeUrl);
    expect(groupFigure.valueText).toBe(national.find((row) => row.source_url === groupFigure.sourceUrl && row.academic_year === "2018/19" && row.group === "sen-support" && row.measure === "persistent_absence_pct")!.value);
    const note = groupFigure.notes.find((n) => n.startsWith("From another release"));
    expect(note).toContain(`the group's are published only in Pupil absence in schools in England (school census), table tool (${groupFigure.sourceUrl})`);
    expect(note).toContain(`the whole school's are from Pupil absence in schools in England (school census), table tool (${wholeUrl})`);
    // A group in the whole school's own release says nothing of the kind (Autumn 2024, above).
    const fsm = staff.groups.find((g) => g.group === "fsm-eligible")!;
    expect(fsm.lines.flatMap((l) => l.cells[0].benchmark!.notes).filter((n) => n.startsWith("From another release"))).toEqual([]);
  });

  it("shows staff a group under the small-group minimum with its counts; withholds it from governors", () => {
    const fsm = staff.groups.find((group) => group.group === "fsm-eligible")!;
    expect(staff.smallGroupMin).toBe(5);
    expect(fsm).toMatchObject({ pupils: 3, suppressed: false, withheld: null });
    expect(fsm.lines.map((line) => [line.school, line.numerator, line.denominator])).toEqual([
      [20, 24, 120],
      [100, 3, 3],
    ]);
    const rows = csvRows(staff).filter((row) => row.section === "group" && row.group === "Eligible for free school meals");
    expect(rows.map((row) => [row.pupils, row.school_pct, row.numerator, row.denominator])).toEqual([
      ["3", "20.0", "24", "120"],
      ["3", "100.0", "3", "3"],
    ]);
    expect(reportCsv(staff)).not.toContain("Withheld: fewer than");
    expect(staff.notes.join(" ")).toContain("Staff's version: groups of fewer than 5 pupils (Eligible for free school meals: 3;");
    // The governors' version withholds it, in the one word every withheld figure reads.
    expect(governor.groups.find((group) => group.group === "fsm-eligible")).toMatchObject({ pupils: null, suppressed: true, lines: [], withheld: WITHHELD_TEXT });
  });
});

describe("trial20: the staff's small-group minimum is a governors' rule only", () => {
  it("keeps a setting's minimum out of the staff's report whatever it is", async () => {
    const db = tempDbPath("like-for-like20-min");
    try {
      await withConnection(db, async (c) => {
        await seedTinySchool(c);
        await setSetting(c, "small_group_min", "10");
      });
      const report = await withConnection(db, (c) => buildBenchmarkReport(c, { academicYear: "2024/25", today: "2025-08-20" }));
      expect(report.groups.filter((group) => group.pupils! > 0).every((group) => !group.suppressed && group.lines.length === 2)).toBe(true);
    } finally {
      await removeDb(db);
    }
  });
});

describe("trial 54: a year not begun", () => {
  it("is refused in words naming when it starts and a year that has begun, for staff and governors alike", async () => {
    const db = tempDbPath("like-for-like54-future");
    try {
      await withConnection(db, (c) => seedTinySchool(c));
      for (const withholdSmallCounts of [false, true]) {
        await expect(withConnection(db, (c) => buildBenchmarkReport(c, { academicYear: "2030/31", today: "2026-12-07", withholdSmallCounts }))).rejects.toThrow(
          new ReportYearError("2030/31 has not begun (it starts on 1 Aug 2030; today is 7 Dec 2026): give a year that has, such as 2026/27"),
        );
      }
    } finally {
      await removeDb(db);
    }
  });
});
