/**
 * Unmarked school days beyond the pupil's own page (analytics/unmarked-days.ts): the notice
 * that the register stops before the period does (every page's period, the packs' notes), and
 * each pupil's unmarked days on the Pupils list and in its CSV.
 *
 * Register by hand (test/helpers/part-month-register.ts): school days every weekday from
 * 2 September to 20 December 2024; the last day anyone is marked is Monday 2 December (P and
 * Q). S is marked in September and October only: over 2 Sep – 2 Dec that leaves November's 21
 * school days and Monday 2 December unmarked, 22. R is unmarked on 15 of November's 21 school
 * days. P and Q (who joined on 16 September) are marked every school day they were on roll.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { buildSltPack } from "../analytics/packs/index.ts";
import { headlineMeasures } from "../analytics/packs/sections.ts";
import { sltPeriods } from "../analytics/packs/slt.ts";
import { cellText } from "../analytics/packs/format.ts";
import { pupilList } from "../analytics/pupil-list.ts";
import { marksImported } from "../analytics/unmarked-days.ts";
import { pupilListCsv } from "../app/lib/pupil-csv.ts";
import { loader as overviewLoader } from "../app/routes/_index.tsx";
import { loader as pupilLoader } from "../app/routes/pupils.$upn.tsx";
import { createTestAccounts, type TestAccount } from "./helpers/auth.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { loaderData } from "./helpers/loader.ts";
import { seedPartMonthRegister } from "./helpers/part-month-register.ts";

const db = tempDbPath("unmarked-days");
let slt: TestAccount;
const savedToday = process.env.ROLLCALL_TODAY;

beforeAll(async () => {
  await withConnection(db, seedPartMonthRegister);
  slt = (await createTestAccounts(db)).slt;
});
afterAll(async () => {
  if (savedToday === undefined) delete process.env.ROLLCALL_TODAY;
  else process.env.ROLLCALL_TODAY = savedToday;
  await removeDb(db);
});

describe("the register stopping before the period does", () => {
  it("says the last marked day and the school days of the period since it, before today", async () => {
    // Today Friday 6 December: 3, 4 and 5 December are school days after Monday 2nd, before today.
    const behind = await withConnection(db, (c) => marksImported(c, { from: "2024-09-02", to: "2024-12-06" }, "2024-12-06"));
    expect(behind).toEqual({
      lastMarked: "2024-12-02",
      schoolDaysSince: 3,
      words: "Marks imported up to Mon 2 Dec 2024; the 3 school days since have none yet — import the latest register.",
    });
    // Today Tuesday 3rd: Monday 2nd, the last school day before today, is marked; today's registers may not be taken yet.
    expect(await withConnection(db, (c) => marksImported(c, { from: "2024-09-02", to: "2024-12-03" }, "2024-12-03"))).toBeNull();
    // Wednesday 4th: one school day since (3rd).
    expect((await withConnection(db, (c) => marksImported(c, { from: "2024-12-01", to: "2024-12-04" }, "2024-12-04")))?.words).toBe(
      "Marks imported up to Mon 2 Dec 2024; the school day since has none yet — import the latest register.",
    );
    // A period ending by the last marked day is complete, whatever today is.
    expect(await withConnection(db, (c) => marksImported(c, { from: "2024-11-01", to: "2024-11-30" }, "2024-12-20"))).toBeNull();
    // Only the period's own school days count: 2–20 December read on 1 January, 3–20 December are 14.
    expect((await withConnection(db, (c) => marksImported(c, { from: "2024-12-02", to: "2024-12-20" }, "2025-01-01")))?.schoolDaysSince).toBe(14);
    // A period over before today: its own days, said as its own (not the whole gap to today).
    expect((await withConnection(db, (c) => marksImported(c, { from: "2024-12-02", to: "2024-12-20" }, "2025-01-01")))?.words).toBe(
      "Marks imported up to Mon 2 Dec 2024; this period's 14 school days since have none yet — import the latest register.",
    );
  });

  it("is said once on the Overview and the pupil page, and in the SLT pack's notes", async () => {
    process.env.ROLLCALL_TODAY = "2024-12-06";
    const words = "Marks imported up to Mon 2 Dec 2024; the 3 school days since have none yet — import the latest register.";
    const overview = await loaderData<{ registerNotice: string | null }>(overviewLoader, db, slt.cookie, "/?period=this-term");
    expect(overview.registerNotice).toBe(words);
    const pupil = await loaderData<{ registerNotice: string | null }>((args) => pupilLoader({ ...args, params: { upn: "P" } }), db, slt.cookie, "/pupils/P?period=this-term");
    expect(pupil.registerNotice).toBe(words);
    // November is complete: no notice.
    const november = await loaderData<{ registerNotice: string | null }>(overviewLoader, db, slt.cookie, "/?period=custom&from=2024-11-01&to=2024-11-30");
    expect(november.registerNotice).toBeNull();
    const pack = await withConnection(db, (c) => buildSltPack(c, { month: "2024-12", today: "2024-12-06", toDateTabs: false }));
    expect(pack.notes.filter((note) => note.startsWith("Marks imported"))).toEqual([words]);
    const novemberPack = await withConnection(db, (c) => buildSltPack(c, { month: "2024-11", today: "2024-12-06", toDateTabs: false }));
    expect(novemberPack.notes.some((note) => note.startsWith("Marks imported"))).toBe(false);
  });
});

describe("the same period last year, to the same point as this year's marks (trial22b)", () => {
  it("cuts last year where the register stops inside the period, on the Overview and in the SLT pack's headline; a complete period is shifted whole", async () => {
    process.env.ROLLCALL_TODAY = "2024-12-06";
    // This term to Friday 6 December, marks to Monday 2nd: last year read to Saturday 2 December 2023, not to the 6th.
    const overview = await loaderData<{ lastYearPeriod: { from: string; to: string } }>(overviewLoader, db, slt.cookie, "/?period=this-term");
    expect(overview.lastYearPeriod).toEqual({ from: "2023-08-01", to: "2023-12-02" });
    // November is marked to its end: the same dates a year earlier, whole.
    const november = await loaderData<{ lastYearPeriod: { from: string; to: string } }>(overviewLoader, db, slt.cookie, "/?period=custom&from=2024-11-01&to=2024-11-30");
    expect(november.lastYearPeriod).toEqual({ from: "2023-11-01", to: "2023-11-30" });
    const c = { today: "2024-12-06" };
    const december = await withConnection(db, (conn) => headlineMeasures(conn, sltPeriods("2024-12", c.today), c.today));
    expect(december.lastYearSpans).toEqual({ period: { from: "2023-12-01", to: "2023-12-02" }, yearToDate: { from: "2023-08-01", to: "2023-12-02" } });
    // Without today (the governors' pack reads whole half terms), the spans as they were.
    const whole = await withConnection(db, (conn) => headlineMeasures(conn, sltPeriods("2024-12", c.today)));
    expect(whole.lastYearSpans.yearToDate.to).toBe("2023-12-06");
  });
});

describe("each pupil's unmarked school days on the Pupils list and its CSV", () => {
  const query = { from: "2024-09-02", to: "2024-12-02", filter: {} };

  it("counts them by the pupil page's rule: S 22, R 15, P and Q none", async () => {
    const list = await withConnection(db, (c) => pupilList(c, query, { trend: null, pageSize: null }));
    expect(list.rows.map((r) => [r.upn, r.attendance_pct, r.possible_sessions, r.unmarked_days])).toEqual([
      // P: 130 of 132 (ill on 2 December); Q from 16 September, 112 sessions.
      ["P", (100 * 130) / 132, 132, 0],
      ["Q", 100, 112, 0],
      ["R", 100, 102, 15],
      // A trial's pupil read "100.0 %" beside classmates with 42 more sessions and nothing said.
      ["S", 100, 88, 22],
    ]);
    // The pupil page counts the same days, on the afternoon of 2 December (both registers closed).
    process.env.ROLLCALL_TODAY = "2024-12-02T16:00";
    for (const [upn, days] of [["S", 22], ["R", 15], ["P", 0]] as const) {
      const page = await loaderData<{ unmarkedDays: number }>((args) => pupilLoader({ ...args, params: { upn } }), db, slt.cookie, `/pupils/${upn}?period=custom&from=2024-09-02&to=2024-12-02`);
      expect(page.unmarkedDays).toBe(days);
    }
  });

  it("and in the SLT workbook's pupils tab, a new last column over the year to date", async () => {
    // December's pack on Friday 6th: 3–5 December are after the last marked day, no one's gap.
    const pack = await withConnection(db, (c) => buildSltPack(c, { month: "2024-12", today: "2024-12-06" }));
    const tab = pack.toDateTabs?.find((t) => t.sheet === "Pupils year to date");
    expect(tab?.table.columns.at(-1)?.label).toBe("Unmarked school days");
    const cells = new Map(tab!.table.rows.map((row) => [cellText(row[1]), cellText(row.at(-1)!)]));
    expect(Object.fromEntries(cells)).toEqual({ P: "0", Q: "0", R: "15", S: "22" });
  });

  it("puts them in the CSV's column after Judged (Trend judged came after it), the others unchanged", async () => {
    const list = await withConnection(db, (c) => pupilList(c, query, { trend: null, pageSize: null }));
    const lines = pupilListCsv(list.rows).trim().split(/\r?\n/);
    const header = lines[0].split(",");
    expect(header.slice(-3)).toEqual(["Judged", "Unmarked school days", "Trend judged"]);
    expect(lines.slice(1).map((line) => [line.split(",")[0], line.split(",").at(-2)])).toEqual([
      ["P", "0"],
      ["Q", "0"],
      ["R", "15"],
      ["S", "22"],
    ]);
  });
});
