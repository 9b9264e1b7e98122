/**
 * A better/worse verdict against a published figure only when it covers the same period
 * (issue 13, items 1–3, like for like): the same academic year and span — a year-to-date
 * release ending at or near the school's period end, or the full year against the school's
 * full year. Otherwise the figure is shown for reference with its period, and no verdict.
 * One function (analytics/benchmarks/comparison.ts compareWithNational + likeForLike) for the
 * Overview, Groups, Benchmarks, the head's report and both packs; tested here on the real DfE
 * files shipped in data/benchmarks/.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection, type Connection } from "../analytics/db.ts";
import { ensureShippedBenchmarks } from "../analytics/benchmarks/load.ts";
import { findBenchmarkSet } from "../analytics/benchmarks/compare.ts";
import { compareWithNational, likeForLike } from "../analytics/benchmarks/comparison.ts";
import { nationalFiguresFor } from "../analytics/benchmarks/for-period.ts";
import { buildBenchmarkReport } from "../analytics/benchmarks/report.ts";
import { headlineMeasures } from "../analytics/packs/sections.ts";
import { setSetting } from "../analytics/settings.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { daysOf, seedRegister } from "./helpers/register.ts";

/** Two pupils over `days` of one year; Ann misses one session in ten (absence 5 % of the school's sessions over two pupils). */
async function seedSchool(c: Connection, year: string, term: string, days: string[]) {
  for (const date of days) await c.run(`INSERT INTO school_days VALUES ($date::DATE, $year, $term, $half)`, { date, year, term, half: `${term.split("-")[0]}-1-${term.split("-")[1]}` });
  const present = Object.fromEntries(days.map((d) => [d, ["/", "/"] as [string, string]]));
  await seedRegister(c, {
    pupils: [
      { upn: "A1", forename: "Ann", dob: "2017-01-01", spells: [{ from: days[0] }] },
      { upn: "B1", forename: "Ben", dob: "2017-01-01", spells: [{ from: days[0] }] },
    ],
    marks: [...daysOf("A1", { ...present, [days[0]]: ["I", "/"] }), ...daysOf("B1", present)],
  });
  await setSetting(c, "small_group_min", "3");
}

describe("likeForLike", () => {
  const ytd = { academicYear: "2026/27", kind: "year-to-date" as const, to: "2026-10-23", complete: false };
  it("a year to date against a release ending within two weeks of it: like", () => {
    expect(likeForLike(ytd, { academicYear: "2026/27", period: "year-to-date", periodEnd: "2026-10-17" }).like).toBe(true);
  });
  it("a year to date against last year's full year, an old release or the year's full figure: not like", () => {
    expect(likeForLike(ytd, { academicYear: "2025/26", period: "full-year", periodEnd: null })).toMatchObject({ like: false });
    expect(likeForLike(ytd, { academicYear: "2025/26", period: "year-to-date", periodEnd: "2026-07-10" }).reason).toMatch(/2025\/26 year to date to 10 Jul 2026, the school's for 2026\/27 to 23 Oct 2026/);
    expect(likeForLike(ytd, { academicYear: "2026/27", period: "year-to-date", periodEnd: "2026-09-19" }).like).toBe(false);
    expect(likeForLike(ytd, { academicYear: "2026/27", period: "full-year", periodEnd: null }).like).toBe(false);
  });
  it("a full year against the same full year, a whole term against the same term: like; a term still running: not", () => {
    expect(likeForLike({ academicYear: "2024/25", kind: "year-to-date", to: "2025-07-22", complete: true }, { academicYear: "2024/25", period: "full-year", periodEnd: null }).like).toBe(true);
    expect(likeForLike({ academicYear: "2025/26", kind: "autumn", to: "2025-12-19", complete: true }, { academicYear: "2025/26", period: "autumn", periodEnd: null }).like).toBe(true);
    expect(likeForLike({ academicYear: "2025/26", kind: "autumn", to: "2025-10-24", complete: false }, { academicYear: "2025/26", period: "autumn", periodEnd: null }).like).toBe(false);
  });
});

describe("on the shipped DfE files", () => {
  let autumn: string;
  let fullYear: string;
  const AUTUMN_2026 = ["2026-09-03", "2026-09-04", "2026-10-22", "2026-10-23", "2026-10-21"];
  const YEAR_2024 = ["2024-09-09", "2024-09-10", "2025-01-06", "2025-07-21", "2025-07-22"];

  beforeAll(async () => {
    autumn = tempDbPath("like-autumn");
    fullYear = tempDbPath("like-year");
    await withConnection(autumn, async (c) => {
      await seedSchool(c, "2026/27", "autumn-2026", AUTUMN_2026);
      // The year's calendar runs on past the register (to July), as a real school's does.
      await c.run(`INSERT INTO school_days VALUES ('2027-07-21'::DATE, '2026/27', 'summer-2027', 'summer-2-2027')`);
      await ensureShippedBenchmarks(c);
    });
    await withConnection(fullYear, async (c) => {
      await seedSchool(c, "2024/25", "autumn-2024", YEAR_2024);
      await ensureShippedBenchmarks(c);
    });
  });
  afterAll(async () => {
    await removeDb(autumn);
    await removeDb(fullYear);
  });

  it("2026/27 to 23 Oct against 2025/26's figure (no 2026/27 one is published): shown for reference, no verdict", async () => {
    await withConnection(autumn, async (c) => {
      const found = await findBenchmarkSet(c, { academicYear: "2026/27", period: "year-to-date", asOf: "2026-10-23", allowEarlierYear: true }, ["overall_absence_pct"]);
      const national = found.get("overall_absence_pct")!;
      expect(national.academicYear).toBe("2025/26");
      const comparison = compareWithNational(4.0, national, false, { academicYear: "2026/27", kind: "year-to-date", to: "2026-10-23", complete: false });
      expect(comparison.direction).toBeNull();
      expect(comparison.words).toMatch(/for reference only: the published figure is for 2025\/26 .*no verdict/);
      expect(comparison.words).not.toMatch(/pts (better|worse)/);
    });
  });

  it("the Overview, the head's report and the packs give no verdict for 2026/27 to 23 Oct", async () => {
    await withConnection(autumn, async (c) => {
      const period = { name: "ytd", from: "2026-08-01", to: "2026-10-23", academicYear: "2026/27" };
      const overview = await nationalFiguresFor(c, period);
      expect(overview.overall_absence_pct?.academicYear).toBe("2025/26");
      expect(overview.span).toEqual({ academicYear: "2026/27", kind: "year-to-date", to: "2026-10-23", complete: false });
      expect(compareWithNational(overview.school.absence_pct, overview.overall_absence_pct, false, overview.span).direction).toBeNull();

      const report = await buildBenchmarkReport(c, { academicYear: "2026/27", today: "2026-10-23" });
      const cells = [report.year, ...report.terms].flatMap((p) => p.lines.flatMap((l) => l.cells)).concat(report.groups.flatMap((g) => g.lines.flatMap((l) => l.cells)));
      expect(cells.some((cell) => cell.benchmark)).toBe(true);
      for (const cell of cells) expect(cell.comparison.direction).toBeNull();

      const span = { from: "2026-09-03", to: "2026-10-23" };
      const headline = await headlineMeasures(c, { label: "Autumn 1", period: span, yearToDate: span } as never);
      expect(headline.national.period).toEqual({ words: expect.stringMatching(/^2025\/26/), like: false });
      expect(headline.national.notes.join(" ")).toMatch(/not the same period, so no verdict/);
    });
  });

  it("the full year 2024/25 against the DfE's full year 2024/25: a verdict", async () => {
    await withConnection(fullYear, async (c) => {
      const report = await buildBenchmarkReport(c, { academicYear: "2024/25", today: "2025-08-20" });
      const cell = report.year.lines.find((l) => l.measure === "overall_absence_pct")!.cells[0];
      expect(cell.benchmark?.label).toMatch(/2024\/25 full year/);
      // School: 1 of 20 sessions = 5.0 %; national primary 2024/25 full year 5.2 %.
      expect(cell.comparison).toMatchObject({ direction: "better", words: "0.2 pts better" });
      const overview = await nationalFiguresFor(c, { name: "academic-year", from: "2024-08-01", to: "2025-07-31", academicYear: "2024/25" });
      expect(overview.span?.complete).toBe(true);
      expect(compareWithNational(overview.school.absence_pct, overview.overall_absence_pct, false, overview.span)).toMatchObject({ direction: "better" });
    });
  });
});

// ---------------------------------------------------------------------------------------
// Trial 16a: Autumn 1 only against the whole autumn term said nothing of it.

import { compareWithNational as compareSpans, verdictBadgeWords } from "../analytics/benchmarks/comparison.ts";

describe("part of a term against a whole term says so, whatever else is unlike", () => {
  const autumn1 = { academicYear: "2026/27", kind: "autumn" as const, to: "2026-10-23", complete: false };
  it("the same term's figure: no verdict, part of a term against the whole", () => {
    const c = compareSpans(5.0, { value: 5.5, phase: "primary", academicYear: "2026/27", period: "autumn", periodEnd: null }, false, autumn1);
    expect(c.direction).toBeNull();
    expect(c.words).toBe(
      "for reference only: the published figure is for 2026/27 autumn term, the school's for 2026/27 autumn term (to 23 Oct 2026) (part of the term against the whole term) — not the same period, so no verdict",
    );
  });
  it("all state-funded schools and another year: both reasons said", () => {
    const c = compareSpans(5.0, { value: 6.6, phase: "all-state-funded", academicYear: "2025/26", period: "autumn", periodEnd: null }, false, autumn1);
    expect(c.direction).toBeNull();
    expect(c.words).toBe(
      "for reference only: all state-funded schools, secondary and special included; the published figure is for 2025/26 autumn term, the school's for 2026/27 autumn term (to 23 Oct 2026) (part of the term against the whole term) — not like for like",
    );
  });
});

describe("one rule for close-enough periods, said wherever it gives a verdict (trial 16a)", () => {
  const fullYear = { academicYear: "2025/26", kind: "year-to-date" as const, to: "2026-07-20", complete: true };
  const release = { value: 5.3, phase: "primary", academicYear: "2025/26", period: "year-to-date" as const, periodEnd: "2026-07-10" };
  it("a release 10 days from the school's last day: a verdict, with the two days said", () => {
    const c = compareSpans(4.6, release, false, fullYear);
    expect(c.direction).toBe("better");
    expect(c.periodsNote).toBe("published data to 10 Jul 2026, the school's to 20 Jul 2026: within 14 days, close enough to compare");
    expect(c.words).toBe("0.7 pts better (published data to 10 Jul 2026, the school's to 20 Jul 2026: within 14 days, close enough to compare)");
    expect(verdictBadgeWords(c)).toBe("0.7 pts better");
  });
  it("the same day: no note", () => {
    const c = compareSpans(4.6, { ...release, periodEnd: "2026-07-20" }, false, fullYear);
    expect(c.periodsNote).toBeUndefined();
    expect(verdictBadgeWords(c)).toBe(c.words);
  });
});
