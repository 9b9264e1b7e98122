/**
 * A pack for a period with nothing to report is refused, as a month or term not begun is: a
 * month or term before the register's first marks, or a month with no school days (fresh-clone
 * trial 26: /packs/slt/pdf?month=1999-01 gave 11 pages of empty tables). Every form: the pack's
 * model (page, PDF, workbook, HTML) and the CLI's `rollcall pack`. Register by hand: a calendar
 * of Autumn 2 2025 (3 Nov – 19 Dec) and Spring 2 2026 (23 Feb – 27 Mar), marks on 2–4 March 2026
 * only (test/helpers/cli.ts writeSmallRegister's marks); today 27 March 2026.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeInstance, withConnection } from "../analytics/db.ts";
import { buildFgbPack, buildSltPack, packPeriodOptions } from "../analytics/packs/index.ts";
import { cliOn, initSchool, writeSmallRegister } from "./helpers/cli.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("pack-before-register");
const dir = path.dirname(db);
const rollcall = cliOn(db);
const TODAY = "2026-03-27";

beforeAll(async () => {
  await initSchool(db);
  const { pupils, marks } = writeSmallRegister(dir);
  const calendar = path.join(dir, "calendar-two-terms.csv");
  fs.writeFileSync(calendar, "kind,name,start_date,end_date\r\nhalf_term,autumn-2,2025-11-03,2025-12-19\r\nhalf_term,spring-2,2026-02-23,2026-03-27\r\n");
  const imported = await rollcall("import", "--calendar", calendar, "--pupils", pupils, "--marks", marks, "--as-of", "2025-09-01");
  expect(imported.code, imported.stderr).toBe(0);
}, 60_000);
afterAll(() => removeDb(db));

describe("a pack with nothing to report is refused", () => {
  it("the SLT pack: a month before the register starts; March is made", async () => {
    await withConnection(db, async (c) => {
      await expect(buildSltPack(c, { month: "1999-01", today: TODAY })).rejects.toThrow("January 1999 is before the register starts (its first marks are on Mon 2 Mar 2026): there is nothing to report.");
      await expect(buildSltPack(c, { month: "2025-11", today: TODAY })).rejects.toThrow("November 2025 is before the register starts");
      await expect(buildSltPack(c, { month: "2026-01", today: TODAY })).rejects.toThrow("January 2026 is before the register starts");
      expect((await buildSltPack(c, { month: "2026-03", today: TODAY, toDateTabs: false })).periodLabel).toBe("March 2026 to 27 Mar 2026");
    });
  });

  it("the governors' pack: a term before the register starts", async () => {
    await withConnection(db, async (c) => {
      await expect(buildFgbPack(c, { term: "autumn-2025", today: TODAY })).rejects.toThrow("Autumn 2025 is before the register starts (its first marks are on Mon 2 Mar 2026): there is nothing to report.");
    });
  });

  it("the pickers offer, and default to, only periods a pack can be made for (one rule)", async () => {
    await withConnection(db, async (c) => {
      // Months with school days by 27 March: March, February, December, November. The marks
      // start on 2 March, so only March can be made; the default was February (last month),
      // which the pack refused (the page showed a notice and another month's pack).
      const march = await packPeriodOptions(c, TODAY);
      expect(march.months.map((m) => m.key)).toEqual(["2026-03"]);
      expect(march.defaultMonth).toBe("2026-03");
      // Autumn 2 (ended 19 Dec) is before the marks; Spring 2 has not ended on 27 March.
      expect(march.terms).toEqual([]);
      expect(march.noTerms).toBe("Every term with a half term that has ended is before the register's first marks (Mon 2 Mar 2026), so there is nothing to report on yet: the governors' pack covers whole half terms that have ended.");
      // On 10 April Spring 2 has ended: Spring 2026 is offered, Autumn 2025 still not.
      const april = await packPeriodOptions(c, "2026-04-10");
      expect(april.terms.map((t) => t.key)).toEqual(["spring-2026"]);
      expect(april.defaultTerm).toBe("spring-2026");
      // Every period offered is made; every month of the calendar not offered is refused.
      for (const { key } of april.months) await buildSltPack(c, { month: key, today: "2026-04-10", toDateTabs: false });
      for (const { key } of april.terms) await buildFgbPack(c, { term: key, today: "2026-04-10", toDateTabs: false });
      for (const month of ["2025-11", "2025-12", "2026-02"]) await expect(buildSltPack(c, { month, today: "2026-04-10" })).rejects.toThrow("is before the register starts");
    });
  });

  it("the CLI's rollcall pack says why and writes no file", async () => {
    await closeInstance(db);
    const out = path.join(dir, "pack.pdf");
    const slt = await rollcall("pack", "slt", "--month", "1999-01", "--format", "pdf", "--out", out, "--today", TODAY);
    expect(slt.code).not.toBe(0);
    expect(slt.stderr).toContain("January 1999 is before the register starts");
    const fgb = await rollcall("pack", "fgb", "--term", "autumn-2025", "--format", "xlsx", "--out", out, "--today", TODAY);
    expect(fgb.code).not.toBe(0);
    expect(fgb.stderr).toContain("Autumn 2025 is before the register starts");
    expect(fs.existsSync(out)).toBe(false);
  }, 60_000);
});
