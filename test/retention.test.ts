/**
 * Retention (both policies: every register entry kept three years from the date it was
 * made) on a hand-built register: a dry run changes nothing; --apply removes exactly the old
 * marks, amendments and pupils, in one transaction, recorded in the audit trail; a pupil
 * with any recent entry is kept; a cutoff inside the retention period is refused.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { queryRows, withConnection, type Connection } from "../analytics/db.ts";
import { planRetention, yearsBefore } from "../analytics/retention.ts";
import { queryAudit } from "../analytics/audit.ts";
import { setSetting } from "../analytics/settings.ts";
import { main } from "../analytics/cli/index.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { seedRegister } from "./helpers/register.ts";

const TODAY = "2026-11-23";
const CUTOFF = "2023-11-23"; // three years before today

/**
 * OLD: admitted 2019, left July 2022; two marks in 2022, one amended in 2022. Everything old: removed.
 * MIXED: left 2023-12-20; marks in 2022 and on 2023-12-01: the 2022 mark goes, the pupil stays.
 * AMENDED: left 2022; a 2022 mark amended on 2024-01-10 (a recent entry): mark, amendment and pupil stay.
 * CURRENT: on roll (no leaving date), marks in 2022 only: the old marks go, the pupil stays.
 */
async function seed(c: Connection) {
  await seedRegister(c, {
    pupils: [
      { upn: "OLD", admission_date: "2019-09-01", leaving_date: "2022-07-20", spells: [{ from: "2019-09-01" }, { from: "2021-09-01" }] },
      { upn: "MIXED", admission_date: "2019-09-01", leaving_date: "2023-12-20" },
      { upn: "AMENDED", admission_date: "2019-09-01", leaving_date: "2022-07-20" },
      { upn: "CURRENT", admission_date: "2021-09-01" },
    ],
    marks: [
      ["OLD", "2022-05-09", "AM", "/"],
      ["OLD", "2022-05-09", "PM", "N"],
      ["MIXED", "2022-05-09", "AM", "/"],
      ["MIXED", "2023-12-01", "AM", "/"],
      ["AMENDED", "2022-05-10", "AM", "I"],
      ["CURRENT", "2022-05-11", "AM", "/"],
      ["CURRENT", "2022-05-11", "PM", "/"],
    ],
  });
  const amend = (id: number, upn: string, date: string, from: string, to: string, at: string) =>
    c.run(`INSERT INTO amendments VALUES ($id, $upn, $date::DATE, 'PM', $from, $to, 'reason', $at::TIMESTAMP, 'Ann', 'attendance officer', NULL)`, {
      id,
      upn,
      date,
      from,
      to,
      at,
    });
  await amend(1, "OLD", "2022-05-09", "O", "N", "2022-05-12 09:00:00");
  await c.run(`UPDATE amendments SET session = 'PM' WHERE amendment_id = 1`);
  await amend(2, "AMENDED", "2022-05-10", "N", "I", "2024-01-10 10:00:00");
  await c.run(`UPDATE amendments SET session = 'AM' WHERE amendment_id = 2`);
}

async function snapshot(db: string) {
  return withConnection(db, async (c) => ({
    marks: await queryRows(c, "SELECT upn, strftime(date, '%Y-%m-%d') AS date, session::VARCHAR AS session, code::VARCHAR AS code FROM marks ORDER BY ALL"),
    amendments: await queryRows(c, "SELECT amendment_id, upn FROM amendments ORDER BY ALL"),
    pupils: await queryRows(c, "SELECT upn FROM pupils ORDER BY ALL"),
    characteristics: await queryRows(c, "SELECT upn, strftime(valid_from, '%Y-%m-%d') AS valid_from FROM pupil_characteristics ORDER BY ALL"),
  }));
}

describe("retention", () => {
  let db: string;
  beforeEach(async () => {
    db = tempDbPath("retention");
    await withConnection(db, seed);
  });
  afterEach(() => removeDb(db));

  it("works out three years before a date", () => {
    expect(yearsBefore(TODAY, 3)).toBe(CUTOFF);
    expect(yearsBefore("2028-02-29", 3)).toBe("2025-02-28");
  });

  it("a dry run lists what would go and changes nothing", async () => {
    const before = await snapshot(db);
    const plan = await withConnection(db, (c) => planRetention(c, { today: TODAY }));
    expect(plan).toMatchObject({
      cutoff: CUTOFF,
      retentionYears: 3,
      marks: 5, // OLD ×2, MIXED 2022, CURRENT ×2 (AMENDED's mark was re-entered in 2024)
      firstMarkDate: "2022-05-09",
      lastMarkDate: "2022-05-11",
      amendments: 1,
      pupils: 1,
      upns: ["OLD"],
      applied: false,
    });
    expect(await snapshot(db)).toEqual(before);
    expect((await withConnection(db, (c) => queryAudit(c))).total).toBe(0);
  });

  it("--apply removes exactly the old rows, keeps any pupil with a recent entry, and records it", async () => {
    const plan = await withConnection(db, (c) => planRetention(c, { today: TODAY, apply: true, by: { actor: "admin@school.test", role: "admin", ip: "cli" } }));
    expect(plan.applied).toBe(true);
    const after = await snapshot(db);
    expect(after.marks).toEqual([
      { upn: "AMENDED", date: "2022-05-10", session: "AM", code: "I" },
      { upn: "MIXED", date: "2023-12-01", session: "AM", code: "/" },
    ]);
    expect(after.amendments).toEqual([{ amendment_id: 2, upn: "AMENDED" }]);
    expect(after.pupils.map((p) => p.upn)).toEqual(["AMENDED", "CURRENT", "MIXED"]);
    expect(after.characteristics.map((p) => p.upn)).toEqual(["AMENDED", "CURRENT", "MIXED"]);
    const audit = await withConnection(db, (c) => queryAudit(c, { action: "retention" }));
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toMatchObject({ actor: "admin@school.test", role: "admin", target: `register entries made before ${CUTOFF}` });
    expect(audit.rows[0].detail).toContain("5 marks (2022-05-09 to 2022-05-11), 1 amendments, 1 pupils (UPNs OLD)");
    // A second run finds nothing more.
    const again = await withConnection(db, (c) => planRetention(c, { today: TODAY }));
    expect([again.marks, again.amendments, again.pupils]).toEqual([0, 0, 0]);
  });

  it("refuses a cutoff inside the retention period, and follows the setting", async () => {
    await expect(withConnection(db, (c) => planRetention(c, { today: TODAY, cutoff: "2024-01-01" }))).rejects.toThrow(/within the school's 3-year retention period.*2023-11-23/);
    await withConnection(db, (c) => setSetting(c, "retention_years", "5"));
    const plan = await withConnection(db, (c) => planRetention(c, { today: TODAY }));
    expect(plan).toMatchObject({ cutoff: "2021-11-23", marks: 0, pupils: 0 });
    await expect(withConnection(db, (c) => setSetting(c, "retention_years", "2"))).rejects.toThrow(/not a valid value/);
  });

  it("the CLI: dry run by default, --apply removes, a date too recent is bad usage", async () => {
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
    try {
      expect(await main(["retention", "--db", db, "--today", TODAY])).toBe(0);
      expect(out.join("")).toContain("Would remove (dry run");
      expect((await snapshot(db)).marks).toHaveLength(7);
      expect(await main(["retention", "--db", db, "--today", TODAY, "--before", "2025-01-01"])).toBe(2);
      expect(await main(["retention", "--db", db, "--today", TODAY, "--apply", "--user", "Sam", "--json"])).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    expect(JSON.parse(out.at(-1)!)).toMatchObject({ applied: true, marks: 5, pupils: 1 });
    expect((await snapshot(db)).marks).toHaveLength(2);
    const audit = await withConnection(db, (c) => queryAudit(c, { action: "retention" }));
    expect(audit.rows[0]).toMatchObject({ actor: "Sam", role: "CLI", ip: "cli" });
  });
});
