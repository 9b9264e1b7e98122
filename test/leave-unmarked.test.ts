/**
 * The leave-of-absence verdict reads the whole record (analytics/escalation.ts
 * leaveOfAbsenceCheck): a fresh-clone trial's pupil with 24 unmarked school days read "May be
 * considered" on the marked part as if it were complete. The policy refuses any unauthorised
 * absence and authorised absence above 10 %; a day without marks may hold either, so the
 * request cannot be judged until the register is complete — but unauthorised absence already
 * marked refuses it at once. Register by hand: test/helpers/leave-register.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { leaveOfAbsenceCheck } from "../analytics/escalation.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { LEAVE_TODAY, seedLeaveRegister } from "./helpers/leave-register.ts";

const db = tempDbPath("leave-unmarked");
beforeAll(() => withConnection(db, seedLeaveRegister));
afterAll(() => removeDb(db));

const check = (upn: string, asOf = LEAVE_TODAY) => withConnection(db, (c) => leaveOfAbsenceCheck(c, { upn, asOf }));

describe("the leave-of-absence verdict over unmarked days", () => {
  it("a complete register is judged: FULL, 1 of 50 authorised (2.0 %), may be considered", async () => {
    const full = await check("FULL");
    expect(full).toMatchObject({ verdict: "may_be_considered", may_be_considered: true, unmarked_days: 0, marks_imported: null, reasons: [] });
    expect(full.authorised_pct).toBeCloseTo(2, 10);
  });

  it("GAPS, 24 unmarked school days and a clean marked day: cannot be judged yet", async () => {
    const gaps = await check("GAPS");
    expect(gaps).toMatchObject({ verdict: "incomplete", may_be_considered: false, unmarked_days: 24, authorised_pct: 0, reasons: [] });
  });

  it("AUTH, 40.0 % authorised on 10 marked sessions and 20 unmarked days: not refused on the part, cannot be judged yet", async () => {
    const auth = await check("AUTH");
    expect(auth).toMatchObject({ verdict: "incomplete", unmarked_days: 20, reasons: ["authorised absence of 40.0% is above 10% on the marked days so far"] });
  });

  it("UNAUTH, one unauthorised session marked: refused whatever the 20 unmarked days hold", async () => {
    const unauth = await check("UNAUTH");
    expect(unauth).toMatchObject({ verdict: "refused", may_be_considered: false, unmarked_days: 20, reasons: ["1 session of unauthorised absence this academic year"] });
  });

  it("the whole register behind: FULL on Fri 17 Apr (13–16 Apr unmarked for everyone) cannot be judged; on Mon 30 Mar (a holiday since) it can", async () => {
    const behind = await check("FULL", "2026-04-17");
    expect(behind).toMatchObject({ verdict: "incomplete", unmarked_days: 0 });
    expect(behind.marks_imported).toMatch(/^Marks imported up to Fri 27 Mar 2026; the 4 school days since have none yet/);
    expect((await check("FULL", "2026-03-30")).verdict).toBe("may_be_considered");
  });
});
