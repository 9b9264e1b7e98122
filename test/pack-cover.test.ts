/**
 * A pack says what it covers in its title, on screen and in its file name, not only in a
 * note: the governors' pack of a term not over covers the half terms that have ended
 * ("Autumn 2026 to the end of Autumn 1", rollcall-fgb-pack-autumn-2026-to-autumn-1.pdf), and
 * the SLT pack of a month not over runs to today.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { buildFgbPack, buildSltPack, packFileName, renderPackHtml } from "../analytics/packs/index.ts";
import { packPeriodOptions } from "../analytics/packs/periods.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { daysOf, seedRegister } from "./helpers/register.ts";

// Autumn 1: 3 Sep to 23 Oct 2026 (three days of it here); Autumn 2: 2 Nov to 18 Dec 2026.
const AUTUMN_1 = ["2026-09-03", "2026-10-22", "2026-10-23"];
const AUTUMN_2 = ["2026-11-02", "2026-11-23", "2026-12-18"];

let db: string;
beforeAll(async () => {
  db = tempDbPath("pack-cover");
  await withConnection(db, async (c) => {
    for (const [half, days] of [["autumn-1-2026", AUTUMN_1], ["autumn-2-2026", AUTUMN_2]] as const) {
      for (const date of days) await c.run(`INSERT INTO school_days VALUES ($date::DATE, '2026/27', 'autumn-2026', $half)`, { date, half });
    }
    const present = Object.fromEntries([...AUTUMN_1, "2026-11-02"].map((d) => [d, ["/", "/"] as [string, string]]));
    // Six pupils: a school of fewer than the minimum has its whole row withheld from governors,
    // and its pack no figure (analytics/packs/fgb.ts schoolWithheldPack), so no chart to name.
    const upns = ["A1", "A2", "A3", "A4", "A5", "A6"];
    await seedRegister(c, { pupils: upns.map((upn) => ({ upn, forename: "Ann", spells: [{ from: "2026-09-01" }] })), marks: upns.flatMap((upn) => daysOf(upn, present)) });
  });
});
afterAll(async () => removeDb(db));

describe("the governors' pack of a term not over", () => {
  it("is titled, offered and named by what it covers", async () => {
    await withConnection(db, async (c) => {
      const model = await buildFgbPack(c, { term: "autumn-2026", today: "2026-11-23" });
      expect(model.period).toMatchObject({ from: "2026-09-03", to: "2026-10-23" });
      expect(model.periodLabel).toBe("Autumn 2026 to the end of Autumn 1");
      expect(packFileName("fgb", model.fileKey, "pdf")).toBe("rollcall-fgb-pack-autumn-2026-to-autumn-1.pdf");
      const html = renderPackHtml(model);
      expect(html).toContain("Autumn 2026 to the end of Autumn 1: 3 Sep 2026 to 23 Oct 2026");
      // Every mention says where it stops: the term by term chart's last bar as well.
      expect(html).not.toMatch(/Autumn 2026(?! to the end of Autumn 1| \(to 23 Oct 2026\))/);
      expect(html).toContain("Autumn 2026 (to 23 Oct 2026)");
      const options = await packPeriodOptions(c, "2026-11-23");
      expect(options.terms).toEqual([{ key: "autumn-2026", label: "Autumn 2026 to the end of Autumn 1" }]);
    });
  });

  it("is the term once it is over", async () => {
    await withConnection(db, async (c) => {
      const model = await buildFgbPack(c, { term: "autumn-2026", today: "2027-01-05" });
      expect(model.periodLabel).toBe("Autumn 2026");
      expect(packFileName("fgb", model.fileKey, "xlsx")).toBe("rollcall-fgb-pack-autumn-2026.xlsx");
      expect((await packPeriodOptions(c, "2027-01-05")).terms).toEqual([{ key: "autumn-2026", label: "Autumn 2026" }]);
    });
  });
});

describe("the SLT pack of a month not over", () => {
  it("runs to today in its title, file name and the month picker", async () => {
    await withConnection(db, async (c) => {
      const model = await buildSltPack(c, { month: "2026-11", today: "2026-11-23" });
      expect(model.periodLabel).toBe("November 2026 to 23 Nov 2026");
      expect(packFileName("slt", model.fileKey, "pdf")).toBe("rollcall-slt-pack-2026-11-to-2026-11-23.pdf");
      // The cover, the first section and the workbook state each date once (trials read "December 2026 to 2 Dec 2026:
      // 1 Dec 2026 to 2 Dec 2026", then "… runs from 1 Dec 2026 to 2 Dec 2026").
      const html = renderPackHtml(model);
      expect(html).toContain('<p class="period">1 Nov 2026 to 23 Nov 2026 (November 2026 so far)</p>');
      expect(html).toContain("This pack covers 1 Nov 2026 to 23 Nov 2026 (November 2026 so far); the year to date runs from");
      expect(html).not.toContain("docs/DEFINITIONS.md");
      const october = await buildSltPack(c, { month: "2026-10", today: "2026-11-23" });
      expect([october.periodLabel, packFileName("slt", october.fileKey, "pdf")]).toEqual(["October 2026", "rollcall-slt-pack-2026-10.pdf"]);
      expect((await packPeriodOptions(c, "2026-11-23")).months.slice(0, 2)).toEqual([
        { key: "2026-11", label: "November 2026 to 23 Nov 2026" },
        { key: "2026-10", label: "October 2026" },
      ]);
    });
  });
});

describe("the SLT pack's month picker (issue 13, case 15)", () => {
  it("offers only months with a school day: not August, though the academic year starts on 1 August", async () => {
    await withConnection(db, async (c) => {
      // School days in 2026/27 here: September, October and November 2026 (AUTUMN_1, AUTUMN_2).
      // The picker used to offer every month from 1 August to today: November to August.
      expect((await packPeriodOptions(c, "2026-11-23")).months.map((m) => m.key)).toEqual(["2026-11", "2026-10", "2026-09"]);
      // Asked on 31 August 2026, before the year's first school day: no month of 2026/27 yet.
      expect((await packPeriodOptions(c, "2026-08-31")).months).toEqual([]);
    });
  });
});
