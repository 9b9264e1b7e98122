/**
 * Like for like when today's afternoon has no marks yet (trial 29: the Overview set this
 * morning's 95.0 % of 238 sessions against the whole of the same day last year, 93.2 %, and
 * called it better). Register by hand, two pupils:
 * - Thu 4 Dec 2025 (the same weekday 52 weeks before Thu 3 Dec 2026): A present AM, unauthorised absent PM (O); B present both. Whole day 3 of 4
 *   sessions attended (75 %); by its morning 2 of 2 (100 %).
 * - Tue 1 – Wed 2 Dec 2026: both present both sessions (8 of 8).
 * - Thu 3 Dec 2026 ("today", 10:00): A present AM, B illness (I) AM, no PM marks: 1 of 2 (50 %).
 * A one-day period ending this morning is compared with last year's same day by its morning; a
 * longer one says its last day is a morning only; once the afternoon is marked, whole days.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { summarise } from "../analytics/measures.ts";
import { resolveView } from "../app/lib/view.server.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { seedSchoolDays } from "./helpers/calendar.ts";
import { daysOf, seedRegister } from "./helpers/register.ts";
import { restoreTodayAfterAll } from "./helpers/break-register.ts";

const db = tempDbPath("last-year-morning");
restoreTodayAfterAll();

beforeAll(async () => {
  process.env.ROLLCALL_TODAY = "2026-12-03T10:00";
  await withConnection(db, async (c) => {
    await seedSchoolDays(c, [
      { from: "2025-12-01", to: "2025-12-05", half: "autumn-2-2025", term: "autumn-2025" },
      { from: "2026-11-30", to: "2026-12-04", half: "autumn-2-2026", term: "autumn-2026" },
    ]);
    await seedRegister(c, {
      pupils: [{ upn: "A", admission_date: "2025-09-01" }, { upn: "B", admission_date: "2025-09-01" }],
      marks: [
        ...daysOf("A", { "2025-12-04": ["/", "O"], "2026-12-01": ["/", "/"], "2026-12-02": ["/", "/"], "2026-12-03": ["/", null] }),
        ...daysOf("B", { "2025-12-04": ["/", "/"], "2026-12-01": ["/", "/"], "2026-12-02": ["/", "/"], "2026-12-03": ["I", null] }),
      ],
    });
  });
});
afterAll(() => removeDb(db));

describe("last year, like for like, with this afternoon not yet marked", () => {
  it("one day: last year's same day by its morning", async () => {
    await withConnection(db, async (c) => {
      const view = await resolveView(c, new Request("http://localhost/?period=custom&from=2026-12-03&to=2026-12-03"));
      expect(view.lastYearMorningOnly).toBe(true);
      expect(view.morningOnlyDay).toBeNull();
      expect([view.lastYearQuery.from, view.lastYearQuery.to]).toEqual(["2025-12-04", "2025-12-04"]);
      const now = await summarise(c, view.query);
      const then = await summarise(c, view.lastYearQuery);
      expect([now.possible_sessions, now.attendance_pct]).toEqual([2, 50]);
      expect([then.possible_sessions, then.attendance_pct]).toEqual([2, 100]);
      // From today into days to come is today alone as the register has it (trial 29b: 4–18 Dec read the whole day a year earlier).
      const ahead = await resolveView(c, new Request("http://localhost/?period=custom&from=2026-12-03&to=2026-12-18"));
      expect(ahead.lastYearMorningOnly).toBe(true);
      expect(ahead.morningOnlyDay).toBeNull();
      expect([ahead.lastYearQuery.from, ahead.lastYearQuery.to]).toEqual(["2025-12-04", "2025-12-04"]);
      expect((await summarise(c, ahead.lastYearQuery)).attendance_pct).toBe(100);
    });
  });

  it("several days: whole days, and the page told that this year's last day is its morning only", async () => {
    await withConnection(db, async (c) => {
      const view = await resolveView(c, new Request("http://localhost/?period=custom&from=2026-12-01&to=2026-12-03"));
      expect(view.lastYearMorningOnly).toBe(false);
      expect(view.morningOnlyDay).toBe("2026-12-03");
      expect(view.lastYearQuery.slice).toBeUndefined();
      // A period before today's: nothing to say.
      const before = await resolveView(c, new Request("http://localhost/?period=custom&from=2026-12-01&to=2026-12-02"));
      expect(before.morningOnlyDay).toBeNull();
      expect(before.lastYearMorningOnly).toBe(false);
    });
  });

  it("once the afternoon is marked, the whole day both years", async () => {
    await withConnection(db, async (c) => {
      await seedRegister(c, { pupils: [], marks: [...daysOf("A", { "2026-12-03": [null, "/"] }), ...daysOf("B", { "2026-12-03": [null, "I"] })] });
      const view = await resolveView(c, new Request("http://localhost/?period=custom&from=2026-12-03&to=2026-12-03"));
      expect(view.lastYearMorningOnly).toBe(false);
      expect((await summarise(c, view.lastYearQuery)).attendance_pct).toBe(75);
    });
  });
});
