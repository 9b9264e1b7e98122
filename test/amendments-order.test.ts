/**
 * Amendments in one order every run, on a hand-made register: a pupil's (newest first) and an
 * import's (by date, session, name), with ties broken by the amendment and the UPN. One import's
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
    await seedRegister(c, { pupils: [...upns].reverse().map((upn) => ({ upn, surname: "Smith", forename: "Sam" })), marks: [] });
    await c.run(`INSERT INTO imports VALUES (1, 'marks', 'marks.csv', '', 16, 0, 16, 0, $at::TIMESTAMP, 'Ann', 'attendance officer')`, { at: AT });
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

  it("lists an import's amendments of one session by UPN among pupils of one name, on every fresh instance", async () => {
    for (const detail of await onFreshInstances(db, 4, (c) => importDetail(c, 1, 5))) {
      expect(detail!.amendments.map((a) => [a.session, a.upn])).toEqual(upns.slice(0, 5).map((upn) => ["AM", upn]));
      expect(detail!.amendmentCount).toBe(16);
    }
  });
});
