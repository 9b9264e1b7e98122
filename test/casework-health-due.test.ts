/**
 * Trial leftover (session 16): "Illness: inform the local authority" had no due date — the
 * list's "Due by" column is the ladder's, and neither school policy dates the notice. The DfE's
 * guidance ("Arranging education for children who cannot attend school because of health
 * needs", December 2023: the local authority arranges education as soon as it is clear a pupil
 * will miss 15 school days or more, consecutive or cumulative) sets no time for the school's
 * notice either. So the list says plainly that no date is set and why, on the page (loader's
 * list), in the CSV and from the CLI — never a blank. Register by hand: 1–12 September 2025
 * (10 school days) and 15–19 September (5) and Mon 22 September (1): 16 days of illness (I),
 * more than the 15 the rule lists at; a second pupil with 15 is not listed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeInstance, withConnection } from "../analytics/db.ts";
import { rebuildSchoolDays } from "../analytics/import/calendar.ts";
import { caseworkLists } from "../analytics/casework/lists.ts";
import { getPolicy } from "../analytics/settings.ts";
import { caseworkCsv } from "../app/lib/casework-csv.ts";
import { seedRegister, type TestMark } from "./helpers/register.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { cliOn } from "./helpers/cli.ts";

const db = tempDbPath("casework-health-due");
const AS_OF = "2025-09-26";
const days: string[] = [];
for (let d = new Date("2025-09-01T00:00:00Z"); d <= new Date(`${AS_OF}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) {
  if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) days.push(d.toISOString().slice(0, 10));
}
const marksOf = (upn: string, illDays: number): TestMark[] =>
  days.flatMap((date, i) => {
    const code = i < illDays ? "I" : null;
    return [[upn, date, "AM", code ?? "/"] as TestMark, [upn, date, "PM", code ?? "\\"] as TestMark];
  });

beforeAll(async () => {
  await withConnection(db, async (c) => {
    await c.run("INSERT INTO calendar_periods VALUES ('autumn-1-2025', '2025-09-01'::DATE, '2025-10-24'::DATE)");
    await rebuildSchoolDays(c);
    await seedRegister(c, {
      pupils: [
        { upn: "ILL16", admission_date: "2025-09-01" },
        { upn: "ILL15", admission_date: "2025-09-01" },
      ],
      marks: [...marksOf("ILL16", 16), ...marksOf("ILL15", 15)],
    });
  });
});
afterAll(() => removeDb(db));

describe("Illness: inform the local authority says when, or that no date is set and why", () => {
  it("the list carries the words, with the guidance and the 15 school days, consecutive or cumulative", async () => {
    const lists = await withConnection(db, async (c) => caseworkLists(c, { asOf: AS_OF, policy: await getPolicy(c), rules: ["health_more_than_15_days"] }));
    const list = lists.find((l) => l.rule === "health_more_than_15_days")!;
    expect(list.pupils.map((p) => p.upn)).toEqual(["ILL16"]);
    expect(list.due).toMatch(/^No due date is set: neither the school's policy nor the DfE's guidance gives one\./);
    expect(list.due).toContain("Arranging education for children who cannot attend school because of health needs");
    expect(list.due).toContain("15 school days or more, consecutive or cumulative");
    // Every list whose action is a ladder step has none (its date is in the Due by column).
    const all = await withConnection(db, async (c) => caseworkLists(c, { asOf: AS_OF, policy: await getPolicy(c) }));
    expect(all.filter((l) => l.due !== null).map((l) => l.rule)).toEqual(["health_more_than_15_days"]);
  });

  it("the CSV gives the words on the pupil's row", async () => {
    const lists = await withConnection(db, async (c) => caseworkLists(c, { asOf: AS_OF, policy: await getPolicy(c), rules: ["health_more_than_15_days"], pageSize: null }));
    const { csv } = caseworkCsv(lists);
    const [header, row] = csv.trim().split(/\r?\n/);
    expect(header).toContain("List's action due");
    expect(row).toContain("ILL16");
    expect(row).toContain("No due date is set");
  });

  it("the CLI's table says it below the entries", async () => {
    await closeInstance(db); // the CLI opens the file itself
    const result = await cliOn(db)("casework", "--as-of", AS_OF, "--rule", "health_more_than_15_days");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("ILL16");
    // The list by its title, as the table names it (trial 52).
    expect(result.stdout).toMatch(/Illness: inform the local authority: No due date is set/);
  });
});
