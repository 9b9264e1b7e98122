/**
 * The web's address filters read as the CLI's `summary --filter` reads them (trial22): one
 * reader, analytics/filter-values.ts readFilterValue, for both; a page or download given a
 * typed spelling (`year_group=Year 5`, `Y5`, `fsm=yes`, `sex=Female`, `reg_group=5a`) is sent
 * to the stored one (app/lib/address-filters.server.ts), and a value that is none of the
 * school's is said on a page and refused by a download, in one form (quoted as listed).
 *
 * Register by hand: Spring 1 2025 (6–17 January, 10 school days, 20 sessions). A1: Year 5,
 * 5A, girl, FSM, absent (I) both sessions of 8 January; A2: Year 5, 5A, boy, not FSM, APKN,
 * present; B1: Year 3, 3B, girl, not FSM, present. So Year 5 with FSM, or FSM girls, is A1
 * alone: 18 of 20 sessions, 90.0 %; Year 5 is 38 of 40, 95.0 %.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { filterReading, readFilterValue, storedFilterValue } from "../analytics/filter-values.ts";
import { canonicalAddress } from "../app/lib/address-filters.server.ts";
import { CLOSED_VALUES, unknownFilterWords } from "../app/lib/filters.ts";
import { loader as overviewLoader } from "../app/routes/_index.tsx";
import { loader as pupilsCsvLoader } from "../app/routes/pupils[.]csv.tsx";
import { loader as caseworkCsvLoader } from "../app/routes/casework[.]csv.tsx";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { registerOf, seedSchoolDays } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";
import { createTestAccounts, type TestAccount } from "./helpers/auth.ts";
import { loaderData } from "./helpers/loader.ts";
import { restoreTodayAfterAll } from "./helpers/break-register.ts";
import { parseCsv } from "./helpers/csv.ts";

const db = tempDbPath("web-filter-values");
let accounts: Record<string, TestAccount>;

beforeAll(async () => {
  await withConnection(db, async (c) => {
    const spring = await seedSchoolDays(c, [{ from: "2025-01-06", to: "2025-01-17", half: "spring-1-2025", term: "spring-2025" }]);
    await seedRegister(c, {
      pupils: [
        { upn: "A1", sex: "F", spells: [{ from: "2024-09-01", year_group: "5", reg_group: "5A", fsm: "Y" }] },
        { upn: "A2", sex: "M", ethnicity: "APKN", spells: [{ from: "2024-09-01", year_group: "5", reg_group: "5A" }] },
        { upn: "B1", sex: "F", spells: [{ from: "2024-09-01", year_group: "3", reg_group: "3B" }] },
      ],
      marks: [...registerOf("A1", spring, { "2025-01-08": ["I", "I"] }), ...registerOf("A2", spring), ...registerOf("B1", spring)],
    });
  });
  accounts = await createTestAccounts(db);
  process.env.ROLLCALL_TODAY = "2025-01-27";
});
restoreTodayAfterAll();
afterAll(() => removeDb(db));

const PERIOD = "period=half-term&half=spring-1-2025";

/** What a loader throws or answers for `url`: its status, Location and body. */
async function answer(loader: (args: never) => Promise<unknown>, url: string, cookie: string): Promise<{ status: number; location: string | null; body: string }> {
  process.env.ROLLCALL_DB = db;
  const request = new Request(`http://localhost${url}`, { headers: { cookie } });
  let result: unknown;
  try {
    result = await (loader as (args: unknown) => Promise<unknown>)({ request, params: {}, context: {} });
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    result = thrown;
  }
  if (!(result instanceof Response)) return { status: 200, location: null, body: JSON.stringify(result) };
  return { status: result.status, location: result.headers.get("Location"), body: await result.text() };
}

describe("the shared reader, as the web uses it", () => {
  it("reads the importer's spellings as the school's stored value, or the closed codes", () => {
    const years = ["3", "4", "5", "6"];
    for (const typed of ["Year 5", "Y5", "y5", "5", " 5 ", "year_5", "NCYear5"]) expect(readFilterValue("year_group", typed, years), typed).toBe("5");
    expect(readFilterValue("year_group", "Reception", ["R", "1"])).toBe("R");
    expect(readFilterValue("reg_group", "5a", ["3B", "5A"])).toBe("5A");
    expect(readFilterValue("fsm", "yes", CLOSED_VALUES.fsm!)).toBe("Y");
    expect(readFilterValue("fsm", "n", CLOSED_VALUES.fsm!)).toBe("N");
    expect(readFilterValue("sex", "Female", CLOSED_VALUES.sex!)).toBe("F");
    expect(readFilterValue("sen", "k", CLOSED_VALUES.sen!)).toBe("K");
    expect(readFilterValue("ethnicity", "apkn", ["APKN", "WBRI"])).toBe("APKN");
    // A stored value the importer would not read now is still matched in any case.
    expect(readFilterValue("reg_group", "not assigned", ["Not assigned"])).toBe("Not assigned");
  });

  it("gives none for a value that is none of them, and the importer's reading apart", () => {
    expect(readFilterValue("year_group", "Year 9", ["3", "4", "5", "6"])).toBeNull();
    expect(filterReading("year_group", "Year 9")).toBe("9");
    expect(filterReading("year_group", "99")).toBeNull();
    expect(readFilterValue("fsm", "maybe", CLOSED_VALUES.fsm!)).toBeNull();
    expect(readFilterValue("reg_group", "5Z", ["3B", "5A"])).toBeNull();
    expect(readFilterValue("year_group", "  ", ["3"])).toBeNull();
    expect(filterReading("ethnicity", "aban")).toBe("ABAN");
    expect(filterReading("reg_group", "5a")).toBeNull();
  });

  it("is the CLI's reader: the same spelling gives the same stored value", async () => {
    await withConnection(db, async (c) => {
      expect(await storedFilterValue(c, "year_group", "Year 5")).toEqual({ value: "5" });
      expect(await storedFilterValue(c, "reg_group", "5a")).toEqual({ value: "5A" });
      expect(await storedFilterValue(c, "fsm", "yes")).toEqual({ value: "Y" });
      expect(await storedFilterValue(c, "sex", "Female")).toEqual({ value: "F" });
    });
  });

  it("quotes a value in the form it lists the school's (trial22: 'Year 5' refused while listed)", () => {
    const known = { yearGroups: ["3", "5"], regGroups: ["3B", "5A"], ethnicities: ["APKN", "WBRI"] };
    expect(unknownFilterWords({ year_group: "9" }, known)).toBe('Year group "Year 9": no pupil of the school has one (the school\'s: Year 3, Year 5), so no pupil is shown.');
    expect(unknownFilterWords({ reg_group: "5Z" }, known)).toBe('Class "5Z": no pupil of the school has one (the school\'s: 3B, 5A), so no pupil is shown.');
    expect(unknownFilterWords({ ethnicity: "ABAN" }, known)).toBe('Ethnicity "ABAN": no pupil of the school has one (the school\'s: APKN (Pakistani), WBRI (White – British)), so no pupil is shown.');
  });
});

describe("an address in a typed spelling", () => {
  it("is sent to the stored spelling, other parameters kept in order, single fetch's _routes left out", async () => {
    await withConnection(db, async (c) => {
      const at = (url: string) => canonicalAddress(c, new Request(`http://localhost${url}`));
      expect(await at(`/?${PERIOD}&year_group=Year%205`)).toBe(`/?${PERIOD}&year_group=5`);
      expect(await at(`/?year_group=Y5&fsm=yes&sex=Female`)).toBe(`/?year_group=5&fsm=Y&sex=F`);
      expect(await at(`/pupils.csv?reg_group=5a&sort=name`)).toBe(`/pupils.csv?reg_group=5A&sort=name`);
      expect(await at(`/pupils?drill=reg_group:5a&_routes=routes%2Fpupils._index`)).toBe(`/pupils?drill=reg_group%3A5A`);
      // Only the first of a repeated parameter is read; the others stay for the page to say.
      expect(await at(`/?year_group=y5&year_group=y3`)).toBe(`/?year_group=5&year_group=y3`);
      // A year group the school has none of is read as the importer reads it, then said.
      expect(await at(`/?year_group=Y9`)).toBe(`/?year_group=9`);
      for (const stored of [`/?${PERIOD}&year_group=5&fsm=Y`, "/?reg_group=5Z", "/?fsm=maybe", "/?ethnicity=APKN", "/"]) expect(await at(stored), stored).toBeNull();
    });
  });

  it("a page redirects there, staff and governor alike, and reads the group the CLI reads", async () => {
    for (const role of ["attendance_lead", "governor"]) {
      const typed = await answer(overviewLoader as never, `/?${PERIOD}&year_group=Year%205&fsm=yes`, accounts[role].cookie);
      expect(typed.status, role).toBe(302);
      expect(typed.location, role).toBe(`/?${PERIOD}&year_group=5&fsm=Y`);
    }
    type Overview = { filters: Record<string, string>; current: { attendance_pct: number | null; possible_sessions: number }; notice: string | null };
    const fsm = await loaderData<Overview>(overviewLoader as never, db, accounts.attendance_lead.cookie, `/?${PERIOD}&fsm=Y&sex=F`);
    expect(fsm.current.possible_sessions).toBe(20);
    expect(fsm.current.attendance_pct).toBeCloseTo(90, 6);
    const year5 = await loaderData<Overview>(overviewLoader as never, db, accounts.attendance_lead.cookie, `/?${PERIOD}&year_group=5`);
    expect(year5.filters.year_group).toBe("5");
    expect(year5.current.possible_sessions).toBe(40);
    expect(year5.current.attendance_pct).toBeCloseTo(95, 6);
    expect(year5.notice).toBeNull();
  });

  it("a year group the school has none of is said in the form its year groups are listed", async () => {
    const moved = await answer(overviewLoader as never, `/?${PERIOD}&year_group=Y9`, accounts.attendance_lead.cookie);
    expect(moved.location).toBe(`/?${PERIOD}&year_group=9`);
    const page = await loaderData<{ notice: string | null }>(overviewLoader as never, db, accounts.attendance_lead.cookie, moved.location!);
    expect(page.notice).toBe('Year group "Year 9": no pupil of the school has one (the school\'s: Year 3, Year 5), so no pupil is shown.');
  });
});

describe("a download's filters", () => {
  it("the Pupils CSV of reg_group=5a is 5A's pupils, by way of the stored spelling", async () => {
    const typed = await answer(pupilsCsvLoader as never, `/pupils.csv?${PERIOD}&reg_group=5a`, accounts.attendance_lead.cookie);
    expect(typed.status).toBe(302);
    expect(typed.location).toBe(`/pupils.csv?${PERIOD}&reg_group=5A`);
    const file = await answer(pupilsCsvLoader as never, typed.location!, accounts.attendance_lead.cookie);
    expect(file.status).toBe(200);
    const [header, ...rows] = parseCsv(file.body.replace(/^\uFEFF/, ""));
    const upn = header.findIndex((label) => /UPN/i.test(label));
    expect(rows.map((row) => row[upn]).sort()).toEqual(["A1", "A2"]);
  });

  it("a value that is none of the school's is refused, never an empty file", async () => {
    const lead = accounts.attendance_lead.cookie;
    const refused = [
      [`/pupils.csv?${PERIOD}&reg_group=5Z`, 'Not downloaded: Class "5Z": no pupil of the school has one (the school\'s: 3B, 5A), so no file is made.'],
      [`/pupils.csv?${PERIOD}&drill=year_group:9`, 'Not downloaded: Year group "Year 9": no pupil of the school has one (the school\'s: Year 3, Year 5), so no file is made.'],
      [`/pupils.csv?${PERIOD}&fsm=maybe`, 'Not downloaded: Not understood in the address: fsm "maybe" (expected Y or N, or yes or no), so no file is made.'],
      ["/casework.csv?year_group=9", 'Not downloaded: Year group "Year 9": no pupil of the school has one (the school\'s: Year 3, Year 5), so no file is made.'],
    ] as const;
    for (const [url, words] of refused) {
      const got = await answer((url.startsWith("/pupils") ? pupilsCsvLoader : caseworkCsvLoader) as never, url, lead);
      expect(got.status, url).toBe(400);
      expect(got.body.trim(), url).toBe(words);
    }
    // A drill-down the list cannot read is its own: said and dropped on the page, and (since trial
    // 24b: a file of every pupil read as the one asked for) no file, as for the school's values.
    const drilled = await answer(pupilsCsvLoader as never, `/pupils.csv?${PERIOD}&drill=weekday:Funday`, lead);
    expect(drilled.status).toBe(400);
    expect(drilled.body).toMatch(/^Not downloaded: Not understood in the address: drill "weekday:Funday" \(expected .+\), so no file is made\.$/m);
    const casework = await answer(caseworkCsvLoader as never, "/casework.csv?year_group=Y5", lead);
    expect(casework.location).toBe("/casework.csv?year_group=5");
    expect((await answer(caseworkCsvLoader as never, "/casework.csv?year_group=5", lead)).status).toBe(200);
  });
});

/**
 * One rule for a coded value no pupil has, web and CLI (a trial: fsm=Y in a school with no FSM
 * pupil was an empty page on the web and refused by the CLI): here no pupil is looked after
 * (LAC N for all three) and none has SEN (N). The CLI refuses, a page says it as it says a year
 * group the school has none of, a download refuses; a governor's page says nothing (a group of
 * none reads as a small one, withheld). An unreadable value names the spellings read.
 */
describe("a coded value no pupil of the school has", () => {
  it("the CLI refuses it, and an unreadable one is told the spellings read", async () => {
    await withConnection(db, async (c) => {
      expect(await storedFilterValue(c, "lac", "yes")).toEqual({ refusal: "no lac value yes; lac values are N" });
      expect(await storedFilterValue(c, "lac", "maybe")).toEqual({ refusal: 'lac "maybe" is not Y or N, or yes or no; lac values are N' });
      expect(await storedFilterValue(c, "sen", "K")).toEqual({ refusal: "no sen value K; sen values are N" });
    });
  });

  it("a page says it, in the words it says a year group the school has none of", async () => {
    const page = await loaderData<{ notice: string | null }>(overviewLoader as never, db, accounts.attendance_lead.cookie, `/?${PERIOD}&lac=Y`);
    expect(page.notice).toBe('Looked after "Y": no pupil of the school has one (the school\'s: N (Not looked after)), so no pupil is shown.');
    const typed = await answer(overviewLoader as never, `/?${PERIOD}&lac=yes`, accounts.attendance_lead.cookie);
    expect(typed.location).toBe(`/?${PERIOD}&lac=Y`);
    const governor = await loaderData<{ notice: string | null }>(overviewLoader as never, db, accounts.governor.cookie, `/?${PERIOD}&lac=Y`);
    expect(governor.notice ?? "").not.toContain("no pupil of the school has one");
  });

  it("a download refuses it, never an empty file", async () => {
    const got = await answer(pupilsCsvLoader as never, `/pupils.csv?${PERIOD}&sen=K`, accounts.attendance_lead.cookie);
    expect(got.status).toBe(400);
    expect(got.body.trim()).toBe('Not downloaded: SEN "K": no pupil of the school has one (the school\'s: N (No SEN)), so no file is made.');
  });
});
