/** Settings: defaults from the policy, validation, and all-or-nothing saving. */
import { afterAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { DEFAULT_SETTINGS, getSettings, saveSettings, setSetting, settingProblem } from "../analytics/settings.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("settings");
afterAll(() => removeDb(db));

describe("settings", () => {
  it("starts from the example policy's numbers", async () => {
    const settings = await withConnection(db, (c) => getSettings(c));
    expect(settings).toMatchObject({ target_attendance_pct: 96.1, n_code_limit_school_days: 5, small_group_min: 5, penalty_sessions: 10, penalty_window_school_weeks: 10 });
    expect(settings.attendance_thresholds).toEqual([96, 90, 85, 50]);
    expect(DEFAULT_SETTINGS.target_attendance_pct).toBe(96.1);
  });

  it("names what is wrong with a value", () => {
    expect(settingProblem("target_attendance_pct", "abc")).toMatch(/not a valid value/);
    expect(settingProblem("target_attendance_pct", "101")).toMatch(/not a valid value/);
    expect(settingProblem("colour", "red")).toMatch(/unknown setting/);
    expect(settingProblem("attendance_thresholds", "90, 96")).toBeNull();
  });

  it("saves all or nothing", async () => {
    const refused = await withConnection(db, (c) => saveSettings(c, { target_attendance_pct: "95", small_group_min: "0" }));
    expect(Object.keys(refused.problems)).toEqual(["small_group_min"]);
    expect((await withConnection(db, (c) => getSettings(c))).target_attendance_pct).toBe(96.1);

    const saved = await withConnection(db, (c) => saveSettings(c, { target_attendance_pct: "95", attendance_thresholds: "90, 96, 85" }));
    expect(saved.problems).toEqual({});
    const after = await withConnection(db, (c) => getSettings(c));
    expect(after.target_attendance_pct).toBe(95);
    expect(after.attendance_thresholds).toEqual([96, 90, 85]);
  });

  it("refuses a bad value through setSetting too", async () => {
    await expect(withConnection(db, (c) => setSetting(c, "penalty_sessions", "-3"))).rejects.toThrow(/not a valid value/);
  });
});
