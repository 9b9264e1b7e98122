/**
 * Retention (both policies: every register entry kept three years from the date it was
 * made) on a hand-built register: a dry run changes nothing; --apply removes exactly the old
 * marks, amendments and pupils (with their characteristics, interventions and pupil ids) in
 * one transaction, recorded in the audit trail; the store's aggregates stay equal to the
 * marks; a pupil with any recent entry is kept; a cutoff inside the retention period is
 * refused.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { inTransaction, queryRows, withConnection, type Connection } from "../analytics/db.ts";
import { planRetention, yearsBefore } from "../analytics/retention.ts";
import { queryAudit } from "../analytics/audit.ts";
import { setSetting } from "../analytics/settings.ts";
import { aggregateLevel, markLevel } from "../analytics/measures.ts";
import { rebuildAggregates } from "../analytics/store.ts";
import { main } from "../analytics/cli/index.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { seedRegister } from "./helpers/register.ts";

const TODAY = "2026-11-23";
const CUTOFF = "2023-11-23"; // three years before today: a Thursday

/**
 * OLD: admitted 2019, left July 2022; two marks in 2022 (the PM amended in 2022), an
 *   intervention in 2022. Everything old: removed, pupil and all.
 * MIXED: left 2023-12-20; a mark in 2022, an unauthorised spell from Wednesday 22 November
 *   2023 (before the cutoff) into Thursday 23 November AM (the cutoff day): the 2022 and
 *   Wednesday marks go, so Thursday's absence now starts a spell; the pupil stays.
 * AMENDED: left 2022; a 2022 mark amended on 2024-01-10 (a recent entry): mark, amendment and pupil stay.
 * CURRENT: on roll, marks in 2022 only, one amended in 2022: the old marks and amendment go, the pupil stays.
 * NOTED: left 2021, no marks, an intervention recorded in 2024 (a recent entry): stays.
 */
async function seed(c: Connection) {
  await seedRegister(c, {
    pupils: [
      { upn: "OLD", admission_date: "2019-09-01", leaving_date: "2022-07-20", spells: [{ from: "2019-09-01", to: "2021-08-31" }, { from: "2021-09-01" }] },
      { upn: "MIXED", admission_date: "2019-09-01", leaving_date: "2023-12-20" },
      { upn: "AMENDED", admission_date: "2019-09-01", leaving_date: "2022-07-20" },
      { upn: "CURRENT", admission_date: "2021-09-01" },
      { upn: "NOTED", admission_date: "2018-09-01", leaving_date: "2021-07-20" },
    ],
    marks: [
      ["OLD", "2022-05-09", "AM", "/"],
      ["OLD", "2022-05-09", "PM", "N"],
      ["MIXED", "2022-05-09", "AM", "/"],
      ["MIXED", "2023-11-22", "AM", "N"],
      ["MIXED", "2023-11-22", "PM", "N"],
      ["MIXED", "2023-11-23", "AM", "N"],
      ["MIXED", "2023-11-23", "PM", "/"],
      ["AMENDED", "2022-05-10", "AM", "I"],
      ["CURRENT", "2022-05-11", "AM", "/"],
      ["CURRENT", "2022-05-11", "PM", "/"],
    ],
  });
  const amend = (id: number, upn: string, date: string, session: string, from: string, to: string, at: string) =>
    c.run(`INSERT INTO amendments (amendment_id, upn, date, session, original_code, new_code, reason, amended_at, amended_by, amended_by_role, import_id) VALUES ($id, $upn, $date::DATE, $session, $from, $to, 'reason', $at::TIMESTAMP, 'Ann', 'attendance officer', NULL)`, {
      id,
      upn,
      date,
      session,
      from,
      to,
      at,
    });
  await amend(1, "OLD", "2022-05-09", "PM", "O", "N", "2022-05-12 09:00:00");
  await amend(2, "AMENDED", "2022-05-10", "AM", "N", "I", "2024-01-10 10:00:00");
  await amend(3, "CURRENT", "2022-05-11", "AM", "N", "/", "2022-06-01 10:00:00");
  const intervene = (upn: string, date: string, at: string) =>
    c.run(`INSERT INTO interventions (upn, type, date, note, recorded_at, recorded_by, recorded_by_role) VALUES ($upn, 'conversation', $date::DATE, 'note', $at::TIMESTAMP, 'Ann', 'attendance_lead')`, {
      upn,
      date,
      at,
    });
  await intervene("OLD", "2022-03-01", "2022-03-01 12:00:00");
  await intervene("NOTED", "2021-06-01", "2024-02-01 12:00:00");
}

async function snapshot(db: string) {
  return withConnection(db, async (c) => ({
    marks: await queryRows(c, "SELECT upn, strftime(date, '%Y-%m-%d') AS date, session::VARCHAR AS session, code::VARCHAR AS code FROM marks ORDER BY ALL"),
    amendments: await queryRows(c, "SELECT amendment_id, upn FROM amendments ORDER BY ALL"),
    pupils: await queryRows(c, "SELECT upn FROM pupils ORDER BY ALL"),
    pupilIds: await queryRows(c, "SELECT upn FROM pupil_ids ORDER BY ALL"),
    characteristics: await queryRows(c, "SELECT upn, strftime(valid_from, '%Y-%m-%d') AS valid_from FROM pupil_characteristics ORDER BY ALL"),
    interventions: await queryRows(c, "SELECT upn FROM interventions ORDER BY ALL"),
  }));
}

/** Every row of the store's aggregates, in a fixed order. */
async function aggregates(c: Connection) {
  const all = (table: string) => queryRows(c, `SELECT * EXCLUDE (pupil_id), (SELECT upn FROM pupil_ids k WHERE k.pupil_id = t.pupil_id) AS upn FROM ${table} t ORDER BY ALL`);
  return { days: await all("mark_days"), weeks: await all("mark_weeks"), weekCodes: await all("mark_week_codes") };
}

const BY = { actor: "admin@school.test", role: "admin", ip: "cli" };

describe("retention", () => {
  let db: string;
  beforeEach(async () => {
    db = tempDbPath("retention");
    await withConnection(db, seed);
  });
  afterEach(() => removeDb(db));

  it("works out the years before a date", () => {
    expect(yearsBefore(TODAY, 3)).toBe(CUTOFF);
    expect(yearsBefore("2028-02-29", 3)).toBe("2025-02-28");
    expect(yearsBefore("2028-02-29", 4)).toBe("2024-02-29");
  });

  it("a dry run lists what would go and changes nothing", async () => {
    const before = await snapshot(db);
    const plan = await withConnection(db, (c) => planRetention(c, { today: TODAY }));
    expect(plan).toEqual({
      cutoff: CUTOFF,
      retentionYears: 3,
      latestAllowedCutoff: CUTOFF,
      marks: 7, // OLD ×2, MIXED 2022 and Wednesday ×2, CURRENT ×2 (AMENDED's mark was re-entered in 2024)
      firstMarkDate: "2022-05-09",
      lastMarkDate: "2023-11-22",
      amendments: 2, // 1 (OLD) and 3 (CURRENT); 2 was made in 2024
      interventions: 1, // OLD's; NOTED's was recorded in 2024
      pupils: 1,
      upns: ["OLD"],
      applied: false,
    });
    expect(await snapshot(db)).toEqual(before);
    expect((await withConnection(db, (c) => queryAudit(c))).total).toBe(0);
  });

  it("--apply removes exactly the old entries, keeps every recent one and any pupil with one, keeps the aggregates equal to the marks, and records it", async () => {
    const before = await snapshot(db);
    const spellBefore = await withConnection(db, (c) =>
      queryRows(c, `SELECT spell_starts, lead_continued FROM mark_days JOIN pupil_ids USING (pupil_id) WHERE upn = 'MIXED' AND date = DATE '2023-11-23'`),
    );
    expect(spellBefore).toEqual([{ spell_starts: 0, lead_continued: true }]);

    const plan = await withConnection(db, (c) => planRetention(c, { today: TODAY, apply: true, by: BY }));
    expect(plan).toMatchObject({ applied: true, marks: 7, amendments: 2, interventions: 1, upns: ["OLD"] });
    const after = await snapshot(db);
    expect(after.marks).toEqual([
      { upn: "AMENDED", date: "2022-05-10", session: "AM", code: "I" },
      { upn: "MIXED", date: "2023-11-23", session: "AM", code: "N" },
      { upn: "MIXED", date: "2023-11-23", session: "PM", code: "/" },
    ]);
    // Nothing younger than the retention period went.
    expect(after.marks).toEqual(expect.arrayContaining(before.marks.filter((m) => String(m.date) >= CUTOFF)));
    expect(after.amendments).toEqual([{ amendment_id: 2, upn: "AMENDED" }]);
    for (const kept of [after.pupils, after.pupilIds]) expect(kept.map((p) => p.upn)).toEqual(["AMENDED", "CURRENT", "MIXED", "NOTED"]);
    expect([...new Set(after.characteristics.map((p) => p.upn))]).toEqual(["AMENDED", "CURRENT", "MIXED", "NOTED"]);
    expect(after.interventions).toEqual([{ upn: "NOTED" }]);

    await withConnection(db, async (c) => {
      // Thursday's absence now opens a spell: its week was recomputed, not left as it was.
      expect(
        await queryRows(c, `SELECT spell_starts, lead_continued FROM mark_days JOIN pupil_ids USING (pupil_id) WHERE upn = 'MIXED' AND date = DATE '2023-11-23'`),
      ).toEqual([{ spell_starts: 1, lead_continued: false }]);
      // The aggregates equal a rebuild from the remaining marks…
      const kept = await aggregates(c);
      expect(kept.days).toHaveLength(2);
      await inTransaction(c, async () => {
        await rebuildAggregates(c);
        expect(await aggregates(c)).toEqual(kept);
        throw new Error("roll back the rebuild");
      }).catch((error: Error) => expect(error.message).toBe("roll back the rebuild"));
      // …and every measure read from them equals the mark-level definition, figures by hand:
      // AMENDED's I (authorised), MIXED's N (unauthorised) and / (present).
      const query = { from: "2021-09-01", to: "2024-07-31" };
      const measures = await aggregateLevel.summarise(c, query);
      expect(measures).toEqual(await markLevel.summarise(c, query));
      expect(measures).toMatchObject({ possible_sessions: 3, present_sessions: 1, authorised_sessions: 1, unauthorised_sessions: 1 });
      expect(await aggregateLevel.sessionsByCode(c, query)).toEqual(await markLevel.sessionsByCode(c, query));
    });

    const audit = await withConnection(db, (c) => queryAudit(c, { action: "retention" }));
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toMatchObject({ actor: "admin@school.test", role: "admin", ip: "cli", target: `register entries made before ${CUTOFF}` });
    expect(audit.rows[0].detail).toContain("7 marks (2022-05-09 to 2023-11-22), 2 amendments, 1 intervention, 1 pupil (UPNs OLD)");
    // A second run finds nothing more.
    const again = await withConnection(db, (c) => planRetention(c, { today: TODAY }));
    expect([again.marks, again.amendments, again.pupils, again.interventions]).toEqual([0, 0, 0, 0]);
  });

  it("lists every pupil removed on the audit trail, however many: the counts in one row, the UPNs 100 to a row", async () => {
    const upns = Array.from({ length: 250 }, (_, i) => `GONE${String(i).padStart(9, "0")}`);
    await withConnection(db, (c) => seedRegister(c, { pupils: upns.map((upn) => ({ upn, admission_date: "2015-09-01", leaving_date: "2019-07-20" })), marks: [] }));
    const plan = await withConnection(db, (c) => planRetention(c, { today: TODAY, apply: true, by: BY }));
    expect(plan.pupils).toBe(251); // and OLD
    const rows = (await withConnection(db, (c) => queryAudit(c, { action: "retention" }))).rows.sort((a, b) => a.id - b.id);
    expect(rows.map((r) => r.target)).toEqual([
      `register entries made before ${CUTOFF}`,
      ...[1, 2, 3].map((i) => `pupils removed with the register entries made before ${CUTOFF} (${i} of 3)`),
    ]);
    expect(rows[0].detail).toContain("251 pupils; retention 3 years");
    const listed = rows.slice(1).flatMap((r) => String(r.detail).replace(/^UPNs /, "").split(" "));
    expect(listed).toEqual([...upns, "OLD"].sort());
    expect(rows.every((r) => String(r.detail).length < 2000)).toBe(true);
  });

  it("refuses a cutoff inside the retention period, and follows the setting", async () => {
    await expect(withConnection(db, (c) => planRetention(c, { today: TODAY, cutoff: "2023-11-24", apply: true, by: BY }))).rejects.toThrow(
      /within the school's 3-year retention period.*2023-11-23/,
    );
    // An earlier cutoff than allowed is fine: only entries before it go (OLD's AM and
    // MIXED's 2022 mark; OLD's PM was amended on 12 May, after this cutoff).
    const earlier = await withConnection(db, (c) => planRetention(c, { today: TODAY, cutoff: "2022-05-10" }));
    expect(earlier).toMatchObject({ marks: 2, amendments: 0, pupils: 0 });
    await withConnection(db, (c) => setSetting(c, "retention_years", "5"));
    const plan = await withConnection(db, (c) => planRetention(c, { today: TODAY }));
    expect(plan).toMatchObject({ cutoff: "2021-11-23", retentionYears: 5, marks: 0, pupils: 0 });
    await expect(withConnection(db, (c) => setSetting(c, "retention_years", "2"))).rejects.toThrow(/not a valid value/);
  });

  it("the CLI: dry run by default, --apply removes, a date too recent is bad usage (exit 2) and changes nothing", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    const writeErr = process.stderr.write.bind(process.stderr);
    process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string) => (err.push(String(chunk)), true)) as typeof process.stderr.write;
    const before = await snapshot(db);
    try {
      expect(await main(["retention", "--db", db, "--today", TODAY])).toBe(0);
      expect(out.join("")).toContain("Would remove (dry run; add --apply to remove) the register entries made before 2023-11-23");
      expect(out.join("")).toContain("7 marks (sessions 2022-05-09 to 2023-11-22)");
      expect(await snapshot(db)).toEqual(before);
      expect(await main(["retention", "--db", db, "--today", TODAY, "--before", "2025-01-01", "--apply"])).toBe(2);
      expect(err.join("")).toContain("the latest date allowed is 2023-11-23");
      expect(await snapshot(db)).toEqual(before);
      expect(await main(["retention", "--db", db, "--today", TODAY, "--apply", "--user", "Sam", "--json"])).toBe(0);
    } finally {
      process.stdout.write = write;
      process.stderr.write = writeErr;
    }
    expect(JSON.parse(out.at(-1)!)).toMatchObject({ applied: true, marks: 7, pupils: 1, upns: ["OLD"] });
    expect((await snapshot(db)).marks).toHaveLength(3);
    const audit = await withConnection(db, (c) => queryAudit(c, { action: "retention" }));
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toMatchObject({ actor: "Sam", role: "CLI", ip: "cli" });
  });
});
