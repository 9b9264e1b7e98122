/**
 * Trial 50: a 12-pupil school (small-group minimum 5) whose whole row the governors' plan
 * withholds told a governor on `/` and `/groups`, every filter on "All", to "Choose a broader
 * filter" — there is none — and its FGB pack named neither the rule nor what could be done.
 * Each now says the whole school's figures are withheld, by which rule, and that the minimum is
 * the administrator's in Settings; a filtered view still says to choose a broader filter.
 *
 * Register (autumn 2024: Autumn 1 and Autumn 2 of 20 school days each from Mondays 2 September
 * and 7 October; today 20 December 2024): P0–P5 in Year 3 (3A), P6–P11 in Year 4 (4A), on roll
 * throughout; P0 off ill (I) on 9 and 10 September (4 sessions), everyone else present. The
 * school's pupils absent at least once: 1, a count of 1 to 4, so its row is withheld.
 */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { MemoryRouter } from "react-router-dom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { buildFgbPack } from "../analytics/packs/fgb.ts";
import { loader as overviewLoader } from "../app/routes/_index.tsx";
import { loader as groupsLoader } from "../app/routes/groups.tsx";
import { WithheldNotice } from "../app/components/WithheldNotice.tsx";
import type { ViewFilters } from "../app/lib/filters.ts";
import { createTestAccounts, type TestAccount } from "./helpers/auth.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { loaderData } from "./helpers/loader.ts";
import { seedRegister } from "./helpers/register.ts";
import { daysOfHalf, marksOf, restoreTodayAfterAll, seedCalendar, type Half } from "./helpers/break-register.ts";

restoreTodayAfterAll();

const TODAY = "2024-12-20";
/** The notice's words as a reader reads them (tags dropped). */
const noticeText = (props: { reason: string; filters: ViewFilters; min: number | null }) =>
  renderToStaticMarkup(createElement(MemoryRouter, null, createElement(WithheldNotice, props))).replace(/<[^>]+>/g, "").replace(/&#x27;/g, "'").replace(/&quot;/g, '"');

describe("a governor's view of a tiny school whose whole figures are withheld", () => {
  const db = tempDbPath("governor-whole-school-withheld");
  const A1: Half = { key: "autumn-1-2024", term: "autumn-2024", year: "2024/25", monday: "2024-09-02" };
  const A2: Half = { key: "autumn-2-2024", term: "autumn-2024", year: "2024/25", monday: "2024-10-07" };
  let governor: TestAccount;
  beforeAll(async () => {
    const pupils = Array.from({ length: 12 }, (_, i) => ({ upn: `P${i}`, spells: [{ from: "2024-09-01", year_group: i < 6 ? "3" : "4", reg_group: i < 6 ? "3A" : "4A" }] }));
    await withConnection(db, async (c) => {
      await seedCalendar(c, [A1, A2]);
      await seedRegister(c, { pupils, marks: marksOf(pupils.map((p) => p.upn), [...daysOfHalf(A1), ...daysOfHalf(A2)], { P0: { "2024-09-09": "I", "2024-09-10": "I" } }) });
    });
    governor = (await createTestAccounts(db)).governor;
  });
  afterAll(() => removeDb(db));

  type Page = { filters: ViewFilters; smallGroupMin: number | null };
  for (const [page, url, reasonOf] of [
    ["/", "/?period=term&term=autumn-2024", (d: Page & { currentWithheld: { row: string | null } }) => d.currentWithheld.row],
    ["/groups", "/groups?period=term&term=autumn-2024", (d: Page & { wholeWithheld: { row: string | null } }) => d.wholeWithheld.row],
  ] as const) {
    it(`${page} with every filter on "All" says the whole school's figures are withheld, why, and what can be done — not "choose a broader filter"`, async () => {
      process.env.ROLLCALL_TODAY = TODAY;
      const data = await loaderData<Page & { currentWithheld: { row: string | null }; wholeWithheld: { row: string | null } }>(page === "/" ? overviewLoader : groupsLoader, db, governor.cookie, url);
      const reason = reasonOf(data);
      expect(reason).toBe("withheld");
      const text = noticeText({ reason: reason!, filters: data.filters, min: data.smallGroupMin });
      expect(text).not.toMatch(/broader filter\./);
      expect(text).toMatch(/^The whole school's figures are withheld for governors: the school has fewer than 5 pupils, or a count among its figures \(such as the pupils absent or persistently absent\) is 1 to 4, or one could be worked out/);
      expect(text).toContain('This is the whole school, so no broader filter would show them. The minimum of 5 is set by the school\'s administrator as "Smallest group to report" in Settings (at least 3).');
      expect(text).toContain("Which figures are withheld, and why");
    });
  }

  it("a filtered view of too few pupils still says to choose a broader filter", () => {
    expect(noticeText({ reason: "withheld", filters: { year_group: "3" } as ViewFilters, min: 5 })).toMatch(/^The figures for these pupils are withheld for governors\. Choose a broader filter\./);
  });

  it("the FGB pack says the rule that withheld the school's figures and what can be done", async () => {
    const pack = await withConnection(db, (c) => buildFgbPack(c, { term: "autumn-2024", today: TODAY }));
    const words = (pack.sections.find((s) => s.id === "headline")!.blocks[0] as { items: string[] }).items[0];
    expect(words).toMatch(/^The school's figures for this term are withheld from governors: the school has fewer than 5 pupils, or a count among its figures .* is 1 to 4, or one could be worked out/);
    expect(words).toContain('"Smallest group to report" in Settings');
    expect(words).toContain("/definitions");
  });
});
