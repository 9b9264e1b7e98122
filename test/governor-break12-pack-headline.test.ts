/**
 * Issue 13, cases 8–9, session 12's adversary: test/governor-break-pa-sessions.test.ts's
 * attack read from the FGB pack instead of the Overview. The plan withholds the school's whole
 * row where its own sessions pin its withheld count of persistently absent pupils; the pack's
 * headline prints the school's sessions all the same. Its own file: one database per file.
 */
import ExcelJS from "exceljs";
import { renderPackHtml } from "../analytics/packs/html.ts";
import { packWorkbook } from "../analytics/packs/xlsx.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { buildFgbPack } from "../analytics/packs/fgb.ts";
import { loader as overviewLoader } from "../app/routes/_index.tsx";
import { createTestAccounts, type TestAccount } from "./helpers/auth.ts";
import { daysOfHalf, marksOf, restoreTodayAfterAll, seedCalendar, yearThreeClasses, type Half } from "./helpers/break-register.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { loaderData } from "./helpers/loader.ts";
import { seedRegister } from "./helpers/register.ts";

restoreTodayAfterAll();

/**
 * Register (Autumn 1 2024 only, 20 school days from Monday 2 September, 40 sessions each;
 * today 4 October 2024): Year 3 — 3A: A0–A7, 3B: B0–B7, on roll throughout. A0 off ill (I) on
 * 9 and 10 September: 4 of 40, 10 %, persistently absent. Everyone else present.
 *
 * The Overview over Autumn 1 withholds the school's whole row (its 4 missed sessions of
 * 40-session pupils pin its withheld "1 to 4" persistently absent to 1). The FGB pack for the
 * autumn term (to the end of Autumn 1, its year to date too) prints "Persistent absence, year
 * to date: withheld of 16 pupils" beside "636 of 640 possible sessions attended": 40 each, 4
 * missed, at most ⌊4 ÷ 4⌋ = 1 persistently absent — the school's count is 1.
 */
describe("the FGB pack's headline sessions beside its withheld persistent absence", () => {
  const db = tempDbPath("governor-break12-pack-headline");
  const A1: Half = { key: "autumn-1-2024", term: "autumn-2024", year: "2024/25", monday: "2024-09-02" };
  let governor: TestAccount;
  beforeAll(async () => {
    const pupils = yearThreeClasses();
    await withConnection(db, async (c) => {
      await seedCalendar(c, [A1]);
      await seedRegister(c, { pupils, marks: marksOf(pupils.map((p) => p.upn), daysOfHalf(A1), { A0: { "2024-09-09": "I", "2024-09-10": "I" } }) });
    });
    governor = (await createTestAccounts(db)).governor;
  });
  afterAll(() => removeDb(db));

  // Failed before: the pack's whole-school figures were printed whatever the span's plan
  // withheld of the school's row. Now such a pack gives no figure (analytics/packs/fgb.ts
  // schoolWithheldPack): the headline is the reason in words, and nothing else is printed.
  it("leaves the school's count unknown", async () => {
    process.env.ROLLCALL_TODAY = "2024-10-04";
    const overview = await loaderData<{ currentWithheld: { row: string | null } }>(overviewLoader, db, governor.cookie, "/?period=half-term&half=autumn-1-2024");
    // The Overview withholds the school's row over Autumn 1 (the sessions pin its count).
    expect(overview.currentWithheld.row).not.toBeNull();
    const pack = await withConnection(db, (c) => buildFgbPack(c, { term: "autumn-2024", today: "2024-10-04" }));
    const headline = pack.sections.find((s) => s.id === "headline")!.blocks.find((b) => b.kind === "figures") as
      | { items: Array<{ label: string; value: { kind: string }; details: string[] }> }
      | undefined;
    // No figure anywhere in the pack: no table, chart or figures block, no to-date tab.
    expect(pack.sections.flatMap((s) => s.blocks).filter((b) => b.kind !== "paragraphs" && b.kind !== "commentary")).toEqual([]);
    expect(pack.toDateTabs).toEqual([]);
    expect(JSON.stringify(pack.sections)).not.toMatch(/\d+(\.\d+)?%|[\d,]+ possible sessions/);
    const pa = headline?.items.find((i) => i.label === "Persistent absence, year to date");
    const attendance = headline?.items.find((i) => i.label === "Attendance, year to date");
    const recovered: string[] = [];
    const sessions = attendance?.details.map((d) => /^([\d,]+) of ([\d,]+) possible sessions attended$/.exec(d)).find((m) => m);
    const pupils = pa?.details.map((d) => /of ([\d,]+) pupils/.exec(d)).find((m) => m);
    if (pa?.value.kind === "suppressed" && sessions && pupils) {
      const [attended, possible, n] = [sessions[1], sessions[2], pupils[1]].map((x) => Number(x.replace(/,/g, "")));
      // 20 school days: 40 sessions each at most; all had all 40, so a persistently absent one missed at least 4.
      if (possible === 40 * n && Math.floor((possible - attended) / 4) === 1) recovered.push(`the school: 1 persistently absent, ${possible - attended} missed of ${possible}`);
    }
    // Before a fix: ["the school: 1 persistently absent, 4 missed of 640"].
    expect(recovered).toEqual([]);
    // The page and the workbook say why, and give no figure either.
    const html = renderPackHtml(pack);
    expect(html).toContain("figures for this term are withheld");
    expect(html.replace(/<style[\s\S]*?<\/style>/g, "")).not.toMatch(/[\d,]+ possible sessions|\d+(\.\d+)?%/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await packWorkbook(pack)) as unknown as ArrayBuffer);
    const cells = book.worksheets.flatMap((sheet) => sheet.getSheetValues().flat().map(String));
    expect(cells.some((v) => v.includes("The school's figures for this term are withheld"))).toBe(true);
    expect(cells.filter((v) => /[\d,]+ possible sessions|^\d+(\.\d+)?%?$/.test(v))).toEqual([]);
  });
});
