/**
 * Issue 13, a fresh-clone trial on the demo school (today 23 November 2026), as a governor:
 *
 * 1. Year groups & classes over 2024/25: the year groups' pupils (56 + 63 + 60 + 60 = 239)
 *    beside the school's 242 gave the withheld "Left before Summer 2" row's pupils, 3. The
 *    planner treats the leavers' pupils as every reader's (analytics/governor-lattice.ts
 *    isLeaversPublic: the school's pupils over the year less over Summer 2, both published),
 *    so the page prints them (the rest of the row withheld), and the rows add up to the
 *    school's. Its CSV gave that row's PA and SA denominators as 0 beside "withheld" pupils:
 *    the server sends a withheld row's pupils as 0, and the CSV wrote that 0 as the
 *    denominator of every withheld rate (app/lib/csv.ts denominatorOf). A denominator is
 *    printed only where the row publishes it.
 * 2. FGB pack, Summer 2025: the demo has no 2023/24 register, so the "Same period last year"
 *    and "Last year to date" columns have no figures; the rates printed "—" but the counts 0.
 *    And the PA box read "withheld of 242 pupils missed 10% or more".
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { buildDemo } from "../analytics/demo/index.ts";
import { buildFgbPack } from "../analytics/packs/fgb.ts";
import { toCsv } from "../app/lib/csv.ts";
import { breakdownColumns, breakdownRows, loader as classesLoader } from "../app/routes/classes.tsx";
import { createTestAccounts, type TestAccount } from "./helpers/auth.ts";
import { restoreTodayAfterAll } from "./helpers/break-register.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { loaderData } from "./helpers/loader.ts";

const TODAY = "2026-11-23";
const db = tempDbPath("governor-trial14-leavers-pack");
let governor: TestAccount;
restoreTodayAfterAll();
beforeAll(async () => {
  await buildDemo(db, { today: TODAY });
  governor = (await createTestAccounts(db)).governor;
}, 600_000);
afterAll(() => removeDb(db));

type Row = Parameters<typeof breakdownRows>[1][number];
type Classes = { whole: { pupils: number }; yearGroups: Row[] };

/** A CSV's lines as cells (no quoted commas in these). */
const cellsOf = (csv: string) => csv.trim().split("\r\n").map((line) => line.split(","));

describe("the leavers' row on Year groups & classes over 2024/25, as a governor reads it", () => {
  it("prints the leavers' 3 pupils, so the year groups add up to the school's 242, and the CSV says what the page says", async () => {
    process.env.ROLLCALL_TODAY = TODAY;
    const data = await loaderData<Classes>(classesLoader, db, governor.cookie, "/classes?period=academic-year&year=2024%2F25");
    expect(data.whole.pupils).toBe(242);
    const leavers = data.yearGroups.find((r) => r.group.startsWith("\u001F"))!;
    expect(leavers).toBeDefined();
    // The rest of its row stays withheld (a group of 3), its pupils are printed.
    expect(leavers.withheld.row).toBe("withheld");
    expect(leavers.withheld.pupilsKnown).toBe(true);
    expect(leavers.pupils).toBe(3);
    expect([leavers.pa_pupils, leavers.pa_pct, leavers.sa_pupils, leavers.sa_pct]).toEqual([0, null, 0, null]);
    // 56 + 63 + 60 + 60 + 3 = 242.
    expect(data.yearGroups.map((r) => r.pupils)).toEqual([56, 63, 60, 60, 3]);
    // Every other row is published whole (no row here hides its pupils).
    expect(data.yearGroups.filter((r) => r !== leavers).every((r) => !r.withheld.row)).toBe(true);

    const [header, ...lines] = cellsOf(toCsv(breakdownRows("year_group", data.yearGroups), breakdownColumns("year_group")));
    const line = lines.find((l) => l[0] === "Left before Summer 2")!;
    const at = (label: string) => line[header.indexOf(label)];
    expect(at("Pupils")).toBe("3");
    expect(at("Persistent absence rate %")).toBe("withheld");
    expect(at("Persistent absence rate: pupils persistently absent")).toBe("withheld");
    expect(at("Persistent absence rate: pupils")).toBe("3");
    expect(at("Severe absence rate %")).toBe("withheld");
    expect(at("Severe absence rate: pupils")).toBe("3");
    expect(at("Persistently absent pupils")).toBe("withheld");
    expect(at("Attendance %")).toBe("withheld");
  }, 600_000);

  it("writes a row withheld whole with its rates' pupil denominators withheld, as its pupils are, never 0", () => {
    // As the server sends it (analytics/suppression.ts withoutFigures: counts 0, rates null).
    const row = { label: "Year 9", withheld: "withheld", pupils: 0, attendance_pct: null, absence_pct: null, authorised_pct: null, unauthorised_pct: null, pa_pct: null, pa_pupils: null, sa_pct: null };
    const [header, line] = cellsOf(toCsv([row], breakdownColumns("year_group")));
    const at = (label: string) => line[header.indexOf(label)];
    expect(at("Pupils")).toBe("withheld");
    expect(at("Persistent absence rate: pupils")).toBe("withheld");
    expect(at("Severe absence rate: pupils")).toBe("withheld");
  });
});

type Cell = { kind: string; text?: string; value?: number | null };
type Section = { id: string; blocks: Array<{ kind: string; table?: { rows: Cell[][] }; items?: Array<{ label: string; details: string[] }> }> };

describe("the FGB pack for Summer 2025 (no 2023/24 register)", () => {
  it("prints '—' for last year's counts as for its rates, and the school's PA count (24 of 242)", async () => {
    await withConnection(db, async (c) => {
      const pack = await buildFgbPack(c, { term: "summer-2025", today: TODAY });
      const headline = (pack.sections as unknown as Section[]).find((s) => s.id === "headline")!;
      const rows = headline.blocks.find((b) => b.kind === "table")!.table!.rows;
      const byLabel = new Map(rows.map((r) => [r[0].text!, r]));
      // Columns: measure, this term, same period last year, change, year to date, last year to date, …
      for (const label of ["Persistently absent pupils", "Pupils on roll with sessions", "Possible sessions"]) {
        const row = byLabel.get(label)!;
        expect([label, row[2], row[5]]).toEqual([label, { kind: "text", text: "—" }, { kind: "text", text: "—" }]);
      }
      // The rates beside them: no figure.
      expect(byLabel.get("Persistent absence (% of pupils)")![2]).toEqual({ kind: "pct", value: null });
      // This year's counts are figures.
      expect(byLabel.get("Pupils on roll with sessions")![4]).toEqual({ kind: "count", value: 242 });
      const pa = headline.blocks.find((b) => b.kind === "figures")!.items!.find((i) => i.label === "Persistent absence, year to date")!;
      // The school's count is published (session 16's trial: it had been withheld to protect
      // SEN support's rest, which withholding the group's own count protects instead).
      expect(pa.details[0]).toBe("24 of 242 pupils missed 10% or more of their sessions");
    });
  }, 600_000);
});

describe("the FGB pack's year groups over 2024/25 (Summer 2025)", () => {
  it("prints the leavers' 3 pupils as Year groups & classes does, so the rows add up to the school's 242 (a second trial: the pack said 'withheld' for a count 242 − 239 gives)", async () => {
    await withConnection(db, async (c) => {
      const pack = await buildFgbPack(c, { term: "summer-2025", today: TODAY });
      const section = (pack.sections as unknown as Section[]).find((s) => s.id === "year-groups")!;
      const years = section.blocks.filter((b) => b.kind === "table")[0].table!.rows;
      const leavers = years.find((r) => r[0].text === "Left before Summer 2")!;
      expect(leavers[1]).toEqual({ kind: "count", value: 3 });
      // The rest of its row stays withheld.
      expect(leavers.slice(2).every((cell) => cell.kind === "suppressed")).toBe(true);
      expect(years.reduce((sum, r) => sum + (r[1].kind === "count" ? (r[1].value ?? 0) : 0), 0)).toBe(242);
    });
  }, 600_000);
});
