/**
 * Amendments in one order every run, on a hand-made register: a pupil's and an import's newest
 * session first (by date, then PM before AM; an import's then by name), with ties broken by the
 * amendment and the UPN. Trial 50b read "Thu 15 Oct AM, Thu 15 Oct PM, Wed 14 Oct AM, Wed 14 Oct
 * PM" on a pupil's page: days newest first, sessions oldest first. One import's
 * amendments share amended_at (the transaction's time: analytics/import/marks.ts), so a day's AM
 * and PM amended together tied on the pupil page, and pupils of one name tied on the import page,
 * where the LIMIT could cut through the ties at a different row each time. Rows are inserted
 * against the expected order, so the insertion order does not pass for it by chance.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { importDetail } from "../analytics/import/history.ts";
import { pupilRecord } from "../analytics/pupil.ts";
import { seedRegister } from "./helpers/register.ts";
import { onFreshInstances, removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("amendments-order");
const upns = ["T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8"];
const AT = "2026-03-10 09:15:00";

beforeAll(async () => {
  await withConnection(db, async (c) => {
    await seedRegister(c, { pupils: [...[...upns].reverse().map((upn) => ({ upn, surname: "Smith", forename: "Sam" })), { upn: "T9", surname: "Jones", forename: "Jo" }], marks: [] });
    await c.run(`INSERT INTO imports VALUES (1, 'marks', 'marks.csv', '', 16, 0, 16, 0, $at::TIMESTAMP, 'Ann', 'attendance officer', NULL, NULL)`, { at: AT });
    // Every pupil's Monday 9 March AM then PM, one import, one amended_at; T8's first, T1's last.
    let id = 0;
    for (const upn of [...upns].reverse()) {
      for (const session of ["AM", "PM"]) {
        await c.run(
          `INSERT INTO amendments (amendment_id, upn, date, session, original_code, new_code, reason, amended_at, amended_by, amended_by_role, import_id)
           VALUES ($id, $upn, DATE '2026-03-09', $session, 'N', 'I', 'r', $at::TIMESTAMP, 'Ann', 'attendance officer', 1)`,
          { id: ++id, upn, session, at: AT },
        );
      }
    }
    // T9: Wednesday 14 and Thursday 15 October, one import, each day's PM given the lower id.
    await c.run(`INSERT INTO imports VALUES (2, 'marks', 'ctf.xml', '', 4, 0, 4, 0, $at::TIMESTAMP, 'Ann', 'attendance officer', NULL, NULL)`, { at: AT });
    for (const [date, session] of [["2026-10-14", "PM"], ["2026-10-14", "AM"], ["2026-10-15", "PM"], ["2026-10-15", "AM"]]) {
      await c.run(
        `INSERT INTO amendments (amendment_id, upn, date, session, original_code, new_code, reason, amended_at, amended_by, amended_by_role, import_id)
         VALUES ($id, 'T9', $date::DATE, $session, 'N', 'I', 'r', $at::TIMESTAMP, 'Ann', 'attendance officer', 2)`,
        { id: ++id, date, session, at: AT },
      );
    }
  });
});
afterAll(() => removeDb(db));

describe("amendments' order", () => {
  it("lists a pupil's day amended in one import newest amendment first, on every fresh instance", async () => {
    for (const record of await onFreshInstances(db, 4, (c) => pupilRecord(c, "T1", { from: "2026-03-01", to: "2026-03-31" }))) {
      // T1's amendments are 15 (AM) and 16 (PM): the PM, amended last, first.
      expect(record!.amendments.map((a) => a.session)).toEqual(["PM", "AM"]);
    }
  });

  it("lists a pupil's amendments newest session first: each day's PM before its AM, the latest day first", async () => {
    const record = (await onFreshInstances(db, 1, (c) => pupilRecord(c, "T9", { from: "2026-10-01", to: "2026-10-31" })))[0];
    expect(record!.amendments.map((a) => `${a.date} ${a.session}`)).toEqual(["2026-10-15 PM", "2026-10-15 AM", "2026-10-14 PM", "2026-10-14 AM"]);
  });

  it("lists an import's amendments in the same order as a pupil's page", async () => {
    const detail = (await onFreshInstances(db, 1, (c) => importDetail(c, 2)))[0];
    expect(detail!.amendments.map((a) => `${a.date} ${a.session}`)).toEqual(["2026-10-15 PM", "2026-10-15 AM", "2026-10-14 PM", "2026-10-14 AM"]);
  });

  it("lists an import's amendments of one session by UPN among pupils of one name, on every fresh instance", async () => {
    for (const detail of await onFreshInstances(db, 4, (c) => importDetail(c, 1, 5))) {
      expect(detail!.amendments.map((a) => [a.session, a.upn])).toEqual(upns.slice(0, 5).map((upn) => ["PM", upn]));
      expect(detail!.amendmentCount).toBe(16);
    }
  });
});
