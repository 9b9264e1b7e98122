/**
 * Issue 13, cases 8–9, session 11's adversary: a group's DfE-basis figure within a year group
 * (the Groups page's national column with a year group chosen), against the whole-roll
 * figures printed beside it. Read only as a governor reads the Groups page (its loader).
 *
 * Register (test/helpers/break-register.ts seedReceptionFsm; 2025/26, Autumn 1 from Monday 1 September
 * 2025, 20 school days; today 3 October 2025; everyone on roll throughout, 40 possible
 * sessions each):
 * - Reception (class RA): FSM — two aged 5 on 31 August 2025 (RF5a, RF5b) and six aged 4;
 *   not FSM — six aged 5, six aged 4.
 * - Year 1 (class 1A, all born 1 June 2019: aged 6): six FSM, eight not.
 * - RF5a off ill for the first 9 days: 18 sessions. Everyone else present.
 * FSM within Reception on the DfE's basis is RF5a and RF5b (withheld: two pupils), so every
 * year group's FSM DfE-basis cell is withheld (withheldInAnotherUnit). But the page gives, for
 * Year 1, the FSM row's whole-roll figures (six pupils, 0 of 240 sessions missed) and says
 * beside the withheld DfE-basis figure that Year 1's FSM whole roll "has no pupils outside the
 * DfE's age range … so it is the same population": so Year 1's FSM DfE-basis figure is
 * published after all, and the school's FSM DfE-basis figure (8 pupils, 5.625 %) less it is
 * Reception's: 18 of 80 sessions, 22.5 % — RF5a's and RF5b's.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { loader as groupsLoader } from "../app/routes/groups.tsx";
import { createTestAccounts, type TestAccount } from "./helpers/auth.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { loaderData } from "./helpers/loader.ts";
import { seedReceptionFsm } from "./helpers/break-register.ts";

describe("a group's DfE-basis figure within a year group against the whole-roll figures beside it", () => {
  const db = tempDbPath("governor-break-units");
  let governor: TestAccount;
  const savedToday = process.env.ROLLCALL_TODAY;
  beforeAll(async () => {
    await withConnection(db, seedReceptionFsm);
    governor = (await createTestAccounts(db)).governor;
    process.env.ROLLCALL_TODAY = "2025-10-03";
  });
  afterAll(async () => {
    if (savedToday === undefined) delete process.env.ROLLCALL_TODAY;
    else process.env.ROLLCALL_TODAY = savedToday;
    await removeDb(db);
  });

  type Row = { group: string; measures: { pupils: number; possible_sessions: number; authorised_sessions: number; unauthorised_sessions: number }; withheld: { row: string | null } };
  type National = { school: { absence_pct: number | null; pupils: number | null; whole_roll: string; withheld: { absence: string | null } } };
  type Groups = { sections: Array<{ dimension: string; groups: Row[] }>; national: Record<string, National> };
  const groups = (query: string) => loaderData<Groups>(groupsLoader, db, governor.cookie, `/groups?period=ytd${query}`);

  it("leaves Reception's withheld FSM figure on the DfE's basis unknown", async () => {
    const school = (await groups("")).national["fsm:Y"].school;
    // The school's FSM pupils aged 5–15: published (8 pupils, 18 of 320 sessions).
    expect([school.pupils, school.absence_pct]).toEqual([8, 5.625]);
    const reception = (await groups("&year_group=R")).national["fsm:Y"]?.school;
    expect(reception?.absence_pct ?? null).toBeNull();
    const recovered: string[] = [];
    const year1 = await groups("&year_group=1");
    const fsm = year1.sections.find((s) => s.dimension === "fsm")!.groups.find((g) => g.group === "Y")!;
    const said = year1.national["fsm:Y"]?.school;
    // A reader takes the DfE-basis figure as the whole-roll one where the page says the two
    // are the same population (or gives the DfE-basis figure itself).
    const same = said && (said.absence_pct !== null || /same population/.test(said.whole_roll));
    if (!fsm.withheld.row && same) {
      const absent = school.absence_pct! * school.pupils! / 100 * 40 - (fsm.measures.authorised_sessions + fsm.measures.unauthorised_sessions);
      const pupils = school.pupils! - fsm.measures.pupils;
      recovered.push(`Reception FSM aged 5–15: ${pupils} pupils, ${absent} of ${pupils * 40} sessions missed`);
    }
    // Or Reception's FSM row on the whole roll less the school's FSM pupils outside the DfE's
    // population (the school's FSM row on the whole roll less its DfE-basis figure): every
    // pupil outside it is in Reception.
    const whole = (await groups("")).sections.find((s) => s.dimension === "fsm")!.groups.find((g) => g.group === "Y")!;
    const rFsm = (await groups("&year_group=R")).sections.find((s) => s.dimension === "fsm")!.groups.find((g) => g.group === "Y")!;
    if (!whole.withheld.row && !rFsm.withheld.row && school.absence_pct !== null) {
      const missed = (m: Row["measures"]) => m.authorised_sessions + m.unauthorised_sessions;
      const outsidePupils = whole.measures.pupils - school.pupils!;
      const outsideMissed = missed(whole.measures) - (school.absence_pct * school.pupils! * 40) / 100;
      recovered.push(`Reception FSM aged 5–15 (by the rest): ${rFsm.measures.pupils - outsidePupils} pupils, ${missed(rFsm.measures) - outsideMissed} sessions missed`);
    }
    // Before the fix: ["Reception FSM aged 5–15: 2 pupils, 18 of 80 sessions missed"].
    expect(recovered).toEqual([]);
  });
});
