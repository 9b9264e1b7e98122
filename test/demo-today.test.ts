/**
 * The demo register holds only the sessions whose registers have closed when it is built by the
 * clock (or for a day and time): a fresh-clone trial's demo, built at 06:44 on Fri 4 Dec 2026,
 * held 238 afternoon marks for that day, so a pupil's calendar at 10:00 showed the afternoon as
 * attended and "not yet due" could never be seen on the demo. A date alone keeps the whole day
 * (the tests' and the bench's fixed registers), and every other mark is the same either way.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { closeAllInstances, queryRows, withConnection } from "../analytics/db.ts";
import { generateDemoSchool } from "../analytics/demo/index.ts";
import { demoDay } from "../analytics/cli/commands/demo.ts";
import { cliOn } from "./helpers/cli.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-demo-today-"));
afterAll(async () => {
  await closeAllInstances();
  fs.rmSync(dir, { recursive: true, force: true });
});
const saved = process.env.ROLLCALL_TODAY;
afterEach(() => {
  if (saved === undefined) delete process.env.ROLLCALL_TODAY;
  else process.env.ROLLCALL_TODAY = saved;
});

const DAY = "2026-12-04"; // a Friday in term
/** The current year's marks file's rows, split into today's and the rest. */
function rows(through?: { date: string; pm: boolean }) {
  const files = generateDemoSchool({ today: DAY, through, pupils: 40, years: 1 });
  const lines = files.marksCsvByYear[0].csv.trim().split("\n").slice(1);
  return { today: lines.filter((l) => l.split(",")[1] === DAY), before: lines.filter((l) => l.split(",")[1] !== DAY) };
}

describe("the demo's sessions of today", () => {
  it("writes today's AM only once its register has closed, the PM only once its has, and every other mark unchanged", () => {
    const whole = rows();
    const pupils = whole.today.filter((l) => l.includes(",AM,")).length;
    expect(pupils).toBeGreaterThan(30);
    expect(whole.today.filter((l) => l.includes(",PM,"))).toHaveLength(pupils);
    const morning = rows({ date: DAY, pm: false });
    expect(morning.today).toEqual(whole.today.filter((l) => l.includes(",AM,")));
    const none = rows({ date: "2026-12-03", pm: true });
    expect(none.today).toEqual([]);
    const both = rows({ date: DAY, pm: true });
    expect(both.today).toEqual(whole.today);
    for (const r of [morning, none, both]) expect(r.before).toEqual(whole.before);
  });

  it("reads the day from --today, ROLLCALL_TODAY or the clock: with a time, the sessions due then; a date alone, the whole day", () => {
    delete process.env.ROLLCALL_TODAY;
    expect(demoDay("2026-12-04T06:44")).toEqual({ today: DAY, through: { date: "2026-12-03", pm: true } });
    expect(demoDay("2026-12-04T10:00")).toEqual({ today: DAY, through: { date: DAY, pm: false } });
    expect(demoDay("2026-12-04T13:35")).toEqual({ today: DAY, through: { date: DAY, pm: true } });
    expect(demoDay("2026-12-04")).toEqual({ today: DAY });
    process.env.ROLLCALL_TODAY = "2026-12-04T09:29";
    expect(demoDay(undefined)).toEqual({ today: DAY, through: { date: "2026-12-03", pm: true } });
    process.env.ROLLCALL_TODAY = "2026-12-04";
    expect(demoDay(undefined)).toEqual({ today: DAY });
    delete process.env.ROLLCALL_TODAY;
    expect(demoDay(undefined).through).toBeDefined();
    expect(() => demoDay("4 Dec")).toThrow('--today must be a date as YYYY-MM-DD, or a date and time as YYYY-MM-DDTHH:MM (got "4 Dec")');
    expect(() => demoDay("2026-02-30T10:00")).toThrow("February 2026 has 28 days");
  });

  it("rollcall demo --today 2026-12-04T10:00 holds that morning's marks and no afternoon's, and says so", async () => {
    const file = path.join(dir, "demo.duckdb");
    const result = await cliOn(file)("demo", "--today", "2026-12-04T10:00", "--pupils", "40", "--years", "1");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`to ${DAY}, its morning only (the afternoon register has not closed)`);
    const counts = await withConnection(file, (c) =>
      queryRows<{ session: string; n: number }>(c, "SELECT session, count(*)::INTEGER AS n FROM marks WHERE date = $day::DATE GROUP BY session ORDER BY session", { day: DAY }),
    );
    expect(counts.map((r) => r.session)).toEqual(["AM"]);
    expect(counts[0].n).toBe(rows().today.filter((l) => l.includes(",AM,")).length);
  }, 120_000);

  it("rollcall demo on a Saturday or in a holiday says the day has no school and the last day marked", async () => {
    const file = path.join(dir, "weekend.duckdb");
    const saturday = await cliOn(file)("demo", "--today", "2026-12-05T10:00", "--pupils", "40", "--years", "1");
    expect(saturday.code, saturday.stderr).toBe(0);
    expect(saturday.stdout).toContain("to 2026-12-05, not a school day (a weekend): marks to 2026-12-04 (");
    expect(saturday.stdout).not.toContain("register has not closed");
    const holiday = await cliOn(file)("demo", "--today", "2026-12-24T10:00", "--pupils", "40", "--years", "1", "--replace");
    expect(holiday.code, holiday.stderr).toBe(0);
    expect(holiday.stdout).toContain("to 2026-12-24, not a school day (a school holiday): marks to 2026-12-18 (");
  }, 120_000);
});
