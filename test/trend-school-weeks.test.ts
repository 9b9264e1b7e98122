/**
 * A pupil's trend over "the last four weeks" counts school weeks (analytics/register-windows.ts: a school week has
 * at least one school day), so a half-term holiday is not one of the four (issue 13, a
 * fresh-clone trial: the Pupils list's trend took 28 calendar days, and a week after the half
 * term its "four weeks" were the holiday and three school weeks). Hand-built register: Autumn
 * 1 from Mon 1 Sep to Fri 17 Oct 2025, holiday 20–24 Oct, Autumn 2 from Mon 27 Oct to Fri 7
 * Nov. At 7 Nov the four school weeks are 6 Oct – 7 Nov (6, 13 Oct, 27 Oct, 3 Nov) against
 * 8 Sep – 3 Oct (8, 15, 22, 29 Sep). Pupil W was ill all week of 6 Oct: in the recent window
 * 30 of 40 sessions, 75 %, against 40 of 40: −25 points. Counted in calendar days (11 Oct – 7
 * Nov: 13 Oct, 27 Oct, 3 Nov) the week of 6 Oct fell in the earlier window: +25 points.
 * Real SQL on DuckDB, through the Pupils page's own loader code.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { schoolWeekWindows } from "../analytics/register-windows.ts";
import { loadPupilList } from "../app/lib/pupil-list.server.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { absentDays, registerOf, seedSchoolDays } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";
import { restoreTodayAfterAll } from "./helpers/break-register.ts";

const db = tempDbPath("trend-school-weeks");
restoreTodayAfterAll();

beforeAll(async () => {
  process.env.ROLLCALL_TODAY = "2025-11-10";
  await withConnection(db, async (c) => {
    const days = await seedSchoolDays(c, [
      { from: "2025-09-01", to: "2025-10-17", half: "autumn-1-2025", term: "autumn-2025" },
      { from: "2025-10-27", to: "2025-11-07", half: "autumn-2-2025", term: "autumn-2025" },
    ]);
    await seedRegister(c, {
      pupils: [{ upn: "W", admission_date: "2025-09-01" }, { upn: "P", admission_date: "2025-09-01" }],
      marks: [...registerOf("W", days, absentDays(days.filter((d) => d >= "2025-10-06" && d <= "2025-10-10"))), ...registerOf("P", days)],
    });
  });
});
afterAll(() => removeDb(db));

describe("the last four weeks of a trend are school weeks", () => {
  it("skip the half-term holiday (by hand)", async () => {
    await withConnection(db, async (c) => {
      expect(await schoolWeekWindows(c, "2025-11-07", 4)).toEqual({ recent: { from: "2025-10-06", to: "2025-11-07" }, earlier: { from: "2025-09-08", to: "2025-10-03" } });
      // A window reaching before the calendar is shorter; none before it is empty.
      expect(await schoolWeekWindows(c, "2025-09-12", 4)).toEqual({ recent: { from: "2025-09-01", to: "2025-09-12" }, earlier: { from: "2025-09-01", to: "2025-08-31" } });
      await expect(schoolWeekWindows(c, "2025-11-07", 0)).rejects.toThrow(/whole number/);
    });
  });

  it("on the Pupils list: W's week off is in the latest four school weeks (−25 points), and the note says so", async () => {
    await withConnection(db, async (c) => {
      const page = await loadPupilList(c, new Request("http://localhost/pupils?period=custom&from=2025-09-01&to=2025-11-07"), null);
      expect(page.trendWindows).toEqual({ recent: { from: "2025-10-06", to: "2025-11-07" }, earlier: { from: "2025-09-08", to: "2025-10-03" } });
      const rows = Object.fromEntries(page.list.rows.map((r) => [r.upn, r.trend_pts]));
      expect(rows).toEqual({ W: -25, P: 0 });
      expect(page.trendNote).toMatch(/from 6 Oct 2025 to 7 Nov 2025 against the four school weeks before \(8 Sep 2025 to 3 Oct 2025\)/);
    });
  });
});
