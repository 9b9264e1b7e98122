/**
 * When each session's register closes is a school setting (Settings page and `rollcall
 * settings`), 09:30 and 13:35 until the school sets its own: checked as other settings are
 * (HH:MM, the morning's before the afternoon's, all or nothing, logged), and read by every
 * page that says which sessions are due (the view's `due`, Register checks, a pupil's calendar
 * and chart) and by the kept pages' version of those pages.
 *
 * Register by hand: school days Mon 9 – Fri 13 March 2026; pupil A marked every session.
 * Today Fri 13 March at 09:15 (ROLLCALL_TODAY).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, withConnection } from "../analytics/db.ts";
import { importCalendar } from "../analytics/import/index.ts";
import { getSettings, saveSettings } from "../analytics/settings.ts";
import { DEFAULT_REGISTER_CLOSES, lastDueSession } from "../analytics/register-due.ts";
import { resolveView } from "../app/lib/view.server.ts";
import { pageVersion } from "../app/lib/page-version.server.ts";
import { daysOf, seedRegister } from "./helpers/register.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { restoreTodayAfterAll } from "./helpers/break-register.ts";

const db = tempDbPath("register-closes-setting");
const lead = { name: "Emma Stevenson", role: "attendance_lead" };
restoreTodayAfterAll();

beforeAll(async () => {
  process.env.ROLLCALL_TODAY = "2026-03-13T09:15";
  await withConnection(db, async (c) => {
    await importCalendar(c, { file: "calendar.csv", text: "kind,name,start_date,end_date\nhalf_term,spring-2,2026-03-09,2026-03-13\n", by: { name: "Test", role: "Test" } });
    const days = ["2026-03-09", "2026-03-10", "2026-03-11", "2026-03-12"];
    await seedRegister(c, { pupils: [{ upn: "A", surname: "Able" }], marks: daysOf("A", Object.fromEntries(days.map((d) => [d, ["/", "\\"] as [string, string]]))) });
  });
});
afterAll(() => removeDb(db));

describe("the register closing times", () => {
  it("are 09:30 and 13:35 until set, and the view's due session and the kept pages' version read them", async () => {
    await withConnection(db, async (c) => {
      expect((await getSettings(c)).register_closes).toEqual({ AM: "09:30", PM: "13:35" });
      const view = await resolveView(c, new Request("http://localhost/quality"));
      // 09:15: the morning register has not closed, so the last due session is Thursday's PM.
      expect(view.due).toEqual({ date: "2026-03-12", pm: true });
      expect(pageVersion("/quality")).toBe("due 2026-03-12 PM");
    });
  });

  it("refuses a time not HH:MM, or a morning not before the afternoon, and changes nothing", async () => {
    await withConnection(db, async (c) => {
      expect((await saveSettings(c, { am_register_closes: "9:10" }, lead)).problems).toEqual({ am_register_closes: '"9:10" is not a valid value for am_register_closes (a time of day, 24-hour HH:MM, e.g. 09:30)' });
      expect((await saveSettings(c, { pm_register_closes: "25:00" }, lead)).problems.pm_register_closes).toContain("HH:MM");
      expect((await saveSettings(c, { am_register_closes: "13:40", school_name: "Ludlow" }, lead)).problems).toEqual({
        am_register_closes: "the morning register closes before the afternoon's (got morning 13:40, afternoon 13:35)",
      });
      // Said beside the time changed: the page sends both.
      expect((await saveSettings(c, { am_register_closes: "09:30", pm_register_closes: "09:00" }, lead)).problems.pm_register_closes).toContain("before the afternoon's");
      expect((await saveSettings(c, { am_register_closes: "14:00", pm_register_closes: "13:35" }, lead)).problems.am_register_closes).toContain("before the afternoon's");
      expect((await getSettings(c)).register_closes).toEqual(DEFAULT_REGISTER_CLOSES);
      expect((await getSettings(c)).school_name).not.toBe("Ludlow");
    });
  });

  it("a school's own times are saved, logged, and move the due session: at 09:15 with the morning's at 09:10, today's AM is due", async () => {
    process.env.ROLLCALL_TODAY = "2026-03-13T09:15";
    await withConnection(db, async (c) => {
      expect((await saveSettings(c, { am_register_closes: "09:10", pm_register_closes: "13:30" }, lead)).problems).toEqual({});
      expect((await getSettings(c)).register_closes).toEqual({ AM: "09:10", PM: "13:30" });
      const log = await queryRows(c, "SELECT key, old_value, new_value, changed_by FROM settings_changes ORDER BY key");
      expect(log).toEqual([
        { key: "am_register_closes", old_value: null, new_value: "09:10", changed_by: "Emma Stevenson" },
        { key: "pm_register_closes", old_value: null, new_value: "13:30", changed_by: "Emma Stevenson" },
      ]);
      const view = await resolveView(c, new Request("http://localhost/quality"));
      expect(view.due).toEqual({ date: "2026-03-13", pm: false });
      expect(pageVersion("/quality")).toBe("due 2026-03-13 AM");
      expect(pageVersion("/pupils/A.data")).toBe("due 2026-03-13 AM");
      expect(pageVersion("/pupils")).toBe("due 2026-03-13 AM");
      // The Overview: "Since last week" and the weekly chart's words follow the due session (app/lib/recent.server.ts).
      expect(pageVersion("/")).toBe("due 2026-03-13 AM");
      // Its data for a navigation in the browser is /_root.data (single fetch), not /.data: kept at "" it stayed as made all day.
      expect(pageVersion("/_root.data")).toBe("due 2026-03-13 AM");
      expect(pageVersion("/trends")).toBe("due 2026-03-13 AM");
      expect(pageVersion("/codes")).toBe("");
      // 13:30 is the afternoon's: from then both of today's sessions are due.
      expect(lastDueSession({ date: "2026-03-13", time: "13:30" }, (await getSettings(c)).register_closes)).toEqual({ date: "2026-03-13", pm: true });
    });
  });
});
