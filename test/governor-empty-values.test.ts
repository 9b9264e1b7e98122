/**
 * A governor's filter to a value with no pupil in the period reads exactly as one with a single
 * pupil (trial, session 21): a class with no one in it ("Not assigned" on the demo) read "There
 * are no register marks … for these pupils" where a class of one read "withheld", and an
 * ethnicity no pupil has was said outright ("no pupil of the school has one"). Now, for
 * governors, every page's loader gives the same data for none as for one (the filter's own
 * echo aside); a value that is no value of the filter at all (ethnicity "XXXX", a class never
 * recorded) is said to be so, and reads withheld too. Staff keep their words.
 *
 * Register by hand: Autumn 2 2024 (2–13 December) has Q1 in Year 4, class 4C, who leaves on
 * 20 December; Spring 1 2025 (6–17 January) has 20 pupils in Year 3 (3A, WBRI) and S1 in
 * Year 5 (5B, Pakistani, APKN). In Spring 1: Year 4 and 4C have no pupil, Year 5 and 5B one;
 * Bangladeshi (ABAN) none, Pakistani one.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { registerOf, seedSchoolDays } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";
import { createTestAccounts, type TestAccount } from "./helpers/auth.ts";
import { loaderData } from "./helpers/loader.ts";
import { restoreTodayAfterAll } from "./helpers/break-register.ts";
import { loader as codesLoader } from "../app/routes/codes.tsx";
import { loader as trendsLoader } from "../app/routes/trends.tsx";
import { loader as patternsLoader } from "../app/routes/patterns.tsx";
import { loader as overviewLoader } from "../app/routes/_index.tsx";
import { loader as classesLoader } from "../app/routes/classes.tsx";
import { loader as groupsLoader } from "../app/routes/groups.tsx";

const db = tempDbPath("governor-empty-values");
const THREE_A = Array.from({ length: 20 }, (_, i) => `A${i + 1}`);
let accounts: Record<string, TestAccount>;

beforeAll(async () => {
  await withConnection(db, async (c) => {
    const autumn = await seedSchoolDays(c, [{ from: "2024-12-02", to: "2024-12-13", half: "autumn-2-2024", term: "autumn-2024" }]);
    const spring = await seedSchoolDays(c, [{ from: "2025-01-06", to: "2025-01-17", half: "spring-1-2025", term: "spring-2025" }]);
    await seedRegister(c, {
      pupils: [
        { upn: "Q1", ethnicity: "CHNE", leaving_date: "2024-12-20", spells: [{ from: "2024-09-01", year_group: "4", reg_group: "4C" }] },
        ...THREE_A.map((upn) => ({ upn, spells: [{ from: "2024-09-01", year_group: "3", reg_group: "3A" }] })),
        { upn: "S1", ethnicity: "APKN", spells: [{ from: "2024-09-01", year_group: "5", reg_group: "5B" }] },
      ],
      marks: [
        ...registerOf("Q1", autumn),
        ...THREE_A.flatMap((u) => registerOf(u, [...autumn, ...spring], { "2025-01-08": u === "A1" || u === "A2" ? ["I", "I"] : ["/", "/"] })),
        ...registerOf("S1", [...autumn, ...spring], { "2025-01-09": ["O", "/"] }),
      ],
    });
  });
  accounts = await createTestAccounts(db);
  process.env.ROLLCALL_TODAY = "2025-01-27";
});
restoreTodayAfterAll();
afterAll(() => removeDb(db));

const PERIOD = "period=half-term&half=spring-1-2025";
type Loader = Parameters<typeof loaderData>[0];
const PAGES: Array<[string, Loader, string, Array<"year_group" | "reg_group" | "ethnicity">]> = [
  ["overview", overviewLoader, "/", ["year_group", "reg_group", "ethnicity"]],
  ["trends", trendsLoader, "/trends", ["year_group", "reg_group", "ethnicity"]],
  ["codes", codesLoader, "/codes", ["year_group", "reg_group", "ethnicity"]],
  ["patterns", patternsLoader, "/patterns", ["year_group", "reg_group", "ethnicity"]],
  ["classes", classesLoader, "/classes", ["year_group", "reg_group"]],
  ["groups", groupsLoader, "/groups", ["year_group"]],
];
/** No pupil in Spring 1, and one pupil, for each filter. */
const VALUES = { year_group: ["4", "5"], reg_group: ["4C", "5B"], ethnicity: ["ABAN", "APKN"] } as const;

/** The loader's data with the filter's own echo (the chosen value, in the picker's state) taken out. */
function withoutEcho(data: unknown): unknown {
  const { filters: _filters, ...rest } = data as Record<string, unknown>;
  return JSON.parse(JSON.stringify(rest));
}

describe("a governor's value with no pupil reads as one with one pupil", () => {
  for (const [name, loader, path, keys] of PAGES) {
    for (const key of keys) {
      it(`${name}, ${key}: none (${VALUES[key][0]}) and one (${VALUES[key][1]}) give the same data, withheld`, async () => {
        const [empty, one] = VALUES[key];
        const none = await loaderData(loader, db, accounts.governor.cookie, `${path}?${PERIOD}&${key}=${empty}`);
        const single = await loaderData(loader, db, accounts.governor.cookie, `${path}?${PERIOD}&${key}=${one}`);
        expect(withoutEcho(none)).toEqual(withoutEcho(single));
        expect(JSON.stringify(single)).toMatch(/withheld/);
        expect(JSON.stringify(none)).not.toMatch(/no pupil of the school/);
      });
    }
  }

  it("an ethnicity that is no DfE code, or a class never recorded, is said to be no value of the filter, and reads withheld", async () => {
    const bad = (await loaderData<{ notice: string | null; spanWithheld: string | null }>(codesLoader, db, accounts.governor.cookie, `/codes?${PERIOD}&ethnicity=XXXX`));
    expect(bad.notice).toBe('Ethnicity "XXXX": not a DfE ethnicity code, so its figures are withheld.');
    expect(bad.spanWithheld).toMatch(/withheld/);
    const never = await loaderData<{ notice: string | null; spanWithheld: string | null }>(codesLoader, db, accounts.governor.cookie, `/codes?${PERIOD}&reg_group=9Z`);
    expect(never.notice).toMatch(/^Class "9Z": not a class of the school/);
    expect(never.spanWithheld).toMatch(/withheld/);
    // A DfE code no pupil has is not said.
    const aban = await loaderData<{ notice: string | null }>(codesLoader, db, accounts.governor.cookie, `/codes?${PERIOD}&ethnicity=ABAN`);
    expect(aban.notice).toBeNull();
  });

  it("the Groups page lists every value the school has recorded: CHNE (its one pupil left in December) reads as APKN's one pupil does, withheld (trial21b: no row for none beside 'withheld' for a few)", async () => {
    type Row = { group: string; withheld: { row: string | null }; measures: Record<string, unknown> };
    const data = await loaderData<{ sections: Array<{ dimension: string; groups: Row[] }> }>(groupsLoader, db, accounts.governor.cookie, `/groups?${PERIOD}`);
    const ethnicity = data.sections.find((section) => section.dimension === "ethnicity")!.groups;
    expect(ethnicity.map((row) => row.group)).toEqual(["APKN", "CHNE", "WBRI"]);
    const [apkn, chne] = ethnicity;
    expect(chne.withheld.row).toMatch(/withheld/);
    const { group: _a, ...oneRow } = apkn;
    const { group: _c, ...noneRow } = chne;
    expect(JSON.parse(JSON.stringify(noneRow))).toEqual(JSON.parse(JSON.stringify(oneRow)));
    // Staff see the period's groups as before: no CHNE row.
    const staff = await loaderData<{ sections: Array<{ dimension: string; groups: Row[] }> }>(groupsLoader, db, accounts.attendance_lead.cookie, `/groups?${PERIOD}`);
    expect(staff.sections.find((section) => section.dimension === "ethnicity")!.groups.map((row) => row.group)).toEqual(["APKN", "WBRI"]);
  });

  it("staff keep their words: no marks for a class with none, and 'no pupil of the school has one' for ABAN", async () => {
    const staff = await loaderData<{ noMarks: boolean; notice: string | null }>(codesLoader, db, accounts.attendance_lead.cookie, `/codes?${PERIOD}&reg_group=4C`);
    expect(staff.noMarks).toBe(true);
    const aban = await loaderData<{ notice: string | null }>(codesLoader, db, accounts.attendance_lead.cookie, `/codes?${PERIOD}&ethnicity=ABAN`);
    expect(aban.notice).toMatch(/no pupil of the school has one/);
  });
});
