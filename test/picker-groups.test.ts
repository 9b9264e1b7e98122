/**
 * The filter picker offers only the year groups and classes pupils of the period shown are
 * counted in (fresh-clone trial 24: the Class filter offered "Not assigned" in 2026/27, when no
 * pupil of that year was in it, and choosing it said "No pupils were on roll…").
 *
 * By hand, on a hand-built register (DuckDB): A in Year 5, 5A, from 2024-09-01 and Year 6, 6A,
 * from 2025-09-01; B joined 2025-09-01 in "Not assigned" and was put in 5B from 2025-09-10
 * (before the first half term's end, 17 Oct); C in Year 6, 6C, left 2025-07-18. Autumn 2025
 * (1 Sep – 19 Dec): A in 6A, B in 5B (at the half term's end and the period's), C not on roll;
 * 2024/25 (2 Sep 2024 – 18 Jul 2025): A in 5A, C in 6C.
 * Then the pages' own loaders on the demo school (today 23 Nov 2026).
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { filterOptions as storedOptions, groupsInPeriod } from "../analytics/options.ts";
import { loader as pupils } from "../app/routes/pupils._index.tsx";
import { loader as classes } from "../app/routes/classes.tsx";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { seedSchoolDays } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";
import { demoSchool } from "./helpers/demo-school.ts";
import { loaderData } from "./helpers/loader.ts";

const db = tempDbPath("picker-groups");

beforeAll(async () => {
  await withConnection(db, async (c) => {
    await seedSchoolDays(c, [
      { from: "2024-09-02", to: "2024-10-18", half: "autumn-1-2024", term: "autumn-2024" },
      { from: "2025-06-02", to: "2025-07-18", half: "summer-2-2025", term: "summer-2025" },
      { from: "2025-09-01", to: "2025-10-17", half: "autumn-1-2025", term: "autumn-2025" },
      { from: "2025-11-03", to: "2025-12-19", half: "autumn-2-2025", term: "autumn-2025" },
    ]);
    await seedRegister(c, {
      pupils: [
        { upn: "A", admission_date: "2024-09-01", spells: [{ from: "2024-09-01", to: "2025-08-31", year_group: "5", reg_group: "5A" }, { from: "2025-09-01", year_group: "6", reg_group: "6A" }] },
        { upn: "B", admission_date: "2025-09-01", spells: [{ from: "2025-09-01", to: "2025-09-09", year_group: "5", reg_group: "Not assigned" }, { from: "2025-09-10", year_group: "5", reg_group: "5B" }] },
        { upn: "C", admission_date: "2024-09-01", leaving_date: "2025-07-18", spells: [{ from: "2024-09-01", year_group: "6", reg_group: "6C" }] },
      ],
      marks: [],
    });
  });
});
afterAll(() => removeDb(db));

const sorted = (set: Set<string>) => [...set].sort();

describe("the groups of a period's pupils (by hand)", () => {
  it("are those the figures count them in: no class only a pupil's earlier days, or another year's pupils, were in", async () => {
    await withConnection(db, async (c) => {
      expect((await storedOptions(c)).regGroups).toEqual(["5A", "5B", "6A", "6C", "Not assigned"]);
      const autumn = await groupsInPeriod(c, { from: "2025-09-01", to: "2025-12-19" });
      expect([sorted(autumn.yearGroups), sorted(autumn.regGroups)]).toEqual([["5", "6"], ["5B", "6A"]]);
      const lastYear = await groupsInPeriod(c, { from: "2024-09-02", to: "2025-07-18" });
      expect([sorted(lastYear.yearGroups), sorted(lastYear.regGroups)]).toEqual([["5", "6"], ["5A", "6C"]]);
      // Before B was put in 5B: "Not assigned" is B's class then.
      expect(sorted((await groupsInPeriod(c, { from: "2025-09-01", to: "2025-09-05" })).regGroups)).toEqual(["6A", "Not assigned"]);
    });
  });
});

const TODAY = "2026-11-23";
const demo = demoSchool("picker-groups-demo", TODAY);

describe("the pages' pickers (demo school)", () => {
  it("offer in 2026/27 only classes with pupils listed, and keep a class the address chose", async () => {
    type Data = { options: { regGroups: string[]; yearGroups: string[] } };
    const read = (loader: (args: LoaderFunctionArgs) => Promise<unknown>, url: string) => loaderData<Data & { paging?: { total: number } }>(loader, demo.db, demo.accounts().head.cookie, url);
    const stored = await withConnection(demo.db, (c) => storedOptions(c));
    expect(stored.regGroups).toContain("Not assigned");
    const page = await read(pupils, "/pupils?period=ytd");
    expect(page.options.regGroups).not.toContain("Not assigned");
    expect(page.options.regGroups.length).toBeGreaterThan(0);
    for (const regGroup of page.options.regGroups) {
      const listed = await read(pupils, `/pupils?period=ytd&reg_group=${encodeURIComponent(regGroup)}`);
      expect([regGroup, listed.paging?.total ?? 0]).not.toEqual([regGroup, 0]);
    }
    expect((await read(classes, "/classes?period=ytd")).options.regGroups).toEqual(page.options.regGroups);
    // Chosen in the address: still shown as chosen (the page says no pupil is listed).
    expect((await read(pupils, "/pupils?period=ytd&reg_group=Not%20assigned")).options.regGroups).toContain("Not assigned");
  });
});
