/**
 * "Same period last year" at the same place in the academic year, on every page and export
 * (issue 13, a fresh-clone trial: the governors' Overview compared 1 Aug – 23 Oct 2026 with
 * 3 Sep – 24 Oct 2025, and the head's benchmark CSV gave the year to date `from` 3 Sep). One
 * rule (analytics/governor-periods.ts sameSpanLastYear, governorLastYear): a span from 1 August
 * from 1 August a year earlier; a half term's first or last school day at the same half term's
 * a year earlier; any other end the same date. Calendar by hand, two years whose half terms
 * fall on different dates: Autumn 1 2025 Wed 3 Sep – Fri 24 Oct, Autumn 2 3 Nov – 19 Dec;
 * Autumn 1 2026 Thu 3 Sep – Fri 23 Oct, Autumn 2 Mon 2 Nov – Fri 18 Dec. Today 4 Jan 2027.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { governorLastYear, halfTermsOf, sameSpanLastYear } from "../analytics/governor-periods.ts";
import { resolveView } from "../app/lib/view.server.ts";
import { customRangeWithinRegisterYears } from "../analytics/periods.ts";
import { unreadRefusal } from "../app/lib/address-filters.server.ts";
import { clip } from "../app/lib/filters.ts";
import { buildBenchmarkReport } from "../analytics/benchmarks/report.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { registerOf, seedSchoolDays } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";
import { restoreTodayAfterAll } from "./helpers/break-register.ts";

const db = tempDbPath("same-span-last-year");
restoreTodayAfterAll();

beforeAll(async () => {
  process.env.ROLLCALL_TODAY = "2027-01-04";
  await withConnection(db, async (c) => {
    const days = await seedSchoolDays(c, [
      { from: "2025-09-03", to: "2025-10-24", half: "autumn-1-2025", term: "autumn-2025" },
      { from: "2025-11-03", to: "2025-12-19", half: "autumn-2-2025", term: "autumn-2025" },
      { from: "2026-09-03", to: "2026-10-23", half: "autumn-1-2026", term: "autumn-2026" },
      { from: "2026-11-02", to: "2026-12-18", half: "autumn-2-2026", term: "autumn-2026" },
    ]);
    await seedRegister(c, { pupils: [{ upn: "P", admission_date: "2025-09-01" }], marks: registerOf("P", days) });
  });
});
afterAll(() => removeDb(db));

describe("same period last year", () => {
  it("keeps the span's shape, end by end (by hand)", async () => {
    const halves = await withConnection(db, halfTermsOf);
    // A year to date to the end of Autumn 1: from 1 August both years.
    expect(governorLastYear(halves, { from: "2026-08-01", to: "2026-10-23" })).toEqual({ from: "2025-08-01", to: "2025-10-24" });
    expect(sameSpanLastYear(halves, { from: "2026-08-01", to: "2026-10-23" })).toEqual({ from: "2025-08-01", to: "2025-10-24" });
    // A half term, and a term: last year's same half terms, whatever their dates.
    expect(governorLastYear(halves, { from: "2026-11-02", to: "2026-12-18" })).toEqual({ from: "2025-11-03", to: "2025-12-19" });
    expect(sameSpanLastYear(halves, { from: "2026-11-02", to: "2026-12-18" })).toEqual({ from: "2025-11-03", to: "2025-12-19" });
    expect(sameSpanLastYear(halves, { from: "2026-09-03", to: "2026-12-18" })).toEqual({ from: "2025-09-03", to: "2025-12-19" });
    // To a day inside a half term (staff's year to date to today): the same date.
    expect(sameSpanLastYear(halves, { from: "2026-08-01", to: "2026-11-25" })).toEqual({ from: "2025-08-01", to: "2025-11-25" });
    // A month: the same dates.
    expect(sameSpanLastYear(halves, { from: "2026-12-01", to: "2026-12-02" })).toEqual({ from: "2025-12-01", to: "2025-12-02" });
    // A week (this week, last week): the same weekdays 52 weeks earlier, not the same dates
    // (Mon 30 Nov – Wed 2 Dec 2026 against Mon 1 – Wed 3 Dec 2025, not Sun 30 Nov – Tue 2 Dec).
    expect(sameSpanLastYear(halves, { from: "2026-11-30", to: "2026-12-02" })).toEqual({ from: "2025-12-01", to: "2025-12-03" });
    expect(sameSpanLastYear(halves, { from: "2026-11-23", to: "2026-11-27" })).toEqual({ from: "2025-11-24", to: "2025-11-28" });
    // One day: the same weekday 52 weeks earlier (Fri 4 Dec 2026 against Fri 5 Dec 2025, where
    // the same date was a Thursday; Tue 7 Mar 2028, after a 29 February, against Tue 9 Mar 2027,
    // where the same date was a Sunday with no register).
    expect(sameSpanLastYear(halves, { from: "2026-12-04", to: "2026-12-04" })).toEqual({ from: "2025-12-05", to: "2025-12-05" });
    expect(sameSpanLastYear([], { from: "2028-03-07", to: "2028-03-07" })).toEqual({ from: "2027-03-09", to: "2027-03-09" });
  });

  it("the governors' Overview reads the same shape as this year's span", async () => {
    await withConnection(db, async (c) => {
      const view = await resolveView(c, new Request("http://localhost/?period=ytd&half=autumn-1-2026"), { governorPage: "periods" });
      expect([view.query.from, view.query.to]).toEqual(["2026-08-01", "2026-10-23"]);
      expect([view.lastYearQuery.from, view.lastYearQuery.to]).toEqual(["2025-08-01", "2025-10-24"]);
      // Staff: a term to its end, against last year's same term.
      const staff = await resolveView(c, new Request("http://localhost/?period=custom&from=2026-11-02&to=2026-12-18"));
      expect([staff.lastYearQuery.from, staff.lastYearQuery.to]).toEqual(["2025-11-03", "2025-12-19"]);
    });
  });

  it("a custom range longer than a year has no same period last year (it would overlap itself), and one beyond the register says what the register holds (trial24b: 1990–2030)", async () => {
    await withConnection(db, async (c) => {
      const wide = await resolveView(c, new Request("http://localhost/?period=custom&from=1990-01-01&to=2030-12-31"));
      // Cut to the register's academic years, 2025/26 (its first mark) to 2026/27 (today's): trial 30.
      expect([wide.query.from, wide.query.to]).toEqual(["2025-08-01", "2027-07-31"]);
      expect(wide.lastYearFigures).toBe(false);
      expect(wide.lastYearWhy).toBe("it overlaps this range, which is longer than a year, so no figures are compared with it");
      // The register's marks: P's every school day, Wed 3 Sep 2025 to Fri 18 Dec 2026.
      expect(wide.notice).toBe(
        "The range asked for (1 Jan 1990 to 31 Dec 2030) reaches years the register holds no marks in, so it is shown from 1 Aug 2025 to 31 Jul 2027. The register's marks run from Wed 3 Sep 2025 to Fri 18 Dec 2026: the figures are this range's days within them.",
      );
      // A year and a day: last year's span ends on this one's first day, so still none.
      const yearAndDay = await resolveView(c, new Request("http://localhost/?period=custom&from=2025-09-03&to=2026-09-03"));
      expect(yearAndDay.lastYearFigures).toBe(false);
      expect(yearAndDay.notice).toBeNull();
      // Within a year and within the register: compared, nothing said.
      const term = await resolveView(c, new Request("http://localhost/?period=custom&from=2026-11-02&to=2026-12-18"));
      expect(term.lastYearFigures).toBe(true);
      expect(term.lastYearWhy).toBeNull();
      expect(term.notice).toBeNull();
      // Past today (4 Jan 2027) but not before the first mark: said too.
      const ahead = await resolveView(c, new Request("http://localhost/?period=custom&from=2026-11-02&to=2027-03-31"));
      expect(ahead.notice).toBe("The register's marks run from Wed 3 Sep 2025 to Fri 18 Dec 2026: the figures are this range's days within them.");
      expect(ahead.lastYearFigures).toBe(true);
      // Compared like for like: last year to the same date as today's, 4 Jan (trial25b: to 1 Mar a year earlier).
      expect([ahead.lastYearQuery.from, ahead.lastYearQuery.to]).toEqual(["2025-11-03", "2026-01-04"]);
    });
  });

  it("a custom range reaching far beyond the register is cut to the register's academic years, one wholly outside them to one academic year, and said (trial 30: a pupil's page for 0001–9999 ran four minutes, then failed)", async () => {
    expect(customRangeWithinRegisterYears({ from: "2025-09-01", to: "2026-07-31" }, { first: "2025-09-03", last: "2026-12-18" }, "2027-01-04")).toEqual({ from: "2025-09-01", to: "2026-07-31" });
    expect(customRangeWithinRegisterYears({ from: "0001-01-01", to: "9999-12-31" }, { first: "2025-09-03", last: "2026-12-18" }, "2027-01-04")).toEqual({ from: "2025-08-01", to: "2027-07-31" });
    // Wholly after: its own start, to the end of that academic year; wholly before: its own end, from the start of that year.
    expect(customRangeWithinRegisterYears({ from: "2030-01-01", to: "9999-12-31" }, { first: "2025-09-03", last: "2026-12-18" }, "2027-01-04")).toEqual({ from: "2030-01-01", to: "2030-07-31" });
    expect(customRangeWithinRegisterYears({ from: "0001-01-01", to: "2001-12-31" }, { first: "2025-09-03", last: "2026-12-18" }, "2027-01-04")).toEqual({ from: "2001-08-01", to: "2001-12-31" });
    // Within one academic year, wholly outside: nothing cut, the same range.
    const term = { from: "2018-01-01", to: "2018-03-30" };
    expect(customRangeWithinRegisterYears(term, { first: "2025-09-03", last: "2026-12-18" }, "2027-01-04")).toBe(term);
    // No marks at all: today's academic year.
    expect(customRangeWithinRegisterYears({ from: "0001-01-01", to: "9999-12-31" }, null, "2027-01-04")).toEqual({ from: "2026-08-01", to: "2027-07-31" });
    await withConnection(db, async (c) => {
      const all = await resolveView(c, new Request("http://localhost/?period=custom&from=0001-01-01&to=9999-12-31"));
      expect([all.period.from, all.period.to, all.period.label]).toEqual(["2025-08-01", "2027-07-31", "1 Aug 2025 – 31 Jul 2027"]);
      expect(all.notice).toContain("The range asked for (1 Jan 0001 to 31 Dec 9999) reaches years the register holds no marks in, so it is shown from 1 Aug 2025 to 31 Jul 2027.");
      // Wholly before the register: its academic year nearest the register, and said so, with no "days within them" (trial 30b).
      const before = await resolveView(c, new Request("http://localhost/?period=custom&from=1900-01-01&to=1950-12-31"));
      expect([before.period.from, before.period.to]).toEqual(["1950-08-01", "1950-12-31"]);
      expect(before.notice).toBe(
        "The range asked for (1 Jan 1900 to 31 Dec 1950) lies outside the years the register holds marks in, so only its academic year nearest them is shown, 1 Aug 1950 to 31 Dec 1950. This range ends before the register begins: it has no marks (the register's marks run from Wed 3 Sep 2025 to Fri 18 Dec 2026).",
      );
      // Within the register's years: as asked.
      const inside = await resolveView(c, new Request("http://localhost/?period=custom&from=2025-08-01&to=2027-07-31"));
      expect([inside.period.from, inside.period.to]).toEqual(["2025-08-01", "2027-07-31"]);
      expect(inside.notice ?? "").not.toContain("range asked for");
    });
  });

  it("a custom range wholly after today has nothing to compare and says so (trial 29: the Overview failed for 7–18 Dec asked on 4 Dec)", async () => {
    await withConnection(db, async (c) => {
      // Today is Mon 4 Jan 2027. Cut to today, 11–22 Jan would end before it starts.
      const later = await resolveView(c, new Request("http://localhost/?period=custom&from=2027-01-11&to=2027-01-22"));
      expect([later.query.from, later.query.to]).toEqual(["2027-01-11", "2027-01-22"]);
      expect(later.lastYearFigures).toBe(false);
      expect(later.lastYearWhy).toBe("this range begins after today (Mon 4 Jan 2027), so it has no marks to compare yet");
      expect(later.lastYearQuery.from <= later.lastYearQuery.to).toBe(true);
      expect(later.notice).toBe("This range begins after today: the register has no marks for it yet (its marks run from Wed 3 Sep 2025 to Fri 18 Dec 2026).");
      // Beginning today: begun, compared with the same weekday 52 weeks earlier (Mon 5 Jan 2026).
      const fromToday = await resolveView(c, new Request("http://localhost/?period=custom&from=2027-01-04&to=2027-01-22"));
      expect(fromToday.lastYearFigures).toBe(true);
      expect([fromToday.lastYearQuery.from, fromToday.lastYearQuery.to]).toEqual(["2026-01-05", "2026-01-05"]);
    });
  });

  it("a control character in the address is quoted as its picture, and the period shown is said once (trial 29: from=%00 read 'from \"\"' and 'Showing … Showing the year to date instead')", async () => {
    await withConnection(db, async (c) => {
      const view = await resolveView(c, new Request("http://localhost/?period=custom&from=%00&to=2026-12-01"));
      expect(view.notice).toBe(
        'Not understood in the address: from "\u2400" (expected a date such as 2025-09-01). Showing 2026/27 to date. A custom range needs from and to dates (YYYY-MM-DD).',
      );
      expect(unreadRefusal([{ name: "month", value: "2026-11\u0000", expected: "a month such as 2026-03" }])).toBe(
        'Not downloaded: Not understood in the address: month "2026-11\u2400" (expected a month such as 2026-03), so no file is made.',
      );
      expect(clip("a\tb\u007f")).toBe("a\u2409b\u2421");
    });
  });

  it("the head's benchmark report states the year from 1 August, as the Overview does", async () => {
    await withConnection(db, async (c) => {
      const report = await buildBenchmarkReport(c, { academicYear: "2026/27", today: "2027-01-04" });
      expect(report.year.from).toBe("2026-08-01");
    });
  });
});
