/**
 * Settings says every problem of a save at once (fresh-clone trial 29: a letter threshold of 85,
 * under monitoring's 90, saved with the afternoon register closing at 09:00, before the
 * morning's 09:30, was told the thresholds' problem alone, the times' on the next save): each
 * value alone and each combination of values that read, by saveSettings (the Settings page's)
 * and `rollcall settings set`. Nothing is saved.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAllInstances, withConnection } from "../analytics/db.ts";
import { getSettings, saveSettings } from "../analytics/settings.ts";
import { cliOn, initSchool } from "./helpers/cli.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("settings-every-problem");
const lead = { name: "Emma Stevenson", role: "attendance_lead" };
beforeAll(() => initSchool(db), 60_000);
afterAll(async () => {
  await closeAllInstances();
  await removeDb(db);
});

describe("a save with several problems", () => {
  it("names the thresholds', the closing times' and a value's own problems together, and saves nothing", async () => {
    const { problems, after } = await withConnection(db, async (c) => {
      const saved = await saveSettings(c, { letter_threshold_pct: "85", am_register_closes: "09:30", pm_register_closes: "09:00", la_number: "820", estab_number: "" }, lead);
      return { ...saved, after: await getSettings(c) };
    });
    expect(Object.keys(problems).sort()).toEqual(["estab_number", "letter_threshold_pct", "pm_register_closes"]);
    expect(problems.letter_threshold_pct).toContain("the attendance thresholds must descend");
    expect(after.policy.letter_threshold_pct).toBe(96);
    expect(after.register_closes).toEqual({ AM: "09:30", PM: "13:35" });
  });

  it("a value that does not read is said beside the combinations that do", async () => {
    const { problems } = await withConnection(db, (c) => saveSettings(c, { target_attendance_pct: "abc", letter_threshold_pct: "85", pm_register_closes: "09:00" }, lead));
    expect(Object.keys(problems).sort()).toEqual(["letter_threshold_pct", "pm_register_closes", "target_attendance_pct"]);
  });

  it("rollcall settings set names both problems", async () => {
    await closeAllInstances();
    const result = await cliOn(db)("settings", "set", "letter_threshold_pct", "85", "pm_register_closes", "09:00");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/letter_threshold_pct: the attendance thresholds must descend.*; pm_register_closes: .*nothing was changed/);
  }, 60_000);
});
