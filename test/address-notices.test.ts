/**
 * Trial fault: addresses typed by hand answered a bare 400 (or a 500) where every other page
 * names what it could not read and shows what it can (app/lib/filters.ts unreadWords):
 * `/benchmarks?groups=garbage`, `/benchmarks?area=garbage`, `/packs/fgb?term=summer-25`,
 * `/packs/slt?month=2026-13`, a governor's `/benchmarks?year=2027/28`; `by=garbage` on Trends
 * and Codes was silently read as "week". Downloads given such a value send the reader to the
 * page that says so; a download given one is refused in words (400). The pages' own loaders on the demo school (today 23 Nov 2026).
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { loader as benchmarks } from "../app/routes/benchmarks.tsx";
import { loader as report } from "../app/routes/benchmarks.report.$format.tsx";
import { loader as packFile } from "../app/routes/packs.$kind.$format.tsx";
import { loader as fgb } from "../app/routes/packs.fgb.tsx";
import { loader as slt } from "../app/routes/packs.slt.tsx";
import { loader as trends } from "../app/routes/trends.tsx";
import { loader as casework } from "../app/routes/casework.tsx";
import { loader as codes } from "../app/routes/codes.tsx";
import { loader as auditCsv } from "../app/routes/audit[.]csv.tsx";
import { loader as audit } from "../app/routes/audit.tsx";
import { loader as earlyWarning } from "../app/routes/early-warning.tsx";
import { NOT_ASSIGNED } from "../analytics/class-words.ts";
import { describeFilterValue } from "../analytics/characteristic-words.ts";
import { loader as pupils } from "../app/routes/pupils._index.tsx";
import { loader as interventions } from "../app/routes/interventions.tsx";
import type { Role } from "../analytics/users/roles.ts";
import { demoSchool } from "./helpers/demo-school.ts";
import { loaderData } from "./helpers/loader.ts";

const TODAY = "2026-11-23";
const { db, accounts } = demoSchool("address-notices", TODAY);

type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;
interface Noticed {
  notice: string | null;
}
const read = <T = Noticed>(loader: Loader, url: string, role: Role = "head") => loaderData<T & Noticed>(loader, db, accounts()[role].cookie, url);

/** A download's answer: the status, where it sends the reader, and (refused) its words. */
async function answer(loader: Loader, url: string, params: Record<string, string>, role: Role = "head"): Promise<{ status: number; location: string | null; text?: string }> {
  process.env.ROLLCALL_DB = db;
  const request = new Request(`http://localhost${url}`, { headers: { cookie: accounts()[role].cookie } });
  const result = await loader({ request, params, context: {} }).catch((thrown) => thrown);
  if (!(result instanceof Response)) throw new Error(`${url}: not a response`);
  return { status: result.status, location: result.headers.get("location"), ...(result.status === 400 ? { text: (await result.text()).trim() } : {}) };
}

/** A refused download's words (plain text to a script). */
async function refusalText(loader: Loader, url: string): Promise<string> {
  process.env.ROLLCALL_DB = db;
  const request = new Request(`http://localhost${url}`, { headers: { cookie: accounts().head.cookie } });
  const result = await loader({ request, params: {}, context: {} }).catch((thrown) => thrown);
  if (!(result instanceof Response)) throw new Error(`${url}: not a response`);
  return (await result.text()).trim();
}

describe("Benchmarks names a value it cannot use and shows the report without it", () => {
  it("groups=garbage: the report's own groups period, and what a groups period looks like", async () => {
    const data = await read<{ groupsShown: string | null; report: { groupPeriod: { key: string } } }>(benchmarks, "/benchmarks?groups=garbage");
    expect(data.notice).toBe('Not understood in the address: groups "garbage" (expected one of year, autumn-2026). Showing the report without it.');
    expect(data.groupsShown).toBeNull();
    const plain = await read<{ report: { groupPeriod: { key: string } } }>(benchmarks, "/benchmarks");
    expect(data.report.groupPeriod.key).toBe(plain.report.groupPeriod.key);
  });

  it("area=garbage: national figures only, and what an area code looks like", async () => {
    const data = await read<{ area: string | null; report: { columns: unknown[] } }>(benchmarks, "/benchmarks?area=garbage", "governor");
    expect(data.notice).toBe('Not understood in the address: area "garbage" (expected nothing: no region\'s or local authority\'s figures are loaded for 2026/27 (import the DfE file with them)). Showing the report without it.');
    expect(data.area).toBeNull();
    expect(data.report.columns).toHaveLength(1);
  });

  it("figures=x and a good area: the area kept, figures= named", async () => {
    const data = await read<{ area: string | null }>(benchmarks, "/benchmarks?area=E12000004&figures=x");
    expect(data.area).toBe("E12000004");
    expect(data.notice).toBe(`Not understood in the address: figures "x" (expected all (every year's figures), or nothing for this year's). Showing the report without it.`);
  });

  it("a governor's year with no half term ended: the latest year, said (it was a 500)", async () => {
    const data = await read<{ academicYear: string }>(benchmarks, "/benchmarks?year=2027/28", "governor");
    expect(data.academicYear).toBe("2026/27");
    expect(data.notice).toBe("There are no figures for 2027/28 yet (governors see whole half terms that have ended): showing 2026/27.");
  });

  // Trial 28: each sent a 302 to the page, where README promises a download refused in words (400).
  it("the report's download with such a value is refused in words (400), in every format", async () => {
    for (const format of ["csv", "xlsx", "pdf"]) {
      const refused = async (query: string, role: Role = "head") => {
        const response = await answer(report, `/benchmarks/report/${format}?${query}`, { format }, role);
        expect(response.status, query).toBe(400);
        return response.text;
      };
      expect(await refused("year=2026/27&area=XYZ")).toBe('Not downloaded: Not understood in the address: area "XYZ" (expected nothing: no region\'s or local authority\'s figures are loaded for 2026/27 (import the DfE file with them)), so no file is made.');
      expect(await refused("year=26/27")).toBe('Not downloaded: Not understood in the address: year "26/27" (expected an academic year such as 2025/26 or 2025-26), so no file is made.');
      expect(await refused("groups=garbage")).toBe('Not downloaded: Not understood in the address: groups "garbage" (expected one of year, autumn-2026), so no file is made.');
      expect(await refused("year=2030/31")).toBe("Not downloaded: There are no figures for 2030/31 yet: it has not begun, so no file is made.");
      expect(await refused("year=2027/28", "governor")).toBe("Not downloaded: There are no figures for 2027/28 yet: it has not begun, so no file is made.");
      // Trial 30: a year before the register sent a report of dashes ("0 / 0 sessions").
      expect(await refused("year=1999/00")).toMatch(/^Not downloaded: No register marks are stored for 1999\/00 \(the register has marks for \d{4}\/\d\d(, \d{4}\/\d\d)*\), so no file is made\.$/);
      expect(await refused("year=2026/27&year=2025/26")).toBe('Not downloaded: Given more than once in the address: year 2 times ("2026/27", "2025/26"), so no file is made.');
    }
    expect((await answer(report, "/benchmarks/report/csv?year=2026/27", { format: "csv" })).status).toBe(200);
  });
});

describe("the packs name a term or month they cannot use and show the latest", () => {
  it("/packs/fgb?term=summer-25: the latest term, and what a term looks like", async () => {
    const data = await read<{ term: string }>(fgb, "/packs/fgb?term=summer-25", "governor");
    expect(data.term).toBe("autumn-2026");
    expect(data.notice).toBe('Not understood in the address: term "summer-25" (expected a term such as autumn-2025). Showing Autumn 2026 to the end of Autumn 1 instead.');
  });

  it("a term shaped right with no pack: why, and the latest", async () => {
    const data = await read<{ term: string }>(fgb, "/packs/fgb?term=summer-2030");
    expect(data.term).toBe("autumn-2026");
    // A term to come has not started (trial 29: autumn-2099 was told to import its calendar); a past one no calendar holds is the calendar's to import.
    expect(data.notice).toBe("Summer 2030 has not started yet (today is 23 Nov 2026). Showing Autumn 2026 to the end of Autumn 1 instead.");
    // Before the register's first marks: said so, as the SLT pack says of a month (trial 29b: autumn-2020 was told to import its calendar).
    expect((await read(fgb, "/packs/fgb?term=summer-2019")).notice).toMatch(/^Summer 2019 is before the register starts \(its first marks are on [A-Z][a-z]{2} \d{1,2} [A-Z][a-z]{2} \d{4}\): there is nothing to report\. Showing Autumn 2026 to the end of Autumn 1 instead\.$/);
    expect((await read(fgb, "/packs/fgb?term=summer-2026")).notice).toBeNull();
  });

  it("/packs/slt?month=2026-13 and a month not begun", async () => {
    const data = await read<{ month: string }>(slt, "/packs/slt?month=2026-13");
    expect(data.month).toBe("2026-10");
    expect(data.notice).toBe('Not understood in the address: month "2026-13" (expected a month such as 2026-03). Showing October 2026 instead.');
    expect((await read(slt, "/packs/slt?month=2030-01")).notice).toBe("January 2030 has not started yet (today is 23 Nov 2026). Showing October 2026 instead.");
  });

  it("/packs/slt?month=1999-01, before the register starts, and a month with no school days are refused as a month not begun (trial 26: 11 pages of empty tables)", async () => {
    const data = await read<{ month: string }>(slt, "/packs/slt?month=1999-01");
    expect(data.month).toBe("2026-10");
    expect(data.notice).toBe("January 1999 is before the register starts (its first marks are on Wed 4 Sep 2024): there is nothing to report. Showing October 2026 instead.");
    expect((await read(slt, "/packs/slt?month=2025-08")).notice).toBe("August 2025 has no school days in the school's calendar: there is nothing to report. Showing October 2026 instead.");
    for (const format of ["pdf", "xlsx", "html"]) {
      expect(await answer(packFile, `/packs/slt/${format}?month=1999-01`, { kind: "slt", format })).toEqual({
        status: 400,
        location: null,
        text: "Not downloaded: January 1999 is before the register starts (its first marks are on Wed 4 Sep 2024): there is nothing to report, so no file is made.",
      });
    }
  });

  // Trial 28: each sent a 302 to the pack's page, where README promises a download refused in words (400).
  it("a pack's download with such a value is refused in words (400), in every format", async () => {
    for (const format of ["pdf", "xlsx", "html"]) {
      const refused = async (kind: string, query: string) => {
        const response = await answer(packFile, `/packs/${kind}/${format}?${query}`, { kind, format });
        expect(response.status, `${kind} ${query}`).toBe(400);
        return response.text;
      };
      expect(await refused("fgb", "term=summer-25")).toBe('Not downloaded: Not understood in the address: term "summer-25" (expected a term such as autumn-2025), so no file is made.');
      expect(await refused("slt", "month=2026-13")).toBe('Not downloaded: Not understood in the address: month "2026-13" (expected a month such as 2026-03), so no file is made.');
      expect(await refused("slt", "month=2030-01")).toBe("Not downloaded: January 2030 has not started yet (today is 23 Nov 2026), so no file is made.");
      expect(await refused("fgb", "term=summer-2030")).toBe("Not downloaded: Summer 2030 has not started yet (today is 23 Nov 2026), so no file is made.");
      expect(await refused("fgb", "term=summer-2019")).toMatch(/^Not downloaded: Summer 2019 is before the register starts \(its first marks are on .+\): there is nothing to report, so no file is made\.$/);
      expect(await refused("slt", "month=2026-10&month=2026-09")).toBe('Not downloaded: Given more than once in the address: month 2 times ("2026-10", "2026-09"), so no file is made.');
    }
    expect((await answer(packFile, "/packs/slt/xlsx?month=2026-10", { kind: "slt", format: "xlsx" })).status).toBe(200);
  });
});

describe("the Pupils page names a drill-down or list filter it cannot read", () => {
  interface Listed {
    drill: unknown;
    paging: { total: number };
  }
  it("drill=weekday:Funday names no day: said, and the whole list shown (it was applied silently: no pupils)", async () => {
    const all = await read<Listed>(pupils, "/pupils?period=ytd");
    const data = await read<Listed>(pupils, "/pupils?period=ytd&drill=weekday:Funday");
    expect(data.notice).toBe('Not understood in the address: drill "weekday:Funday" (expected a school day: weekday:Monday, weekday:Tuesday, weekday:Wednesday, weekday:Thursday, weekday:Friday). Showing the pupils without it.');
    expect(data.drill).toBeNull();
    expect(data.paging.total).toBe(all.paging.total);
    expect(all.paging.total).toBeGreaterThan(200);
    const friday = await read<Listed>(pupils, "/pupils?period=ytd&drill=weekday:Friday");
    expect(friday.notice).toBeNull();
    expect(friday.drill).toMatchObject({ kind: "session", words: "Fridays" });
  });

  it("an attendance band or trend it does not have", async () => {
    const data = await read<Listed>(pupils, "/pupils?attendance=below-90&trend=up");
    expect(data.notice).toBe('Not understood in the address: attendance "below-90" (expected one of pa, sa, under-96, under-90, under-85, under-50); trend "up" (expected down (falling only), or nothing). Showing the pupils without them.');
  });
});

describe("other addresses", () => {
  it("by=garbage on Trends and Codes is named, not silently read as week", async () => {
    expect((await read<{ grain: string }>(trends, "/trends?by=garbage")).notice).toBe('Not understood in the address: by "garbage" (expected week, month, half term, term or academic year). Showing it by week.');
    expect((await read(codes, "/codes?by=term")).notice).toBe('Not understood in the address: by "term" (expected week, month or half term). Showing it by week.');
    expect((await read(trends, "/trends?by=month")).notice).toBeNull();
  });

  it("Trends names grain= (its grain is by=) and a pupil filter given twice (trial 26: both used silently)", async () => {
    const decade = await read<{ grain: string }>(trends, "/trends?grain=decade");
    expect(decade.grain).toBe("week");
    expect(decade.notice).toBe('Not understood in the address: grain "decade" (expected by=week, by=month, by=half_term, by=term or by=academic_year). Showing it by week.');
    expect((await read(codes, "/codes?grain=month")).notice).toBe('Not understood in the address: grain "month" (expected by=week, by=month or by=half_term). Showing it by week.');
    const twice = await read<{ filters: { year_group?: string } }>(trends, "/trends?year_group=3&year_group=4");
    expect(twice.filters.year_group).toBe("3");
    expect(twice.notice).toBe('Given more than once in the address: year_group 2 times ("3", "4"). Only the first of each is read.');
  });

  it("an intervention type the list does not have is named, with the types it has", async () => {
    expect((await read(interventions, "/interventions?type=lettr")).notice).toMatch(/^Not understood in the address: type "lettr" \(expected one of conversation, letter_below_96, .*, other\)\. Showing every type\.$/);
    expect((await read(interventions, "/interventions?type=phone_call")).notice).toBeNull();
  });

  it("the audit CSV with a filter it cannot read is refused, as the Pupils and Casework CSVs refuse one", async () => {
    expect(await answer(auditCsv, "/audit.csv?from=garbage", {})).toMatchObject({ status: 400, location: null });
    expect(await refusalText(auditCsv, "/audit.csv?from=garbage")).toBe('Not downloaded: "garbage" is not a date (YYYY-MM-DD), so no file is made.');
  });

  it("'Not assigned' is offered as what it is, pupils with no class given, and choosing it lists exactly them (trial 26)", async () => {
    interface Listed {
      options: { regGroups: string[] };
      paging: { total: number };
      rows: Array<{ reg_group: string }>;
    }
    // The demo's pupils' years before its pupils file (2023/24) have no class given.
    const year = await read<Listed>(pupils, "/pupils?period=academic-year&year=2023/24");
    expect(year.options.regGroups).toContain(NOT_ASSIGNED);
    expect(describeFilterValue("reg_group", NOT_ASSIGNED)).toBe("Not assigned to a class");
    expect(describeFilterValue("reg_group", "5A")).toBe("Class 5A");
    const chosen = await read<Listed>(pupils, "/pupils?period=academic-year&year=2023/24&reg_group=Not%20assigned");
    expect(chosen.notice).toBeNull();
    expect(chosen.paging.total).toBeGreaterThan(0);
    expect(new Set(chosen.rows.map((r) => r.reg_group))).toEqual(new Set([NOT_ASSIGNED]));
    // Every pupil of that year whose class is not given, and no other (the year's classes are all "Not assigned").
    expect(chosen.paging.total).toBe(year.paging.total);
    // A year whose pupils have classes neither offers it nor lists anyone under it.
    const now = await read<Listed>(pupils, "/pupils?period=ytd");
    expect(now.options.regGroups).not.toContain(NOT_ASSIGNED);
  });

  it("Early warning names an as-of date after today or no date, as Casework does, and reads an earlier one (trial 26)", async () => {
    interface Warned {
      asOf: string;
      forecast: { ytd_pct: number | null; remaining_school_days: number };
    }
    const today = await read<Warned>(earlyWarning, "/early-warning");
    expect(today.notice).toBeNull();
    expect(today.asOf).toBe(TODAY);
    // 2030: had been ignored without a word; the page as of today, and said.
    const later = await read<Warned>(earlyWarning, "/early-warning?asOf=2030-01-01");
    expect(later.notice).toBe("1 Jan 2030 is after today: the register has no marks after today, so the page is as of today.");
    expect(later.asOf).toBe(TODAY);
    expect(later.forecast).toEqual(today.forecast);
    const garbage = await read<Warned>(earlyWarning, "/early-warning?asOf=soon");
    expect(garbage.notice).toBe('Not understood in the address: asOf "soon" (expected a date such as 2026-09-01). Showing the page as of today, 23 Nov 2026.');
    // An earlier day is read: the year to 1 Nov, with more school days left than today's.
    const earlier = await read<Warned>(earlyWarning, "/early-warning?asOf=2026-11-02");
    expect(earlier.notice).toBeNull();
    expect(earlier.asOf).toBe("2026-11-02");
    expect(earlier.forecast.remaining_school_days).toBeGreaterThan(today.forecast.remaining_school_days);
  });

  it("Early warning and Casework name an as-of date before the register starts, as one after today, and read today (trial 26: a verdict with no figure)", async () => {
    interface Warned {
      asOf: string;
      forecast: { ytd_pct: number | null };
    }
    const today = await read<Warned>(earlyWarning, "/early-warning");
    const before = await read<Warned>(earlyWarning, "/early-warning?asOf=1999-01-01");
    expect(before.notice).toBe("1 Jan 1999 is before the register starts (its first marks are on 4 Sep 2024), so the page is as of today.");
    expect(before.asOf).toBe(TODAY);
    expect(before.forecast).toEqual(today.forecast);
    expect(before.forecast.ytd_pct).not.toBeNull();
    const lists = await read<{ asOf: string; asOfNotUsed: string | null }>(casework, "/casework?asOf=2024-09-03");
    expect(lists.asOfNotUsed).toBe("3 Sep 2024 is before the register starts (its first marks are on 4 Sep 2024), so the lists are as of today.");
    expect(lists.asOf).toBe(TODAY);
    // The register's first day is read.
    expect((await read<Warned>(earlyWarning, "/early-warning?asOf=2024-09-04")).notice).toBeNull();
  });

  it("the Audit page names a role it does not have and a range that starts after it ends; its CSV refuses both (trial 26)", async () => {
    interface Audited {
      problems: string[];
      total: number;
      filter: { role: string; from: string; to: string };
    }
    const all = await read<Audited>(audit, "/audit");
    expect(all.total).toBeGreaterThan(0);
    // role=nope had been applied: no entries, no word; it is said and every role shown.
    const nope = await read<Audited>(audit, "/audit?role=nope");
    expect(nope.problems).toEqual([expect.stringMatching(/^"nope" is not a role: the address takes governor for Governor, slt for Senior leadership team, attendance_lead for Attendance lead, head for Headteacher,? and admin for Administrator$|^"nope" is not a role: the address takes governor for Governor, slt for Senior leadership team, attendance_lead for Attendance lead, head for Headteacher, admin for Administrator, [^()]*$|and script for Rollcall itself \(set-up or a script\)$/)]);
    expect(nope.filter.role).toBe("");
    expect(nope.total).toBe(all.total);
    // A role of the five that has not acted is no problem: none of its entries, as asked.
    const governor = await read<Audited>(audit, "/audit?role=governor");
    expect(governor.problems).toEqual([]);
    expect(governor.filter.role).toBe("governor");
    const backwards = await read<Audited>(audit, "/audit?from=2026-11-20&to=2026-11-01");
    expect(backwards.problems).toEqual(["the range starts (2026-11-20) after it ends (2026-11-01)"]);
    expect(backwards.filter).toMatchObject({ from: "", to: "" });
    expect(backwards.total).toBe(all.total);
    // The CSV: refused (it had sent the header alone), never a file of no entry.
    expect(await answer(auditCsv, "/audit.csv?role=nope", {})).toMatchObject({ status: 400, location: null });
    expect(await refusalText(auditCsv, "/audit.csv?role=nope")).toMatch(/^Not downloaded: "nope" is not a role: the address takes governor for Governor, [^()]*, so no file is made\.$/);
    expect(await refusalText(auditCsv, "/audit.csv?from=2026-11-20&to=2026-11-01")).toBe("Not downloaded: The range starts (2026-11-20) after it ends (2026-11-01), so no file is made.");
    expect((await answer(auditCsv, "/audit.csv?role=head", {})).status).toBe(200);
  });
});
